import type { Knex } from 'knex';
import type { Config } from '../lib/config';

export interface SendWorkerDeps { db: Knex; config: Config }

/** Activities of the carrier task queues. */
export function createSendActivities(_deps: SendWorkerDeps) {
  return {
    /** Lets operations (and tests) check that a send worker is polling its queue. */
    async sendWorkerInfo(): Promise<{ pid: number; queues: string[] }> {
      return { pid: process.pid, queues: ['send-sms', 'send-email'] };
    },
  };
}
