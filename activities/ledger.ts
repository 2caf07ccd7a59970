// Ledger activities for workflows (the send path settles and releases through these). The
// functions are idempotent (lib/ledger.ts), so activity retries are harmless.
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { balanceOf, InsufficientBalanceError, releaseFunds, reserveFunds, settleOrder, type ReleaseInput, type ReserveInput } from '../lib/ledger';

export function createLedgerActivities({ db }: { db: Knex }) {
  return {
    /** Non-retryable InsufficientBalanceError (type 'InsufficientBalanceError', details [{availableE4, requestedE4}]). */
    async reserveOrderFunds(input: ReserveInput) {
      try {
        return await reserveFunds(db, input);
      } catch (err) {
        if (err instanceof InsufficientBalanceError) {
          throw ApplicationFailure.nonRetryable(err.message, 'InsufficientBalanceError', { availableE4: err.availableE4, requestedE4: err.requestedE4 });
        }
        throw err;
      }
    },
    async settleOrderFunds(input: { orderId: string; consumedE4: number }) {
      return settleOrder(db, input);
    },
    async releaseOrderFunds(input: ReleaseInput) {
      return releaseFunds(db, input);
    },
    async ledgerBalance(accountId: string) {
      return balanceOf(db, accountId);
    },
  };
}

export type LedgerActivities = ReturnType<typeof createLedgerActivities>;
