// The prepaid ledger (ToS 7.1.1 / 7.1.2): append-only entries, a per-account balance row that
// serialises every write (SELECT … FOR UPDATE) and is the running sum of the entries.
//
// Amounts are integer ten-thousandths of a euro ("e4", the unit prices' precision: 0.0010 € = 10),
// so a priced message is never free and never costs more than its price (docs/billing.md).
// Funding comes in cents (Packs, prepaid, adjustments: `amountCents`, stored × 100); invoices
// round to the cent once per line. Usage from the send path:
//
//   await db.transaction(async (trx) => {
//     const order = await createOrder(trx, { accountId, kind: 'campaign', channel: 'sms', quote });
//     await reserveFunds(trx, { accountId, orderId: order.id, amountE4: order.totalE4 });
//   });                         // throws InsufficientBalanceError → 402 insufficient_balance
//   await releaseFunds(db, { orderId, amountE4: 900, reason: 'rejected-before-carrier:page-3' });
//   await settleOrder(db, { orderId, consumedE4: 12_600 });   // consumption + release of the rest
//   const { availableE4, reservedE4 } = await balanceOf(db, accountId);
//
// Every function is idempotent: reserveFunds per orderId, releaseFunds per (orderId, reason),
// settleOrder per orderId (a second call returns the first result), topUp per (source.kind, ref).
//
// Entry effects (available, reserved):
//   top_up / carry_over / adjustment (+)  (+x, 0)   a funding entry
//   reservation                           (-x, +x)
//   release                               (+x, -x)
//   consumption                           (0, -x)   draws on a funding entry, FIFO; overage: (0, 0)
//   expiry / adjustment (-)               (-x, 0)   draws on funding entries, FIFO
// Subscription accounts (7.1.1): consumption beyond the prepaid balance is overage, billed at list
// price with next month's invoice, so their reservations never fail: the part the balance cannot
// cover is reserved as overage (no ledger effect) and consumed as an overage entry.
// Pack accounts (7.1.2): an Order beyond the remaining balance is refused (InsufficientBalanceError)
// unless allowPartial was asked for, in which case what the balance covers is reserved. The
// decision is domain/billing-cycle.ts chargeOnBalance.
//
// This module holds the primitives every ledger write goes through (balance lock, append, FIFO
// draw); the operations live beside it: lib/ledger-reservations.ts (reserve / release / settle),
// lib/ledger-funding.ts (top-up, debits, carry-over), lib/ledger-views.ts (balance, statement).
import type { Knex } from 'knex';

export type Db = Knex | Knex.Transaction;

export class InsufficientBalanceError extends Error {
  override name = 'InsufficientBalanceError';
  readonly code = 'insufficient_balance';
  constructor(
    readonly availableE4: number,
    readonly requestedE4: number,
  ) {
    super(`insufficient balance: ${availableE4} e4 available, ${requestedE4} requested`);
  }
}

export class LedgerError extends Error {
  override name = 'LedgerError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function assertAmount(v: number, label: string, allowZero = false): void {
  if (!Number.isSafeInteger(v) || v < 0 || (!allowZero && v === 0)) {
    throw new LedgerError(
      'invalid_amount',
      `${label} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${v}`,
    );
  }
}

export async function inTrx<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return 'isTransaction' in db && db.isTransaction ? fn(db as Knex.Transaction) : (db as Knex).transaction(fn);
}

/** Locks (creating it if needed) the account's balance row: every ledger write goes through it. */
export async function lockBalance(
  trx: Knex.Transaction,
  accountId: string,
): Promise<{ availableE4: number; reservedE4: number }> {
  return (await lockBalances(trx, [accountId])).get(accountId)!;
}

/** lockBalance for several accounts at once, always in account id order (no deadlock between batches). */
export async function lockBalances(
  trx: Knex.Transaction,
  accountIds: string[],
): Promise<Map<string, { availableE4: number; reservedE4: number }>> {
  const ids = [...new Set(accountIds)].sort();
  await trx.raw('insert into ledger_balances (account_id) select unnest(?::uuid[]) on conflict do nothing', [ids]);
  const rows = await trx('ledger_balances').whereIn('account_id', ids).orderBy('account_id').forUpdate();
  return new Map(
    rows.map((r) => [r.account_id, { availableE4: Number(r.available_e4), reservedE4: Number(r.reserved_e4) }]),
  );
}

