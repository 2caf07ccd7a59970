// Ledger activities for workflows (the send path settles and releases through these). The
// functions are idempotent (lib/ledger.ts), so activity retries are harmless.
import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { balanceOf, InsufficientBalanceError, releaseFunds, reserveFunds, settleOrder, type ReleaseInput, type ReserveInput } from '../lib/ledger';

export function createLedgerActivities({ db }: { db: Knex }) {
  return {
    /** Non-retryable InsufficientBalanceError (type 'InsufficientBalanceError', details [{availableCents, requestedCents}]). */
    async reserveOrderFunds(input: ReserveInput) {
      try {
        return await reserveFunds(db, input);
      } catch (err) {
        if (err instanceof InsufficientBalanceError) {
          throw ApplicationFailure.nonRetryable(err.message, 'InsufficientBalanceError', { availableCents: err.availableCents, requestedCents: err.requestedCents });
        }
        throw err;
      }
    },
    async settleOrderFunds(input: { orderId: string; consumedCents: number }) {
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
