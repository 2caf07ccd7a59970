// The prepaid ledger and Orders against the real Postgres: the contract the send path uses.
import { randomUUID } from 'node:crypto';
import { createDb } from '../../lib/db';
import { InsufficientBalanceError } from '../../lib/ledger';
import { releaseFunds, reserveFunds, settleOrder } from '../../lib/ledger-reservations';
import { carryOver, debitAvailable, topUp } from '../../lib/ledger-funding';
import { balanceOf } from '../../lib/ledger-views';
import { createOrder, quoteOrder, type StoredQuote } from '../../lib/orders';
import { e4ToCentsHalfUp } from '../../domain/send-pricing';
import { balance, checkLedger, insertAccount } from '../support/billing';
import { createBillingActivities } from '../../activities/billing';
import { billingMonths } from '../../domain/billing-cycle';
import { getInvoice } from '../../lib/invoices-documents';

const db = createDb(process.env.DATABASE_URL!);
afterAll(async () => {
  await db.destroy();
});

/** The ledger's unit: ten-thousandths of a euro. */
const e4 = (cents: number) => cents * 100;

function quote(totalE4: number): StoredQuote {
  return {
    priceListVersion: 'test',
    quotedAt: new Date().toISOString(),
    channel: 'sms',
    lines: [{ country: 'FR', segments: 1, quantity: 1, priceE4: totalE4, matchedCountry: 'FR', amountE4: totalE4 }],
    totalE4,
    totalCents: e4ToCentsHalfUp(totalE4),
  };
}

async function order(accountId: string, totalE4: number) {
  return createOrder(db, { accountId, kind: 'single', channel: 'sms', quote: quote(totalE4) });
}

async function expectConsistent(accountId: string) {
  const c = await checkLedger(db, accountId);
  expect(c.available).toBeGreaterThanOrEqual(0);
  expect(c.reserved).toBeGreaterThanOrEqual(0);
  expect(c.available).toBe(c.sumAvailable);
  expect(c.reserved).toBe(c.sumReserved);
  expect(c.untraced).toBe(0);
  expect(c.overdrawnFunding).toBe(0);
  return c;
}

