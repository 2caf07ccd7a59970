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
import type { Knex } from 'knex';
import type { DbRow } from './db';
import { e4ToCentsDown } from '../domain/money';
import { chargeOnBalance } from '../domain/billing-cycle';

export type Db = Knex | Knex.Transaction;

export class InsufficientBalanceError extends Error {
  override name = 'InsufficientBalanceError';
  readonly code = 'insufficient_balance';
  constructor(readonly availableE4: number, readonly requestedE4: number) {
    super(`insufficient balance: ${availableE4} e4 available, ${requestedE4} requested`);
  }
}

/** Cents → ledger e4 (exact). */
const e4 = (cents: number) => cents * 100;

class LedgerError extends Error {
  override name = 'LedgerError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type FundingSourceKind = 'pack_purchase' | 'subscription_prepaid' | 'adjustment' | 'carry_over';

function assertAmount(v: number, label: string, allowZero = false): void {
  if (!Number.isSafeInteger(v) || v < 0 || (!allowZero && v === 0)) {
    throw new LedgerError('invalid_amount', `${label} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${v}`);
  }
}

async function inTrx<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return 'isTransaction' in db && db.isTransaction ? fn(db as Knex.Transaction) : (db as Knex).transaction(fn);
}

/** Locks (creating it if needed) the account's balance row: every ledger write goes through it. */
export async function lockBalance(trx: Knex.Transaction, accountId: string): Promise<{ availableE4: number; reservedE4: number }> {
  await trx('ledger_balances').insert({ account_id: accountId }).onConflict('account_id').ignore();
  const row = await trx('ledger_balances').where({ account_id: accountId }).forUpdate().first();
  return { availableE4: Number(row.available_e4), reservedE4: Number(row.reserved_e4) };
}

