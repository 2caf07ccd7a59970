import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import { createAccountActivities } from '../activities/accounts';
import { createDeadlineActivities } from '../activities/deadlines';

export interface WorkerDeps { db: Knex; config: Config; temporal: Client }

/** All activities of the lifecycle task queue, built from their dependencies. */
export function createLifecycleActivities({ db }: WorkerDeps) {
  return {
    ...createAccountActivities({ db }),
    ...createDeadlineActivities({ db }),
  };
}
