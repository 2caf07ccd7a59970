// Reservations against the prepaid balance (ToS 7.1.1 / 7.1.2): the send path reserves an
// Order's price before sending, releases what was not sent and settles the rest as consumption,
// FIFO over the funding. Subscription accounts reserve beyond the balance as overage (7.1.1);
// Pack accounts are refused unless allowPartial (7.1.2). Contract: the top of lib/ledger.ts.
import type { Knex } from 'knex';
import { chargeOnBalance } from '../domain/billing-cycle';
import {
  append,
  appendMany,
  assertAmount,
  drawFifo,
  inTrx,
  InsufficientBalanceError,
  LedgerError,
  lockBalance,
  lockBalances,
  type EntryInput,
  type Db,
} from './ledger';

async function accountFormula(trx: Knex.Transaction, accountId: string): Promise<'subscription' | 'pack'> {
  const a = await trx('accounts').where({ id: accountId }).first('formula');
  if (!a) throw new LedgerError('account_not_found', `no account ${accountId}`);
  return a.formula;
}

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
    if (order.account_id !== accountId)
      throw new LedgerError('order_account_mismatch', `order ${orderId} belongs to another account`);
    if (order.status !== 'quoted') {
      // Idempotent: the order was already reserved (or refused) by an earlier call.
      if (order.status === 'refused') throw new InsufficientBalanceError(bal.availableE4, amountE4);
      return { reservedE4: Number(order.reserved_e4), overageE4: Number(order.reserved_overage_e4) };
    }
    const [planned] = planReservations(await accountFormula(t, accountId), bal.availableE4, [input]);
    if (planned instanceof InsufficientBalanceError) throw planned;
    await applyReservations(t, [planned]);
    return { reservedE4: planned.reservedE4, overageE4: planned.overageE4 };
  });
}

export interface PlannedReservation extends ReserveResult {
  accountId: string;
  orderId: string;
  /** Part taken from the available balance (reserved in the ledger). */
  fromBalanceE4: number;
}

/**
 * The decisions for an account's new orders, in order, against its available balance (the caller
 * holds the balance row locked): each is charged on what the previous ones left (chargeOnBalance).
 * A refusal is an InsufficientBalanceError in that order's place; nothing is written.
 */
export function planReservations(
  formula: 'subscription' | 'pack',
  availableE4: number,
  orders: ReserveInput[],
): (PlannedReservation | InsufficientBalanceError)[] {
  let available = availableE4;
  return orders.map((o) => {
    assertAmount(o.amountE4, 'amountE4', true);
    const decision = chargeOnBalance(formula, available, o.amountE4, o.allowPartial ?? false);
    if (decision.outcome === 'refused') return new InsufficientBalanceError(available, o.amountE4);
    available -= decision.fromBalanceE4;
    return {
      accountId: o.accountId,
      orderId: o.orderId,
      fromBalanceE4: decision.fromBalanceE4,
      overageE4: decision.overageE4,
      reservedE4: decision.fromBalanceE4 + decision.overageE4,
    };
  });
}

