// A campaign started as the API starts one: its start written to the outbox (here in a
// transaction of its own: the tests seed the campaign rows themselves), then relayed at once.
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../../lib/config';
import { enqueueCampaign, type StartCampaignInput } from '../../lib/workflow-clients/campaign';
import { relayNow } from '../../lib/workflow-clients/outbox-relay';

export async function startCampaignNow(
  sys: { db: Knex; client: Client },
  config: Pick<Config, 'LIFECYCLE_TASK_QUEUE' | 'SEND_WINDOW_PAGES'>,
  input: StartCampaignInput,
): Promise<{ queued: boolean; started: boolean }> {
  const pending = await sys.db.transaction((trx) => enqueueCampaign(trx, config, input));
  const counts = await relayNow({ db: sys.db, temporal: sys.client }, pending);
  return { queued: pending.queued, started: counts.started === 1 };
}