describe('prepaid ledger', () => {
  test('When 20 orders of 1.00 € reserve concurrently on a 10.00 € pack, then exactly 10 succeed, the balance never goes negative and equals the sum of the entries', async () => {
    const accountId = await insertAccount(db, { formula: 'pack' });
    await topUp(db, { accountId, amountCents: 1000, source: { kind: 'pack_purchase', ref: randomUUID() } });
    const orders = await Promise.all(Array.from({ length: 20 }, () => order(accountId, e4(100))));
    const results = await Promise.allSettled(
      orders.map((o) => db.transaction((trx) => reserveFunds(trx, { accountId, orderId: o.id, amountE4: e4(100) }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(10);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(InsufficientBalanceError);
      expect(r.reason).toMatchObject({ code: 'insufficient_balance', availableE4: 0, requestedE4: e4(100) });
    }
    expect(await balanceOf(db, accountId)).toEqual(balance(0, 1000));
    await expectConsistent(accountId);
  });

  test('When an order is reserved and settled twice, then it is charged exactly once and the rest is released', async () => {
    const accountId = await insertAccount(db, { formula: 'pack' });
    await topUp(db, { accountId, amountCents: 500, source: { kind: 'pack_purchase', ref: randomUUID() } });
    const o = await order(accountId, e4(300));
    expect(await reserveFunds(db, { accountId, orderId: o.id, amountE4: e4(300) })).toEqual({
      reservedE4: e4(300),
      overageE4: e4(0),
    });
    expect(await reserveFunds(db, { accountId, orderId: o.id, amountE4: e4(300) })).toEqual({
      reservedE4: e4(300),
      overageE4: e4(0),
    });
    expect(await balanceOf(db, accountId)).toEqual(balance(200, 300));
    const first = await settleOrder(db, { orderId: o.id, consumedE4: e4(250) });
    const again = await settleOrder(db, { orderId: o.id, consumedE4: e4(250) });
    expect(again).toEqual(first);
    expect(first).toEqual({ consumedE4: e4(250), overageE4: 0, releasedE4: e4(50) });
    expect(await balanceOf(db, accountId)).toEqual(balance(250, 0));
    const entries = await db('ledger_entries').where({ order_id: o.id }).orderBy('id');
    expect(entries.map((e) => [e.kind, Number(e.amount_e4) / 100])).toEqual([
      ['reservation', 300],
      ['consumption', 250],
      ['release', 50],
    ]);
    await expectConsistent(accountId);
  });

  test('When consumption spans two top-ups, then each consumption entry traces the funding it used, oldest first', async () => {
    const accountId = await insertAccount(db, { formula: 'pack' });
    const a = await topUp(db, { accountId, amountCents: 100, source: { kind: 'pack_purchase', ref: randomUUID() } });
    const b = await topUp(db, { accountId, amountCents: 400, source: { kind: 'adjustment', ref: randomUUID() } });
    const o1 = await order(accountId, e4(70));
    await reserveFunds(db, { accountId, orderId: o1.id, amountE4: e4(70) });
    await settleOrder(db, { orderId: o1.id, consumedE4: e4(70) });
    const o2 = await order(accountId, e4(200));
    await reserveFunds(db, { accountId, orderId: o2.id, amountE4: e4(200) });
    await settleOrder(db, { orderId: o2.id, consumedE4: e4(200) });
    const cons = await db('ledger_entries').where({ account_id: accountId, kind: 'consumption' }).orderBy('id');
    expect(cons.map((c) => [c.order_id, String(c.funding_entry_id), Number(c.amount_e4) / 100])).toEqual([
      [o1.id, a.entryId, 70],
      [o2.id, a.entryId, 30],
      [o2.id, b.entryId, 170],
    ]);
    await expectConsistent(accountId);
  });

  test('When funds are released partially, then each (order, reason) releases once and settlement covers only what is left', async () => {
    const accountId = await insertAccount(db, { formula: 'pack' });
    await topUp(db, { accountId, amountCents: 1000, source: { kind: 'pack_purchase', ref: randomUUID() } });
    const o = await order(accountId, e4(900));
    await reserveFunds(db, { accountId, orderId: o.id, amountE4: e4(900) });
    await releaseFunds(db, { orderId: o.id, amountE4: e4(90), reason: 'rejected:page-1' });
    await releaseFunds(db, { orderId: o.id, amountE4: e4(90), reason: 'rejected:page-1' });
    expect(await balanceOf(db, accountId)).toEqual(balance(190, 810));
    await expect(settleOrder(db, { orderId: o.id, consumedE4: e4(811) })).rejects.toMatchObject({
      code: 'consumption_exceeds_reservation',
    });
    await settleOrder(db, { orderId: o.id, consumedE4: e4(800) });
    expect(await balanceOf(db, accountId)).toEqual(balance(200, 0));
    await expectConsistent(accountId);
  });

  test('When a pack order exceeds the balance with allowPartial, then what the balance covers is reserved; without it the order is refused', async () => {
    const accountId = await insertAccount(db, { formula: 'pack' });
    await topUp(db, { accountId, amountCents: 150, source: { kind: 'pack_purchase', ref: randomUUID() } });
    const refused = await order(accountId, e4(200));
    await expect(reserveFunds(db, { accountId, orderId: refused.id, amountE4: e4(200) })).rejects.toBeInstanceOf(
      InsufficientBalanceError,
    );
    const partial = await order(accountId, e4(200));
    expect(await reserveFunds(db, { accountId, orderId: partial.id, amountE4: e4(200), allowPartial: true })).toEqual({
      reservedE4: e4(150),
      overageE4: e4(0),
    });
    await expectConsistent(accountId);
  });

  test('When a subscription order exceeds the prepaid balance, then the excess is overage (no negative balance) and consumed as an overage entry', async () => {
    const accountId = await insertAccount(db, { formula: 'subscription' });
    await topUp(db, { accountId, amountCents: 100, source: { kind: 'subscription_prepaid', ref: randomUUID() } });
    const o = await order(accountId, e4(250));
    expect(await reserveFunds(db, { accountId, orderId: o.id, amountE4: e4(250) })).toEqual({
      reservedE4: e4(250),
      overageE4: e4(150),
    });
    expect(await balanceOf(db, accountId)).toEqual(balance(0, 100));
    await releaseFunds(db, { orderId: o.id, amountE4: e4(20), reason: 'rejected' }); // overage released first
    expect(await balanceOf(db, accountId)).toEqual(balance(0, 100));
    expect(await settleOrder(db, { orderId: o.id, consumedE4: e4(200) })).toEqual({
      consumedE4: e4(200),
      overageE4: e4(100),
      releasedE4: e4(50),
    });
    expect(await balanceOf(db, accountId)).toEqual(balance(0, 0));
    const over = await db('ledger_entries').where({ order_id: o.id, kind: 'consumption', overage: true }).first();
    expect(Number(over.amount_e4)).toBe(e4(100));
    await expectConsistent(accountId);
  });

  test('When a Subscription runs 13 billing months through a renewal, then each invoice has fee + prepaid + last month’s overage and the unused balance is carried, never refunded', async () => {
    const effectiveAt = new Date('2026-01-31T00:00:00+01:00');
    const accountId = await insertAccount(db, { formula: 'subscription', effectiveDate: effectiveAt });
    await db('subscriptions').insert({
      account_id: accountId,
      monthly_fee_cents: 9900,
      monthly_prepaid_cents: 5000,
      effective_at: effectiveAt,
    });
    const billing = createBillingActivities({ db, temporal: undefined as never }); // the month close needs no workflow
    const consumed = [3000, 9000, 0, 12000, 5000, 4000, 6000, 0, 0, 20000, 1000, 5000, 7000]; // cents per month
    const carries: number[] = [];
    const overages: number[] = [];
    const nets: number[] = [];
    const months = billingMonths(effectiveAt, 13);
    for (const [n, m] of months.entries()) {
      const run = await billing.runSubscriptionMonth({
        accountId,
        monthNumber: n,
        start: m.start.toISOString(),
        end: m.end.toISOString(),
        issuedAt: new Date().toISOString(),
      });
      const inv = (await getInvoice(db, run.invoice!.invoiceId))!;
      nets.push(inv.netCents);
      if (n > 0) {
        overages.push((inv.meta as { overageCents: number }).overageCents);
        const carry = await db('ledger_entries')
          .where({ account_id: accountId, kind: 'carry_over', source_ref: `${accountId}:month:${n}` })
          .first();
        carries.push(Number(carry?.amount_e4 ?? 0) / 100);
      }
      if (consumed[n] > 0) {
        const o = await order(accountId, e4(consumed[n]));
        await reserveFunds(db, { accountId, orderId: o.id, amountE4: e4(consumed[n]) });
        await settleOrder(db, { orderId: o.id, consumedE4: e4(consumed[n]) });
      }
    }
    // Months 1–12's overage and carry-over, billed and opened at the next month's close; month 13 left open.
    expect(overages).toEqual([0, 2000, 0, 2000, 0, 0, 0, 0, 0, 5000, 0, 0]);
    expect(carries).toEqual([2000, 0, 5000, 0, 0, 1000, 0, 5000, 10000, 0, 4000, 4000]);
    expect(await balanceOf(db, accountId)).toEqual(balance(2000, 0)); // month 13: 4000 + 5000 - 7000
    expect(nets).toEqual([14900, 14900, 16900, 14900, 16900, 14900, 14900, 14900, 14900, 14900, 19900, 14900, 14900]);
    expect(nets.reduce((a, b) => a + b, 0)).toBe(13 * 14900 + 9000); // 202 700
    await expectConsistent(accountId);
  });

  test('When the month closes, then the unused balance is carried over (net zero) and later consumption traces to the carry-over entry', async () => {
    const accountId = await insertAccount(db, { formula: 'subscription' });
    await topUp(db, { accountId, amountCents: 500, source: { kind: 'subscription_prepaid', ref: randomUUID() } });
    const ref = randomUUID();
    expect(await carryOver(db, { accountId, ref })).toEqual({ carriedE4: e4(500) });
    expect(await carryOver(db, { accountId, ref })).toEqual({ carriedE4: e4(500) });
    expect(await balanceOf(db, accountId)).toEqual(balance(500, 0));
    const carry = await db('ledger_entries').where({ account_id: accountId, kind: 'carry_over' }).first();
    const o = await order(accountId, e4(120));
    await reserveFunds(db, { accountId, orderId: o.id, amountE4: e4(120) });
    await settleOrder(db, { orderId: o.id, consumedE4: e4(120) });
    const cons = await db('ledger_entries').where({ order_id: o.id, kind: 'consumption' });
    expect(cons.map((c) => String(c.funding_entry_id))).toEqual([String(carry.id)]);
    await expectConsistent(accountId);
  });

  test('When random reservations, releases, settlements, top-ups and debits run concurrently, then the ledger invariants hold after each round', async () => {
    const accountId = await insertAccount(db, { formula: 'pack' });
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 6; round++) {
      const ops: Promise<unknown>[] = [];
      ops.push(topUp(db, { accountId, amountCents: 1 + rnd(500), source: { kind: 'adjustment', ref: randomUUID() } }));
      for (let i = 0; i < 8; i++) {
        const amount = 1 + rnd(20_000); // e4: fractions of a cent too
        ops.push(
          (async () => {
            const o = await order(accountId, amount);
            await reserveFunds(db, { accountId, orderId: o.id, amountE4: amount });
            if (rnd(2)) await releaseFunds(db, { orderId: o.id, amountE4: rnd(amount + 1), reason: 'r' });
            const row = await db('orders').where({ id: o.id }).first();
            const left = Number(row.reserved_e4) - Number(row.released_e4);
            await settleOrder(db, { orderId: o.id, consumedE4: rnd(left + 1) });
          })().catch((e) => {
            if (!(e instanceof InsufficientBalanceError)) throw e;
          }),
        );
      }
      ops.push(
        debitAvailable(db, { accountId, amountCents: 1 + rnd(50), kind: 'adjustment', ref: randomUUID() }).catch(
          (e) => {
            if (!(e instanceof InsufficientBalanceError)) throw e;
          },
        ),
      );
      await Promise.all(ops);
      const c = await expectConsistent(accountId);
      expect(c.reserved).toBe(0);
    }
  });
});

describe('orders', () => {
  test('When an order is quoted from the launch price list, then it stores unit prices per country and a total rounded once', async () => {
    const q = await quoteOrder(db, {
      channel: 'sms',
      lines: [
        { country: 'FR', segments: 2, quantity: 3 },
        { country: 'DE', segments: 1, quantity: 1 },
        { country: 'US', segments: 1, quantity: 1 },
      ],
    });
    // 6 × 0.0450 + 0.0700 + 0.0900 = 0.4300 €
    expect(q.lines.map((l) => [l.country, l.priceE4, l.matchedCountry])).toEqual([
      ['FR', 450, 'FR'],
      ['DE', 700, 'DE'],
      ['US', 900, '*'],
    ]);
    expect(q.totalCents).toBe(43);
    const email = await quoteOrder(db, { channel: 'email', lines: [{ country: 'FR', segments: 1, quantity: 15 }] });
    expect(email.totalCents).toBe(2); // 15 × 0.0010 € = 0.015 € → 2 cents (half up, once)
  });
});