/** Writes planned reservations of 'quoted' orders: one entry each, the orders marked reserved. */
export async function applyReservations(t: Knex.Transaction, planned: PlannedReservation[]): Promise<void> {
  if (planned.length === 0) return;
  await appendMany(
    t,
    planned.map((p) => ({
      accountId: p.accountId,
      kind: 'reservation' as const,
      availableDelta: -p.fromBalanceE4,
      reservedDelta: p.fromBalanceE4,
      amountE4: p.fromBalanceE4,
      idemKey: `reserve:${p.orderId}`,
      orderId: p.orderId,
      reason: p.overageE4 > 0 ? `overage ${p.overageE4}` : null,
    })),
  );
  await t.raw(
    `update orders o set status = 'reserved', reserved_e4 = v.r, reserved_overage_e4 = v.o
       from unnest(?::uuid[], ?::bigint[], ?::bigint[]) as v(id, r, o) where o.id = v.id and o.status = 'quoted'`,
    [planned.map((p) => p.orderId), planned.map((p) => p.reservedE4), planned.map((p) => p.overageE4)],
  );
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
    if (amountE4 > outstanding)
      throw new LedgerError(
        'release_exceeds_reservation',
        `release of ${amountE4} exceeds the ${outstanding} e4 still reserved`,
      );
    // Overage is released first: it never touched the balance.
    const overageLeft = Number(order.reserved_overage_e4) - Number(order.released_overage_e4);
    const overagePart = Math.min(overageLeft, amountE4);
    const balancePart = amountE4 - overagePart;
    await append(t, {
      accountId: order.account_id,
      kind: 'release',
      availableDelta: balancePart,
      reservedDelta: -balancePart,
      amountE4,
      idemKey,
      orderId,
      reason,
    });
    await t('orders')
      .where({ id: orderId })
      .update({
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
export async function settleOrder(db: Db, input: SettleInput): Promise<SettleResult> {
  return (await settleOrders(db, [input]))[0];
}

export interface SettleInput {
  orderId: string;
  consumedE4: number;
}

/**
 * settleOrder for many orders in one transaction (the single sends settle a batch at once): each
 * account's balance row is locked once, its funding drawn FIFO once for the batch and split over the
 * orders in the given order, and every entry written in one statement. Results in the input's order.
 */
export async function settleOrders(db: Db, inputs: SettleInput[]): Promise<SettleResult[]> {
  if (inputs.length === 0) return [];
  for (const i of inputs) assertAmount(i.consumedE4, 'consumedE4', true);
  const ids = inputs.map((i) => i.orderId);
  const owners = await db('orders').whereIn('id', ids).select('id', 'account_id');
  if (owners.length !== new Set(ids).size) throw new LedgerError('order_not_found', 'no such order');
  return inTrx(db, async (t) => {
    await lockBalances(
      t,
      owners.map((o) => o.account_id),
    );
    const rows = await t('orders').whereIn('id', ids).orderBy('id').forUpdate();
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    const results: SettleResult[] = [];
    const plans: {
      order: (typeof rows)[number];
      fromBalance: number;
      overage: number;
      rest: number;
      restOverage: number;
    }[] = [];
    for (const { orderId, consumedE4 } of inputs) {
      const order = byId.get(orderId)!;
      const reserved = Number(order.reserved_e4);
      const released = Number(order.released_e4);
      if (order.status === 'settled') {
        results.push({
          consumedE4: Number(order.consumed_e4),
          overageE4: Number(order.consumed_overage_e4),
          releasedE4: released,
        });
        continue;
      }
      if (order.status !== 'reserved')
        throw new LedgerError('order_not_reserved', `order ${orderId} is ${order.status}`);
      const outstanding = reserved - released;
      if (consumedE4 > outstanding) {
        throw new LedgerError(
          'consumption_exceeds_reservation',
          `consumption of ${consumedE4} exceeds the ${outstanding} e4 reserved`,
        );
      }
      const balanceOutstanding =
        reserved - Number(order.reserved_overage_e4) - (released - Number(order.released_overage_e4));
      // The balance is consumed first, then the overage.
      const fromBalance = Math.min(consumedE4, balanceOutstanding);
      const overage = consumedE4 - fromBalance;
      const rest = balanceOutstanding - fromBalance;
      const restOverage = outstanding - consumedE4 - rest;
      plans.push({ order, fromBalance, overage, rest, restOverage });
      results.push({ consumedE4, overageE4: overage, releasedE4: released + rest + restOverage });
      order.status = 'settled'; // a second input of the same order returns this settlement
      order.consumed_e4 = consumedE4;
      order.consumed_overage_e4 = overage;
      order.released_e4 = released + rest + restOverage;
    }
    const entries: EntryInput[] = [];
    for (const accountId of new Set(plans.map((p) => p.order.account_id as string))) {
      const mine = plans.filter((p) => p.order.account_id === accountId);
      const total = mine.reduce((s, p) => s + p.fromBalance, 0);
      const chunks = total > 0 ? await drawFifo(t, accountId, total) : [];
      for (const p of mine) {
        const orderId = p.order.id as string;
        for (const c of takeChunks(chunks, p.fromBalance)) {
          entries.push({
            accountId,
            kind: 'consumption',
            availableDelta: 0,
            reservedDelta: -c.amount,
            amountE4: c.amount,
            idemKey: `consume:${orderId}:${c.fundingEntryId}`,
            orderId,
            fundingEntryId: c.fundingEntryId,
          });
        }
        if (p.overage > 0) {
          entries.push({
            accountId,
            kind: 'consumption',
            availableDelta: 0,
            reservedDelta: 0,
            amountE4: p.overage,
            idemKey: `consume:${orderId}:overage`,
            orderId,
            overage: true,
            reason: 'beyond the prepaid balance: billed next month',
          });
        }
        if (p.rest + p.restOverage > 0) {
          entries.push({
            accountId,
            kind: 'release',
            availableDelta: p.rest,
            reservedDelta: -p.rest,
            amountE4: p.rest + p.restOverage,
            idemKey: `release:${orderId}:settlement`,
            orderId,
            reason: 'settlement',
          });
        }
      }
    }
    await appendMany(t, entries);
    if (plans.length > 0) {
      await t.raw(
        `update orders o set status = 'settled', consumed_e4 = v.c, consumed_overage_e4 = v.co,
                released_e4 = o.released_e4 + v.r, released_overage_e4 = o.released_overage_e4 + v.ro,
                settled_at = now()
           from unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) as v(id, c, co, r, ro)
          where o.id = v.id`,
        [
          plans.map((p) => p.order.id),
          plans.map((p) => p.fromBalance + p.overage),
          plans.map((p) => p.overage),
          plans.map((p) => p.rest + p.restOverage),
          plans.map((p) => p.restOverage),
        ],
      );
    }
    return results;
  });
}

/** Takes `amount` off the front of FIFO chunks (mutating them): the part of one order. */
function takeChunks(
  chunks: { fundingEntryId: string; amount: number }[],
  amount: number,
): { fundingEntryId: string; amount: number }[] {
  const taken: { fundingEntryId: string; amount: number }[] = [];
  let left = amount;
  while (left > 0) {
    const c = chunks[0];
    const take = Math.min(left, c.amount);
    taken.push({ fundingEntryId: c.fundingEntryId, amount: take });
    c.amount -= take;
    left -= take;
    if (c.amount === 0) chunks.shift();
  }
  return taken;
}
