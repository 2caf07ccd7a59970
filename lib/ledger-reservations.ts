// Reservations against the prepaid balance (ToS 7.1.1 / 7.1.2): the send path reserves an
// Order's price before sending, releases what was not sent and settles the rest as consumption,
// FIFO over the funding. Subscription accounts reserve beyond the balance as overage (7.1.1);
// Pack accounts are refused unless allowPartial (7.1.2). Contract: the top of lib/ledger.ts.
import type { Knex } from 'knex';
import { chargeOnBalance } from '../domain/billing-cycle';
import {
  append,
  assertAmount,
  drawFifo,
  inTrx,
  InsufficientBalanceError,
  LedgerError,
  lockBalance,
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
    const decision = chargeOnBalance(
      await accountFormula(t, accountId),
      bal.availableE4,
      amountE4,
      input.allowPartial ?? false,
    );
    if (decision.outcome === 'refused') throw new InsufficientBalanceError(bal.availableE4, amountE4);
    const { fromBalanceE4: fromBalance, overageE4: overage } = decision;
    await append(t, {
      accountId,
      kind: 'reservation',
      availableDelta: -fromBalance,
      reservedDelta: fromBalance,
      amountE4: fromBalance,
      idemKey: `reserve:${orderId}`,
      orderId,
      reason: overage > 0 ? `overage ${overage}` : null,
    });
    const reserved = fromBalance + overage;
    await t('orders')
      .where({ id: orderId })
      .update({ status: 'reserved', reserved_e4: reserved, reserved_overage_e4: overage });
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
        consumedE4: Number(order.consumed_e4),
        overageE4: Number(order.consumed_overage_e4),
        releasedE4: released,
      };
    }
    if (order.status !== 'reserved') throw new LedgerError('order_not_reserved', `order ${orderId} is ${order.status}`);
    const outstanding = reserved - released;
    if (consumedE4 > outstanding) {
      throw new LedgerError(
        'consumption_exceeds_reservation',
        `consumption of ${consumedE4} exceeds the ${outstanding} e4 reserved`,
      );
    }
    const accountId = order.account_id as string;
    const balanceOutstanding =
      reserved - Number(order.reserved_overage_e4) - (released - Number(order.released_overage_e4));
    // The balance is consumed first, then the overage.
    const fromBalance = Math.min(consumedE4, balanceOutstanding);
    const overage = consumedE4 - fromBalance;
    for (const c of fromBalance > 0 ? await drawFifo(t, accountId, fromBalance) : []) {
      await append(t, {
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
    if (overage > 0) {
      await append(t, {
        accountId,
        kind: 'consumption',
        availableDelta: 0,
        reservedDelta: 0,
        amountE4: overage,
        idemKey: `consume:${orderId}:overage`,
        orderId,
        overage: true,
        reason: 'beyond the prepaid balance: billed next month',
      });
    }
    const rest = balanceOutstanding - fromBalance;
    const restOverage = outstanding - consumedE4 - rest;
    if (rest + restOverage > 0) {
      await append(t, {
        accountId,
        kind: 'release',
        availableDelta: rest,
        reservedDelta: -rest,
        amountE4: rest + restOverage,
        idemKey: `release:${orderId}:settlement`,
        orderId,
        reason: 'settlement',
      });
    }
    await t('orders')
      .where({ id: orderId })
      .update({
        status: 'settled',
        consumed_e4: consumedE4,
        consumed_overage_e4: overage,
        released_e4: released + rest + restOverage,
        released_overage_e4: t.raw('released_overage_e4 + ?', [restOverage]),
        settled_at: t.fn.now(),
      });
    return { consumedE4, overageE4: overage, releasedE4: released + rest + restOverage };
  });
}
