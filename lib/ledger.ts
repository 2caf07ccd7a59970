// The prepaid ledger (ToS 7.1.1 / 7.1.2): append-only entries, a per-account balance row that
// serialises every write (SELECT … FOR UPDATE) and is the running sum of the entries.
//
// Usage from the send path (all amounts integer cents):
//
//   await db.transaction(async (trx) => {
//     const order = await createOrder(trx, { accountId, kind: 'campaign', channel: 'sms', quote });
//     await reserveFunds(trx, { accountId, orderId: order.id, amountCents: order.totalCents });
//   });                         // throws InsufficientBalanceError → 402 insufficient_balance
//   await releaseFunds(db, { orderId, amountCents: 90, reason: 'rejected-before-carrier:page-3' });
//   await settleOrder(db, { orderId, consumedCents: 1260 });   // consumption + release of the rest
//   const { availableCents, reservedCents } = await balanceOf(db, accountId);
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
// unless allowPartial was asked for, in which case what the balance covers is reserved.
import type { Knex } from 'knex';

export type Db = Knex | Knex.Transaction;

export class InsufficientBalanceError extends Error {
  override name = 'InsufficientBalanceError';
  readonly code = 'insufficient_balance';
  constructor(readonly availableCents: number, readonly requestedCents: number) {
    super(`insufficient balance: ${availableCents} cents available, ${requestedCents} requested`);
  }
}

export class LedgerError extends Error {
  override name = 'LedgerError';
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export type FundingSourceKind = 'pack_purchase' | 'subscription_prepaid' | 'adjustment' | 'carry_over';

function assertAmount(v: number, label: string, allowZero = false): void {
  if (!Number.isSafeInteger(v) || v < 0 || (!allowZero && v === 0)) {
    throw new LedgerError('invalid_amount', `${label} must be a ${allowZero ? 'non-negative' : 'positive'} integer of cents, got ${v}`);
  }
}

async function inTrx<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return 'isTransaction' in db && db.isTransaction ? fn(db as Knex.Transaction) : (db as Knex).transaction(fn);
}

/** Locks (creating it if needed) the account's balance row: every ledger write goes through it. */
export async function lockBalance(trx: Knex.Transaction, accountId: string): Promise<{ availableCents: number; reservedCents: number }> {
  await trx('ledger_balances').insert({ account_id: accountId }).onConflict('account_id').ignore();
  const row = await trx('ledger_balances').where({ account_id: accountId }).forUpdate().first();
  return { availableCents: Number(row.available_cents), reservedCents: Number(row.reserved_cents) };
}

interface EntryInput {
  accountId: string;
  kind: 'top_up' | 'reservation' | 'release' | 'consumption' | 'expiry' | 'carry_over' | 'adjustment';
  availableDelta: number;
  reservedDelta: number;
  amountCents: number;
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
    amount_cents: e.amountCents, idem_key: e.idemKey, order_id: e.orderId ?? null, funding_entry_id: e.fundingEntryId ?? null,
    overage: e.overage ?? false, source_kind: e.sourceKind ?? null, source_ref: e.sourceRef ?? null, reason: e.reason ?? null,
  }).returning('id');
  if (e.availableDelta !== 0 || e.reservedDelta !== 0) {
    await trx('ledger_balances').where({ account_id: e.accountId }).update({
      available_cents: trx.raw('available_cents + ?', [e.availableDelta]),
      reserved_cents: trx.raw('reserved_cents + ?', [e.reservedDelta]),
      updated_at: trx.fn.now(),
    });
  }
  return String(row.id);
}