interface EntryInput {
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
async function append(trx: Knex.Transaction, e: EntryInput): Promise<string> {
  const [row] = await trx('ledger_entries').insert({
    account_id: e.accountId, kind: e.kind, available_delta: e.availableDelta, reserved_delta: e.reservedDelta,
    amount_e4: e.amountE4, idem_key: e.idemKey, order_id: e.orderId ?? null, funding_entry_id: e.fundingEntryId ?? null,
    overage: e.overage ?? false, source_kind: e.sourceKind ?? null, source_ref: e.sourceRef ?? null, reason: e.reason ?? null,
  }).returning('id');
  if (e.availableDelta !== 0 || e.reservedDelta !== 0) {
    await trx('ledger_balances').where({ account_id: e.accountId }).update({
      available_e4: trx.raw('available_e4 + ?', [e.availableDelta]),
      reserved_e4: trx.raw('reserved_e4 + ?', [e.reservedDelta]),
      updated_at: trx.fn.now(),
    });
  }
  return String(row.id);
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
async function drawFifo(trx: Knex.Transaction, accountId: string, amount: number): Promise<{ fundingEntryId: string; amount: number }[]> {
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

async function accountFormula(trx: Knex.Transaction, accountId: string): Promise<'subscription' | 'pack'> {
  const a = await trx('accounts').where({ id: accountId }).first('formula');
  if (!a) throw new LedgerError('account_not_found', `no account ${accountId}`);
  return a.formula;
}

// ---- contract for the send path ---------------------------------------------------------------

export interface ReserveInput {
  accountId: string;
  orderId: string;
  amountE4: number;
  /** Pack: reserve what the balance covers instead of refusing (7.1.2, only when the User asked). */
  allowPartial?: boolean;
}

export interface ReserveResult {
  /** Total reserved for the order (balance + overage). Less than asked only with allowPartial. */
  reservedE4: number;
  /** Part reserved as overage (Subscription), billed next month. */
  overageE4: number;
}

export async function reserveFunds(trx: Db, input: ReserveInput): Promise<ReserveResult> {
  const { accountId, orderId, amountE4 } = input;
  assertAmount(amountE4, 'amountE4', true);
  return inTrx(trx, async (t) => {
    const bal = await lockBalance(t, accountId);
    const order = await t('orders').where({ id: orderId }).forUpdate().first();
    if (!order) throw new LedgerError('order_not_found', `no order ${orderId}`);
    if (order.account_id !== accountId) throw new LedgerError('order_account_mismatch', `order ${orderId} belongs to another account`);
    if (order.status !== 'quoted') {
      // Idempotent: the order was already reserved (or refused) by an earlier call.
      if (order.status === 'refused') throw new InsufficientBalanceError(bal.availableE4, amountE4);
      return { reservedE4: Number(order.reserved_e4), overageE4: Number(order.reserved_overage_e4) };
    }
    const decision = chargeOnBalance(await accountFormula(t, accountId), bal.availableE4, amountE4, input.allowPartial ?? false);
    if (decision.outcome === 'refused') throw new InsufficientBalanceError(bal.availableE4, amountE4);
    const { fromBalanceE4: fromBalance, overageE4: overage } = decision;
    await append(t, {
      accountId, kind: 'reservation', availableDelta: -fromBalance, reservedDelta: fromBalance, amountE4: fromBalance,
      idemKey: `reserve:${orderId}`, orderId, reason: overage > 0 ? `overage ${overage}` : null,
    });
    const reserved = fromBalance + overage;
    await t('orders').where({ id: orderId }).update({ status: 'reserved', reserved_e4: reserved, reserved_overage_e4: overage });
    return { reservedE4: reserved, overageE4: overage };
  });
}

export interface ReleaseInput {
  orderId: string;
  amountE4: number;
  /** Idempotency key within the order, e.g. 'rejected-before-carrier:page-3'. */
  reason: string;
}

/** Partial release of an order's reservation. Idempotent per (orderId, reason). */
export async function releaseFunds(db: Db, input: ReleaseInput): Promise<{ releasedE4: number }> {
  const { orderId, amountE4, reason } = input;
  assertAmount(amountE4, 'amountE4', true);
  if (!reason || reason.length > 200) throw new LedgerError('invalid_reason', 'reason must be 1–200 characters');
  const order0 = await db('orders').where({ id: orderId }).first('account_id');
  if (!order0) throw new LedgerError('order_not_found', `no order ${orderId}`);
  return inTrx(db, async (t) => {
    await lockBalance(t, order0.account_id);
    const order = await t('orders').where({ id: orderId }).forUpdate().first();
    const idemKey = `release:${orderId}:${reason}`;
    const done = await t('ledger_entries').where({ idem_key: idemKey }).first('amount_e4');
    if (done) return { releasedE4: Number(done.amount_e4) };
    if (order.status !== 'reserved') throw new LedgerError('order_not_reserved', `order ${orderId} is ${order.status}`);
    const outstanding = Number(order.reserved_e4) - Number(order.released_e4);
    if (amountE4 > outstanding) throw new LedgerError('release_exceeds_reservation', `release of ${amountE4} exceeds the ${outstanding} e4 still reserved`);
    // Overage is released first: it never touched the balance.
    const overageLeft = Number(order.reserved_overage_e4) - Number(order.released_overage_e4);
    const overagePart = Math.min(overageLeft, amountE4);
    const balancePart = amountE4 - overagePart;
    await append(t, {
      accountId: order.account_id, kind: 'release', availableDelta: balancePart, reservedDelta: -balancePart, amountE4,
      idemKey, orderId, reason,
    });
    await t('orders').where({ id: orderId }).update({
      released_e4: t.raw('released_e4 + ?', [amountE4]),
      released_overage_e4: t.raw('released_overage_e4 + ?', [overagePart]),
    });
    return { releasedE4: amountE4 };
  });
}

export interface SettleResult {
  consumedE4: number;
  overageE4: number;
  releasedE4: number;
}

/**
 * Turns the order's reservation into consumption of `consumedE4` and releases the rest.
 * Idempotent: a settled order returns its settlement unchanged.
 */
export async function settleOrder(db: Db, input: { orderId: string; consumedE4: number }): Promise<SettleResult> {
  const { orderId, consumedE4 } = input;
  assertAmount(consumedE4, 'consumedE4', true);
  const order0 = await db('orders').where({ id: orderId }).first('account_id');
  if (!order0) throw new LedgerError('order_not_found', `no order ${orderId}`);
  return inTrx(db, async (t) => {
    await lockBalance(t, order0.account_id);
    const order = await t('orders').where({ id: orderId }).forUpdate().first();
    const reserved = Number(order.reserved_e4);
    const released = Number(order.released_e4);
    if (order.status === 'settled') {
      return {
        consumedE4: Number(order.consumed_e4), overageE4: Number(order.consumed_overage_e4),
        releasedE4: released,
      };
    }
    if (order.status !== 'reserved') throw new LedgerError('order_not_reserved', `order ${orderId} is ${order.status}`);
    const outstanding = reserved - released;
    if (consumedE4 > outstanding) {
      throw new LedgerError('consumption_exceeds_reservation', `consumption of ${consumedE4} exceeds the ${outstanding} e4 reserved`);
    }
    const accountId = order.account_id as string;
    const balanceOutstanding = reserved - Number(order.reserved_overage_e4) - (released - Number(order.released_overage_e4));
    // The balance is consumed first, then the overage.
    const fromBalance = Math.min(consumedE4, balanceOutstanding);
    const overage = consumedE4 - fromBalance;
    for (const c of fromBalance > 0 ? await drawFifo(t, accountId, fromBalance) : []) {
      await append(t, {
        accountId, kind: 'consumption', availableDelta: 0, reservedDelta: -c.amount, amountE4: c.amount,
        idemKey: `consume:${orderId}:${c.fundingEntryId}`, orderId, fundingEntryId: c.fundingEntryId,
      });
    }
    if (overage > 0) {
      await append(t, {
        accountId, kind: 'consumption', availableDelta: 0, reservedDelta: 0, amountE4: overage,
        idemKey: `consume:${orderId}:overage`, orderId, overage: true, reason: 'beyond the prepaid balance: billed next month',
      });
    }
    const rest = balanceOutstanding - fromBalance;
    const restOverage = outstanding - consumedE4 - rest;
    if (rest + restOverage > 0) {
      await append(t, {
        accountId, kind: 'release', availableDelta: rest, reservedDelta: -rest, amountE4: rest + restOverage,
        idemKey: `release:${orderId}:settlement`, orderId, reason: 'settlement',
      });
    }
    await t('orders').where({ id: orderId }).update({
      status: 'settled', consumed_e4: consumedE4, consumed_overage_e4: overage,
      released_e4: released + rest + restOverage,
      released_overage_e4: t.raw('released_overage_e4 + ?', [restOverage]),
      settled_at: t.fn.now(),
    });
    return { consumedE4, overageE4: overage, releasedE4: released + rest + restOverage };
  });
}

export interface Balance {
  availableE4: number;
  reservedE4: number;
  /** The e4 amounts rounded down to the cent, for display: never more than the account has. */
  availableCents: number;
  reservedCents: number;
}

export async function balanceOf(db: Db, accountId: string): Promise<Balance> {
  const row = await db('ledger_balances').where({ account_id: accountId }).first();
  const availableE4 = Number(row?.available_e4 ?? 0);
  const reservedE4 = Number(row?.reserved_e4 ?? 0);
  return { availableE4, reservedE4, availableCents: e4ToCentsDown(availableE4), reservedCents: e4ToCentsDown(reservedE4) };
}

export interface TopUpInput {
  accountId: string;
  amountCents: number;
  source: { kind: FundingSourceKind; ref: string };
  reason?: string;
}

/** Credits the balance. Idempotent per (source.kind, source.ref). */
export async function topUp(trx: Db, input: TopUpInput): Promise<{ entryId: string; created: boolean }> {
  const { accountId, amountCents, source } = input;
  assertAmount(amountCents, 'amountCents');
  return inTrx(trx, async (t) => {
    await lockBalance(t, accountId);
    const idemKey = `topup:${source.kind}:${source.ref}`;
    const done = await t('ledger_entries').where({ idem_key: idemKey }).first('id');
    if (done) return { entryId: String(done.id), created: false };
    const kind = source.kind === 'adjustment' ? 'adjustment' : source.kind === 'carry_over' ? 'carry_over' : 'top_up';
    const entryId = await append(t, {
      accountId, kind, availableDelta: e4(amountCents), reservedDelta: 0, amountE4: e4(amountCents), idemKey,
      sourceKind: source.kind, sourceRef: source.ref, reason: input.reason ?? null,
    });
    return { entryId, created: true };
  });
}

interface DebitInput { accountId: string; kind: 'adjustment' | 'expiry'; ref: string; reason?: string }

/**
 * Takes `amountCents` out of the available balance, FIFO over the funding (a negative staff
 * adjustment, or an expiry). Never below zero: throws InsufficientBalanceError.
 */
export async function debitAvailable(trx: Db, input: DebitInput & { amountCents: number }): Promise<{ created: boolean }> {
  assertAmount(input.amountCents, 'amountCents');
  return debitE4(trx, { ...input, amountE4: e4(input.amountCents) });
}

async function debitE4(trx: Db, input: DebitInput & { amountE4: number }): Promise<{ created: boolean }> {
  const { accountId, amountE4, kind, ref } = input;
  return inTrx(trx, async (t) => {
    const bal = await lockBalance(t, accountId);
    const prefix = `debit:${kind}:${ref}:`;
    const done = await t('ledger_entries').where('idem_key', 'like', `${prefix}%`).first('id');
    if (done) return { created: false };
    if (amountE4 > bal.availableE4) throw new InsufficientBalanceError(bal.availableE4, amountE4);
    for (const c of await drawFifo(t, accountId, amountE4)) {
      await append(t, {
        accountId, kind, availableDelta: -c.amount, reservedDelta: 0, amountE4: c.amount,
        idemKey: `${prefix}${c.fundingEntryId}`, fundingEntryId: c.fundingEntryId, sourceKind: kind, sourceRef: ref,
        reason: input.reason ?? null,
      });
    }
    return { created: true };
  });
}

/**
 * Month close of a Subscription (7.1.1): the unused available balance is carried forward —
 * the old funding expires and a carry_over funding entry of the same amount opens, so the
 * statement shows it and later consumption traces to it. Net effect on the balance: zero.
 * Idempotent per ref. Returns the amount carried.
 */
export async function carryOver(trx: Db, input: { accountId: string; ref: string }): Promise<{ carriedE4: number }> {
  return inTrx(trx, async (t) => {
    const bal = await lockBalance(t, input.accountId);
    const idemKey = `topup:carry_over:${input.ref}`;
    const done = await t('ledger_entries').where({ idem_key: idemKey }).first('amount_e4');
    if (done) return { carriedE4: Number(done.amount_e4) };
    if (bal.availableE4 === 0) return { carriedE4: 0 };
    await debitE4(t, { accountId: input.accountId, amountE4: bal.availableE4, kind: 'expiry', ref: `carry:${input.ref}`, reason: 'carried to the next month' });
    // In e4: the balance may hold fractions of a cent (topUp takes cents).
    await append(t, {
      accountId: input.accountId, kind: 'carry_over', availableDelta: bal.availableE4, reservedDelta: 0, amountE4: bal.availableE4, idemKey,
      sourceKind: 'carry_over', sourceRef: input.ref,
    });
    return { carriedE4: bal.availableE4 };
  });
}

export interface LedgerEntryView {
  id: string;
  kind: string;
  availableDelta: number;
  reservedDelta: number;
  amountE4: number;
  orderId: string | null;
  fundingEntryId: string | null;
  overage: boolean;
  source: { kind: string; ref: string | null } | null;
  reason: string | null;
  createdAt: string;
}

function entryView(r: DbRow): LedgerEntryView {
  return {
    id: String(r.id), kind: r.kind, availableDelta: Number(r.available_delta), reservedDelta: Number(r.reserved_delta),
    amountE4: Number(r.amount_e4), orderId: r.order_id ?? null, fundingEntryId: r.funding_entry_id == null ? null : String(r.funding_entry_id),
    overage: r.overage, source: r.source_kind ? { kind: r.source_kind, ref: r.source_ref } : null, reason: r.reason ?? null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function ledgerEntries(db: Db, accountId: string, opts: { afterId?: string; limit?: number } = {}): Promise<LedgerEntryView[]> {
  const q = db('ledger_entries').where({ account_id: accountId }).orderBy('id').limit(Math.min(opts.limit ?? 200, 1000));
  if (opts.afterId) q.andWhere('id', '>', opts.afterId);
  return (await q).map(entryView);
}

/** Overage consumed in (afterId, upToId], in e4: billed at list price with the next monthly invoice. */
export async function overageBetween(db: Db, accountId: string, afterId: string | number, upToId: string | number): Promise<number> {
  const r = await db('ledger_entries').where({ account_id: accountId, kind: 'consumption', overage: true })
    .andWhere('id', '>', afterId).andWhere('id', '<=', upToId).sum({ s: 'amount_e4' }).first();
  return Number(r?.s ?? 0);
}
