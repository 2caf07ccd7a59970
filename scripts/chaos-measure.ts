// What a chaos run measures, against the carrier simulator's own record of accepted messages
// (never against our rows alone) and the account's ledger in Postgres (docs/billing.md).
import type { Knex } from 'knex';
import type { SimClient } from './chaos-sim';

/** Statuses after which nothing more happens to a message (migrations/005_sending.ts). */
const FINAL = ['delivered', 'undelivered', 'failed', 'rejected_by_carrier', 'suppressed', 'cancelled'];
/** Never handed to the carrier, legitimately: refused by it for good, or suppressed. */
const LEGITIMATELY_UNSENT = ['rejected_by_carrier', 'suppressed'];

export interface CampaignMeasure {
  lost: number;
  duplicates: number;
  stuck: number;
  ledgerOk: boolean;
  statuses: Record<string, number>;
  /** Each ledger invariant that does not hold, in words. */
  ledgerProblems: string[];
}

/** Messages of the order without a final status (queued, held, submitting, submitted…). */
export async function stuckCount(db: Knex, orderId: string): Promise<number> {
  const { rows } = await db.raw('select count(*)::int as n from messages where order_id = ? and status <> all(?)', [
    orderId,
    FINAL,
  ]);
  return (rows as { n: number }[])[0].n;
}

/**
 * lost: messages the carrier never accepted that are not legitimately unsent; duplicates:
 * acceptances beyond one per message; stuck: messages without a final status; ledger: the order
 * settled to the e4 on what the carrier accepted, its reservation released, the balance row equal
 * to the sum of the entries, nothing left reserved (a fresh account per run), and the account's
 * funds minus the consumption still available.
 */
export async function measureCampaign(
  db: Knex,
  sim: SimClient,
  run: { orderId: string; accountId: string; fundsE4: number },
): Promise<CampaignMeasure> {
  const rows = await db('messages')
    .where({ order_id: run.orderId })
    .orderBy('id')
    .select<{ id: string; status: string; price_e4: number }[]>('id', 'status', 'price_e4');
  const counts = await sim.acceptedCounts(rows.map((r) => String(r.id)));
  const statuses: Record<string, number> = {};
  let lost = 0;
  let duplicates = 0;
  let stuck = 0;
  let acceptedE4 = 0;
  rows.forEach((r, i) => {
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (counts[i] === 0 && !LEGITIMATELY_UNSENT.includes(r.status)) lost += 1;
    if (counts[i] > 1) duplicates += counts[i] - 1;
    if (counts[i] > 0) acceptedE4 += Number(r.price_e4);
    if (!FINAL.includes(r.status)) stuck += 1;
  });
  const ledgerProblems = await ledgerProblemsOf(db, { ...run, acceptedE4 });
  return { lost, duplicates, stuck, ledgerOk: ledgerProblems.length === 0, statuses, ledgerProblems };
}

async function ledgerProblemsOf(
  db: Knex,
  run: { orderId: string; accountId: string; fundsE4: number; acceptedE4: number },
): Promise<string[]> {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const n = (v: unknown) => Number(v ?? 0);
  const order = await db('orders').where({ id: run.orderId }).first();
  const balance = await db('ledger_balances').where({ account_id: run.accountId }).first();
  const [sums] = await db('ledger_entries')
    .where({ account_id: run.accountId })
    .select(
      db.raw('coalesce(sum(available_delta), 0) as available'),
      db.raw('coalesce(sum(reserved_delta), 0) as reserved'),
      db.raw(`coalesce(sum(amount_e4) filter (where kind = 'consumption' and order_id = ?), 0) as consumed`, [
        run.orderId,
      ]),
      db.raw(`coalesce(sum(amount_e4) filter (where kind = 'release' and order_id = ?), 0) as released`, [run.orderId]),
    );
  if (!order || !balance) return ['no order or no balance row'];
  check(order.status === 'settled', `order is ${order.status}, not settled`);
  check(
    n(order.consumed_e4) === run.acceptedE4,
    `consumed ${order.consumed_e4} e4, but the carrier accepted ${run.acceptedE4} e4 worth of messages`,
  );
  check(
    n(order.released_e4) + n(order.consumed_e4) === n(order.reserved_e4),
    `reserved ${order.reserved_e4} e4 = consumed ${order.consumed_e4} + released ${order.released_e4} does not hold`,
  );
  check(n(sums.consumed) === n(order.consumed_e4), `consumption entries ${sums.consumed} ≠ order ${order.consumed_e4}`);
  check(n(sums.released) === n(order.released_e4), `release entries ${sums.released} ≠ order ${order.released_e4}`);
  check(n(balance.available_e4) === n(sums.available), `available ${balance.available_e4} ≠ entries ${sums.available}`);
  check(n(balance.reserved_e4) === n(sums.reserved), `reserved ${balance.reserved_e4} ≠ entries ${sums.reserved}`);
  check(n(balance.reserved_e4) === 0, `${balance.reserved_e4} e4 still reserved`);
  check(
    n(balance.available_e4) === run.fundsE4 - n(order.consumed_e4),
    `available ${balance.available_e4} ≠ funds ${run.fundsE4} − consumed ${order.consumed_e4}`,
  );
  return problems;
}