/** Funding entries with what is left of them, oldest first (FIFO). */
async function openFunding(trx: Knex.Transaction, accountId: string): Promise<{ id: string; remaining: number }[]> {
  const rows = await trx.raw(
    `select f.id, f.amount_cents - coalesce((select sum(d.amount_cents) from ledger_entries d where d.funding_entry_id = f.id), 0) as remaining
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
  if (left > 0) throw new LedgerError('ledger_inconsistent', `funding short by ${left} cents for account ${accountId}`);
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
  amountCents: number;
  /** Pack: reserve what the balance covers instead of refusing (7.1.2, only when the User asked). */
  allowPartial?: boolean;
}

export interface ReserveResult {
  /** Total reserved for the order (balance + overage). Less than asked only with allowPartial. */
  reservedCents: number;
  /** Part reserved as overage (Subscription), billed next month. */
  overageCents: number;
}

export async function reserveFunds(trx: Db, input: ReserveInput): Promise<ReserveResult> {
  const { accountId, orderId, amountCents } = input;
  assertAmount(amountCents, 'amountCents', true);
  return inTrx(trx, async (t) => {
    const bal = await lockBalance(t, accountId);
    const order = await t('orders').where({ id: orderId }).forUpdate().first();
    if (!order) throw new LedgerError('order_not_found', `no order ${orderId}`);
    if (order.account_id !== accountId) throw new LedgerError('order_account_mismatch', `order ${orderId} belongs to another account`);
    if (order.status !== 'quoted') {
      // Idempotent: the order was already reserved (or refused) by an earlier call.
      if (order.status === 'refused') throw new InsufficientBalanceError(bal.availableCents, amountCents);
      return { reservedCents: Number(order.reserved_cents), overageCents: Number(order.reserved_overage_cents) };
    }
    const formula = await accountFormula(t, accountId);
    let fromBalance = amountCents;
    let overage = 0;
    if (amountCents > bal.availableCents) {
      if (formula === 'subscription') {
        fromBalance = bal.availableCents;
        overage = amountCents - fromBalance;
      } else if (input.allowPartial && bal.availableCents > 0) {
        fromBalance = bal.availableCents;
      } else {
        throw new InsufficientBalanceError(bal.availableCents, amountCents);
      }
    }
    await append(t, {
      accountId, kind: 'reservation', availableDelta: -fromBalance, reservedDelta: fromBalance, amountCents: fromBalance,
      idemKey: `reserve:${orderId}`, orderId, reason: overage > 0 ? `overage ${overage}` : null,
    });
    const reserved = fromBalance + overage;
    await t('orders').where({ id: orderId }).update({ status: 'reserved', reserved_cents: reserved, reserved_overage_cents: overage });
    return { reservedCents: reserved, overageCents: overage };
  });
}

/** Marks an order refused (e.g. after InsufficientBalanceError), so it is never charged. */
export async function refuseOrder(db: Db, orderId: string): Promise<void> {
  await db('orders').where({ id: orderId, status: 'quoted' }).update({ status: 'refused' });
}

export interface ReleaseInput {
  orderId: string;
  amountCents: number;
  /** Idempotency key within the order, e.g. 'rejected-before-carrier:page-3'. */
  reason: string;
}

/** Partial release of an order's reservation. Idempotent per (orderId, reason). */
export async function releaseFunds(db: Db, input: ReleaseInput): Promise<{ releasedCents: number }> {
  const { orderId, amountCents, reason } = input;
  assertAmount(amountCents, 'amountCents', true);
  if (!reason || reason.length > 200) throw new LedgerError('invalid_reason', 'reason must be 1–200 characters');
  const order0 = await db('orders').where({ id: orderId }).first('account_id');
  if (!order0) throw new LedgerError('order_not_found', `no order ${orderId}`);
  return inTrx(db, async (t) => {
    await lockBalance(t, order0.account_id);
    const order = await t('orders').where({ id: orderId }).forUpdate().first();
    const idemKey = `release:${orderId}:${reason}`;
    const done = await t('ledger_entries').where({ idem_key: idemKey }).first('amount_cents');
    if (done) return { releasedCents: Number(done.amount_cents) };
    if (order.status !== 'reserved') throw new LedgerError('order_not_reserved', `order ${orderId} is ${order.status}`);
    const outstanding = Number(order.reserved_cents) - Number(order.released_cents);
    if (amountCents > outstanding) throw new LedgerError('release_exceeds_reservation', `release of ${amountCents} exceeds the ${outstanding} cents still reserved`);
    // Overage is released first: it never touched the balance.
    const overageLeft = Number(order.reserved_overage_cents) - Number(order.released_overage_cents);
    const overagePart = Math.min(overageLeft, amountCents);
    const balancePart = amountCents - overagePart;
    await append(t, {
      accountId: order.account_id, kind: 'release', availableDelta: balancePart, reservedDelta: -balancePart, amountCents,
      idemKey, orderId, reason,
    });
    await t('orders').where({ id: orderId }).update({
      released_cents: t.raw('released_cents + ?', [amountCents]),
      released_overage_cents: t.raw('released_overage_cents + ?', [overagePart]),
    });
    return { releasedCents: amountCents };
  });
}

export interface SettleResult {
  consumedCents: number;
  overageCents: number;
  releasedCents: number;
}

/**
 * Turns the order's reservation into consumption of `consumedCents` and releases the rest.
 * Idempotent: a settled order returns its settlement unchanged.
 */
export async function settleOrder(db: Db, input: { orderId: string; consumedCents: number }): Promise<SettleResult> {
  const { orderId, consumedCents } = input;
  assertAmount(consumedCents, 'consumedCents', true);
  const order0 = await db('orders').where({ id: orderId }).first('account_id');
  if (!order0) throw new LedgerError('order_not_found', `no order ${orderId}`);
  return inTrx(db, async (t) => {
    await lockBalance(t, order0.account_id);
    const order = await t('orders').where({ id: orderId }).forUpdate().first();
    const reserved = Number(order.reserved_cents);
    const released = Number(order.released_cents);
    if (order.status === 'settled') {
      return {
        consumedCents: Number(order.consumed_cents), overageCents: Number(order.consumed_overage_cents),
        releasedCents: released,
      };
    }
    if (order.status !== 'reserved') throw new LedgerError('order_not_reserved', `order ${orderId} is ${order.status}`);
    const outstanding = reserved - released;
    if (consumedCents > outstanding) {
      throw new LedgerError('consumption_exceeds_reservation', `consumption of ${consumedCents} exceeds the ${outstanding} cents reserved`);
    }
    const accountId = order.account_id as string;
    const balanceOutstanding = reserved - Number(order.reserved_overage_cents) - (released - Number(order.released_overage_cents));
    // The balance is consumed first, then the overage.
    const fromBalance = Math.min(consumedCents, balanceOutstanding);
    const overage = consumedCents - fromBalance;
    for (const c of fromBalance > 0 ? await drawFifo(t, accountId, fromBalance) : []) {
      await append(t, {
        accountId, kind: 'consumption', availableDelta: 0, reservedDelta: -c.amount, amountCents: c.amount,
        idemKey: `consume:${orderId}:${c.fundingEntryId}`, orderId, fundingEntryId: c.fundingEntryId,
      });
    }
    if (overage > 0) {
      await append(t, {
        accountId, kind: 'consumption', availableDelta: 0, reservedDelta: 0, amountCents: overage,
        idemKey: `consume:${orderId}:overage`, orderId, overage: true, reason: 'beyond the prepaid balance: billed next month',
      });
    }
    const rest = balanceOutstanding - fromBalance;
    const restOverage = outstanding - consumedCents - rest;
    if (rest + restOverage > 0) {
      await append(t, {
        accountId, kind: 'release', availableDelta: rest, reservedDelta: -rest, amountCents: rest + restOverage,
        idemKey: `release:${orderId}:settlement`, orderId, reason: 'settlement',
      });
    }
    await t('orders').where({ id: orderId }).update({
      status: 'settled', consumed_cents: consumedCents, consumed_overage_cents: overage,
      released_cents: released + rest + restOverage,
      released_overage_cents: t.raw('released_overage_cents + ?', [restOverage]),
      settled_at: t.fn.now(),
    });
    return { consumedCents, overageCents: overage, releasedCents: released + rest + restOverage };
  });
}

export async function balanceOf(db: Db, accountId: string): Promise<{ availableCents: number; reservedCents: number }> {
  const row = await db('ledger_balances').where({ account_id: accountId }).first();
  return { availableCents: Number(row?.available_cents ?? 0), reservedCents: Number(row?.reserved_cents ?? 0) };
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
      accountId, kind, availableDelta: amountCents, reservedDelta: 0, amountCents, idemKey,
      sourceKind: source.kind, sourceRef: source.ref, reason: input.reason ?? null,
    });
    return { entryId, created: true };
  });
}

/**
 * Takes `amountCents` out of the available balance, FIFO over the funding (a negative staff
 * adjustment, or an expiry). Never below zero: throws InsufficientBalanceError.
 */
export async function debitAvailable(trx: Db, input: { accountId: string; amountCents: number; kind: 'adjustment' | 'expiry'; ref: string; reason?: string }): Promise<{ created: boolean }> {
  const { accountId, amountCents, kind, ref } = input;
  assertAmount(amountCents, 'amountCents');
  return inTrx(trx, async (t) => {
    const bal = await lockBalance(t, accountId);
    const prefix = `debit:${kind}:${ref}:`;
    const done = await t('ledger_entries').where('idem_key', 'like', `${prefix}%`).first('id');
    if (done) return { created: false };
    if (amountCents > bal.availableCents) throw new InsufficientBalanceError(bal.availableCents, amountCents);
    for (const c of await drawFifo(t, accountId, amountCents)) {
      await append(t, {
        accountId, kind, availableDelta: -c.amount, reservedDelta: 0, amountCents: c.amount,
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
export async function carryOver(trx: Db, input: { accountId: string; ref: string }): Promise<{ carriedCents: number }> {
  return inTrx(trx, async (t) => {
    const bal = await lockBalance(t, input.accountId);
    const done = await t('ledger_entries').where({ idem_key: `topup:carry_over:${input.ref}` }).first('amount_cents');
    if (done) return { carriedCents: Number(done.amount_cents) };
    if (bal.availableCents === 0) return { carriedCents: 0 };
    await debitAvailable(t, { accountId: input.accountId, amountCents: bal.availableCents, kind: 'expiry', ref: `carry:${input.ref}`, reason: 'carried to the next month' });
    await topUp(t, { accountId: input.accountId, amountCents: bal.availableCents, source: { kind: 'carry_over', ref: input.ref } });
    return { carriedCents: bal.availableCents };
  });
}

export interface LedgerEntryView {
  id: string;
  kind: string;
  availableDelta: number;
  reservedDelta: number;
  amountCents: number;
  orderId: string | null;
  fundingEntryId: string | null;
  overage: boolean;
  source: { kind: string; ref: string | null } | null;
  reason: string | null;
  createdAt: string;
}

export function entryView(r: Record<string, any>): LedgerEntryView {
  return {
    id: String(r.id), kind: r.kind, availableDelta: Number(r.available_delta), reservedDelta: Number(r.reserved_delta),
    amountCents: Number(r.amount_cents), orderId: r.order_id ?? null, fundingEntryId: r.funding_entry_id == null ? null : String(r.funding_entry_id),
    overage: r.overage, source: r.source_kind ? { kind: r.source_kind, ref: r.source_ref } : null, reason: r.reason ?? null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function ledgerEntries(db: Db, accountId: string, opts: { afterId?: string; limit?: number } = {}): Promise<LedgerEntryView[]> {
  const q = db('ledger_entries').where({ account_id: accountId }).orderBy('id').limit(Math.min(opts.limit ?? 200, 1000));
  if (opts.afterId) q.andWhere('id', '>', opts.afterId);
  return (await q).map(entryView);
}

/** Overage consumed in (afterId, upToId]: billed at list price with the next monthly invoice. */
export async function overageBetween(db: Db, accountId: string, afterId: string | number, upToId: string | number): Promise<number> {
  const r = await db('ledger_entries').where({ account_id: accountId, kind: 'consumption', overage: true })
    .andWhere('id', '>', afterId).andWhere('id', '<=', upToId).sum({ s: 'amount_cents' }).first();
  return Number(r?.s ?? 0);
}
