import type { Knex } from 'knex';
import { DeadlineRecord, recordDeadline } from '../lib/deadlines';

export function createDeadlineActivities({ db }: { db: Knex }) {
  return {
    /** Opens, moves or closes a deadline in the register (idempotent). */
    async recordDeadline(d: DeadlineRecord): Promise<void> {
      await recordDeadline(db, d);
    },
  };
}

export type DeadlineActivities = ReturnType<typeof createDeadlineActivities>;
