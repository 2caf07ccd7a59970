import type { Knex } from 'knex';
import type { AccountState } from '../workflows/messages';
import { appendEvidence } from '../lib/evidence';

export interface AccountActivityDeps {
  db: Knex;
}

export function createAccountActivities({ db }: AccountActivityDeps) {
  return {
    /**
     * Writes the workflow's state to accounts (the API's read model) and, for a state change,
     * its evidence entry — in one transaction, and only if this version is newer than the stored
     * one, so retries and reordering are harmless.
     */
    async projectAccountState({
      state,
      event,
    }: {
      state: AccountState;
      event?: Record<string, unknown>;
    }): Promise<void> {
      await db.transaction(async (trx) => {
        const updated = await trx('accounts')
          .where('id', state.accountId)
          .andWhere('state_version', '<', state.stateVersion)
          .update({
            status: state.status,
            suspensions: JSON.stringify(state.suspensions),
            state_version: state.stateVersion,
            lifecycle_started_at: trx.raw('coalesce(lifecycle_started_at, now())'),
            updated_at: trx.fn.now(),
          });
        if (updated === 0 && state.stateVersion > 0) return; // already projected
        if (state.stateVersion === 0) {
          await trx('accounts')
            .where('id', state.accountId)
            .whereNull('lifecycle_started_at')
            .update({ lifecycle_started_at: trx.fn.now() });
        }
        if (event && updated > 0) {
          const { event: kind, by, ...payload } = event as { event: string; by?: Record<string, unknown> };
          await appendEvidence(trx, {
            accountId: state.accountId,
            kind,
            occurredAt: new Date(),
            actor: by ?? { type: 'system' },
            payload: { ...payload, status: state.status, stateVersion: state.stateVersion },
          });
        }
      });
    },
  };
}

export type AccountActivities = ReturnType<typeof createAccountActivities>;
