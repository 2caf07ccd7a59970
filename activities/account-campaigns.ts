// Lifecycle-queue activity of the account workflow: tells every started campaign of the account
// that its status changed (6.3.4, 7.3, 10.3: a suspension stops sending at once, a termination
// cancels what was not sent). A campaign whose workflow has closed, or has not started yet, is
// skipped: its pages read the account row before submitting anything.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { signalAccountStatusChanged, STARTED_CAMPAIGN_STATUSES } from '../lib/workflow-clients/campaign';
import type { AccountSendState } from '../workflows/messages';

export interface AccountCampaignActivityDeps {
  db: Knex;
  temporal: Client;
}

/** Signals sent at once: bounded, so that an account with many campaigns cannot flood the server. */
const SIGNAL_BATCH = 20;

export function createAccountCampaignActivities({ db, temporal }: AccountCampaignActivityDeps) {
  return {
    async signalAccountCampaigns({
      accountId,
      state,
    }: {
      accountId: string;
      state: AccountSendState;
    }): Promise<{ signalled: number }> {
      const orderIds = (await db('campaigns')
        .where({ account_id: accountId })
        .whereIn('status', [...STARTED_CAMPAIGN_STATUSES])
        .whereNot('kind', 'single') // no workflow: the dispatcher's mark reads the account
        .orderBy('order_id')
        .pluck('order_id')) as string[];
      let signalled = 0;
      for (let i = 0; i < orderIds.length; i += SIGNAL_BATCH) {
        await Promise.all(
          orderIds.slice(i, i + SIGNAL_BATCH).map(async (orderId) => {
            try {
              await signalAccountStatusChanged(temporal, orderId, state);
              signalled += 1;
            } catch (err) {
              if (!(err instanceof WorkflowNotFoundError)) throw err;
            }
          }),
        );
        Context.current().heartbeat(i);
      }
      return { signalled };
    },
  };
}

export type AccountCampaignActivities = ReturnType<typeof createAccountCampaignActivities>;
