import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import { createAccountActivities } from '../activities/accounts';
import { createDeadlineActivities } from '../activities/deadlines';
import { createContractActivities } from '../activities/contract';
import { createMailer } from '../activities/mailer';
import { createBillingActivities } from '../activities/billing';
import { createCampaignActivities } from '../activities/campaigns';
import { createAccountCampaignActivities } from '../activities/account-campaigns';
import { createStatusReconciliationActivities } from '../activities/status-reconciliation';
import { createWebhookActivities } from '../activities/webhooks';

export interface WorkerDeps {
  db: Knex;
  config: Config;
  temporal: Client;
}

/** All activities of the lifecycle task queue, built from their dependencies. */
export function createLifecycleActivities({ db, config, temporal }: WorkerDeps) {
  return {
    ...createAccountActivities({ db, config }),
    ...createDeadlineActivities({ db }),
    ...createContractActivities({ db, config, temporal, mailer: createMailer(db, config) }),
    ...createBillingActivities({ db, temporal }),
    ...createCampaignActivities({ db }),
    ...createAccountCampaignActivities({ db, temporal }),
    ...createStatusReconciliationActivities({ db, config }),
    ...createWebhookActivities({ db, config, mailer: createMailer(db, config) }),
  };
}