export interface EntryInput {
  accountId: string;
  kind: 'top_up' | 'reservation' | 'release' | 'consumption' | 'expiry' | 'carry_over' | 'adjustment';
  availableDelta: number;
  reservedDelta: number;
  amountE4: number;
  idemKey: string;
  orderId?: string | null;
  fundingEntryId?: string | null;
  overage?: boolean;
  sourceKind?: string | null;
  sourceRef?: string | null;
  reason?: string | null;
}

/** Appends an entry and moves the balance row (which the caller holds locked). */
export async function append(trx: Knex.Transaction, e: EntryInput): Promise<string> {
  return (await appendMany(trx, [e]))[0];
}

/**
 * Appends entries in one statement and moves each account's balance row once by their sum (the
 * caller holds the rows locked). The ids come back in the entries' order.
 */
export async function appendMany(trx: Knex.Transaction, entries: EntryInput[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = await trx('ledger_entries')
    .insert(
      entries.map((e) => ({
        account_id: e.accountId,
        kind: e.kind,
        available_delta: e.availableDelta,
        reserved_delta: e.reservedDelta,
        amount_e4: e.amountE4,
        idem_key: e.idemKey,
        order_id: e.orderId ?? null,
        funding_entry_id: e.fundingEntryId ?? null,
        overage: e.overage ?? false,
        source_kind: e.sourceKind ?? null,
        source_ref: e.sourceRef ?? null,
        reason: e.reason ?? null,
      })),
    )
    .returning('id');
  const deltas = new Map<string, { available: number; reserved: number }>();
  for (const e of entries) {
    const d = deltas.get(e.accountId) ?? { available: 0, reserved: 0 };
    d.available += e.availableDelta;
    d.reserved += e.reservedDelta;
    deltas.set(e.accountId, d);
  }
  const moved = [...deltas].filter(([, d]) => d.available !== 0 || d.reserved !== 0);
  if (moved.length > 0) {
    await trx.raw(
      `update ledger_balances b set available_e4 = b.available_e4 + v.a, reserved_e4 = b.reserved_e4 + v.r,
              updated_at = now()
         from unnest(?::uuid[], ?::bigint[], ?::bigint[]) as v(id, a, r) where b.account_id = v.id`,
      [moved.map(([id]) => id), moved.map(([, d]) => d.available), moved.map(([, d]) => d.reserved)],
    );
  }
  return rows.map((r) => String(r.id));
}

/** Funding entries with what is left of them, oldest first (FIFO). */
async function openFunding(trx: Knex.Transaction, accountId: string): Promise<{ id: string; remaining: number }[]> {
  const rows = await trx.raw(
    `select f.id, f.amount_e4 - coalesce((select sum(d.amount_e4) from ledger_entries d where d.funding_entry_id = f.id), 0) as remaining
       from ledger_entries f
      where f.account_id = ? and f.available_delta > 0 and f.kind in ('top_up', 'carry_over', 'adjustment')
      order by f.id`,
    [accountId],
  );
  return (rows.rows as { id: string; remaining: string }[])
    .map((r) => ({ id: String(r.id), remaining: Number(r.remaining) }))
    .filter((r) => r.remaining > 0);
}

/** Splits `amount` over the open funding entries, FIFO. */
export async function drawFifo(
  trx: Knex.Transaction,
  accountId: string,
  amount: number,
): Promise<{ fundingEntryId: string; amount: number }[]> {
  const chunks: { fundingEntryId: string; amount: number }[] = [];
  let left = amount;
  for (const f of await openFunding(trx, accountId)) {
    if (left === 0) break;
    const take = Math.min(left, f.remaining);
    chunks.push({ fundingEntryId: f.id, amount: take });
    left -= take;
  }
  // Funding left = available + reserved, and every draw is bounded by one of those: a shortfall
  // means the ledger itself is inconsistent.
  if (left > 0) throw new LedgerError('ledger_inconsistent', `funding short by ${left} e4 for account ${accountId}`);
  return chunks;
}
