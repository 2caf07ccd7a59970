import type { Knex } from 'knex';
import type { Config } from '../lib/config';
import type { AccountState } from '../workflows/messages';
import { appendEvidence } from '../lib/evidence';
import { enqueueTermination } from '../lib/workflow-clients/termination';
import { recordEvents, type EventType } from '../lib/webhooks/events';

/** The webhook event of an account status change, if it is one a customer is told of. */
function accountEventType(was: string | undefined, now: string): EventType | null {
  if (was === now || was === undefined) return null;
  if (now === 'suspended') return 'account.suspended';
  if (now === 'terminated') return 'account.terminated';
  return was === 'suspended' && now === 'active' ? 'account.suspension_lifted' : null;
}

export interface AccountActivityDeps {
  db: Knex;
  config: Pick<Config, 'LIFECYCLE_TASK_QUEUE'>;
}

export function createAccountActivities({ db, config }: AccountActivityDeps) {
  return {
    /**
     * Writes the workflow's state to accounts (the API's read model) and, for a state change,
     * its evidence entry — in one transaction, and only if this version is newer than the stored
     * one, so retries and reordering are harmless. The first projection of a termination also
     * writes the start of the end-of-contract workflow (10.2, Annex 2.4) in that transaction.
     */
    async projectAccountState({
      state,
      event,
    }: {
      state: AccountState;
      event?: Record<string, unknown>;
    }): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('accounts').where('id', state.accountId).forUpdate().first('status');
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
        if (state.status === 'terminated' && updated > 0) {
          await enqueueTermination(trx, config, {
            accountId: state.accountId,
            clause: state.termination?.clause ?? 'unknown',
            terminatedAt: state.terminatedAt ?? new Date().toISOString(),
          });
        }
        // 6.3.4 "immediate information" (and termination) to the customer's webhooks too, with the change.
        const type = accountEventType(before?.status, state.status);
        if (type && updated > 0)
          await recordEvents(trx, [
            {
              accountId: state.accountId,
              type,
              key: `evt_as${state.accountId}:${state.stateVersion}`,
              data: { status: state.status, suspensions: state.suspensions, termination: state.termination ?? null },
            },
          ]);
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
