// 3.2 ii — Pack validity. Rule (domain/contract-clocks.ts packEnd): the terms stay in force until
// last use + 1 year (same Paris wall-clock time); in force iff now < end; every Order moves the
// end to its own instant + 1 year. Before any Order the year runs from the Effective Date. The
// last use is read from Postgres (the latest Order: activity lastUseOfServices, run for real here).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TERMS_2026_01 } from '../../domain/terms-policy';
import { packEnd } from '../../domain/contract-clocks';
import { accountStateQuery, clockStateQuery, orderPlaced, terminateAccount } from '../../workflows/messages';
import { SA } from '../../workflows/search-attributes';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { createDb } from '../../lib/db';
import { loadConfig } from '../../lib/config';
import { reserveFunds } from '../../lib/ledger-reservations';
import { topUp } from '../../lib/ledger-funding';
import { createOrder } from '../../lib/orders';
import { createLifecycleActivities } from '../../workers/activities';
import { insertAccount } from '../support/billing';
import { contractFakes, finished, keepHistory, until } from './support/contract-fakes';
import { accountWorkflowId, packValidityWorkflowId } from '../../workflows/ids';

const TICK = 1000;
const DAY = 86_400_000;
const db = createDb(process.env.DATABASE_URL!);
const quote = {
  priceListVersion: 't',
  quotedAt: new Date().toISOString(),
  channel: 'sms' as const,
  lines: [],
  totalE4: 450,
  totalCents: 5,
};

/** An Order as the send path writes it (created and reserved in one transaction), dated `at`. */
async function placeOrder(accountId: string, at: Date, reserve = true): Promise<void> {
  const orderId = await db.transaction(async (trx) => {
    const o = await createOrder(trx, { accountId, kind: 'single', channel: 'sms', quote });
    if (reserve) await reserveFunds(trx, { accountId, orderId: o.id, amountE4: o.totalE4 });
    return o.id;
  });
  if (!reserve) await db('orders').where({ id: orderId, status: 'quoted' }).update({ status: 'refused' });
  // created_at is Postgres's now(), which the time-skipping server does not move: date it at the
  // test server's instant, as production's now() would be.
  await db('orders').where({ id: orderId }).update({ created_at: at });
}

describe('pack validity clock (3.2 ii)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
    await db.destroy();
  });

  /** A Pack account in Postgres, its clock on the fakes except lastUseOfServices (the real one). */
  async function packClock(name: string) {
    const taskQueue = uniqueQueue(name);
    const t0 = new Date(await env.currentTimeMs());
    const id = await insertAccount(db, { formula: 'pack', effectiveDate: t0 });
    await topUp(db, { accountId: id, amountCents: 100, source: { kind: 'adjustment', ref: `pack-${id}` } });
    const fakes = contractFakes(env, [
      {
        accountId: id,
        termsVersion: TERMS_2026_01.version,
        policy: TERMS_2026_01,
        effectiveDate: t0.toISOString(),
        formula: 'pack',
        status: 'active',
      },
    ]);
    const config = loadConfig({ ...process.env, LIFECYCLE_TASK_QUEUE: taskQueue, LOG_LEVEL: 'silent' });
    const { lastUseOfServices } = createLifecycleActivities({ db, config, temporal: env.client });
    const worker = await testWorker(env, { taskQueue, activities: { ...fakes.activities, lastUseOfServices } });
    const start = () =>
      env.client.workflow.start('packValidityWorkflow', {
        taskQueue,
        workflowId: packValidityWorkflowId(id),
        args: [{ accountId: id }],
      });
    return { id, t0, fakes, worker, start };
  }
  const sleepTo = async (at: number) => {
    const now = await env.currentTimeMs();
    if (at > now) await env.sleep(at - now);
  };

  test('When an Order is placed at month 11 (in Postgres, no signal), then the end moves to a year after it: the register shows it within 30 days, the first end passes without effect, and the contract is in force one tick before the new end and ended one tick after', async () => {
    const { id, t0, fakes, worker, start } = await packClock('pack-db');
    await worker.runUntil(async () => {
      const h = await start();
      const firstEnd = packEnd(t0, TERMS_2026_01);
      await until(() => fakes.deadline(h.workflowId, 'pack_validity_end'), Boolean);
      expect(fakes.deadline(h.workflowId, 'pack_validity_end')).toMatchObject({
        dueAt: firstEnd.toISOString(),
        state: 'open',
      });

      await sleepTo(t0.getTime() + 320 * DAY);
      const used = new Date(await env.currentTimeMs());
      await placeOrder(id, used);
      const newEnd = packEnd(used, TERMS_2026_01);
      // Re-read at most 30 days later: the register and the search attribute follow.
      await sleepTo(used.getTime() + 30 * DAY + TICK);
      await until(
        () => fakes.deadline(h.workflowId, 'pack_validity_end')?.dueAt,
        (d) => d === newEnd.toISOString(),
      );
      expect((await h.query(clockStateQuery)).details.lastUseAt).toBe(used.toISOString());
      expect((await h.describe()).typedSearchAttributes.get(SA.NextDeadline)?.toISOString()).toBe(newEnd.toISOString());

      await sleepTo(firstEnd.getTime() + TICK);
      expect(fakes.called('terminateAccountFor')).toHaveLength(0);
      expect((await h.query(clockStateQuery)).state).toBe('in_force');

      await sleepTo(newEnd.getTime() - TICK);
      expect(fakes.called('terminateAccountFor')).toHaveLength(0);
      expect((await h.query(clockStateQuery)).state).toBe('in_force');
      await env.sleep(2 * TICK);
      expect((await finished(h)).state).toBe('ended');
      const [term] = fakes.called('terminateAccountFor');
      expect(term.args).toMatchObject({ accountId: id, clause: '3.2 ii' });
      expect(term.at).toBeGreaterThanOrEqual(newEnd.getTime());
      expect(fakes.deadline(h.workflowId, 'pack_validity_end')).toMatchObject({
        state: 'closed',
        outcome: 'expired',
        dueAt: newEnd.toISOString(),
      });
      await keepHistory('pack-validity-last-use', h);
    });
  });

  test('When no Order is placed (a refused one at month 11 is no use), then the contract is in force one tick before a year from the Effective Date and ended one tick after', async () => {
    const { id, t0, fakes, worker, start } = await packClock('pack-none');
    await worker.runUntil(async () => {
      const h = await start();
      const end = packEnd(t0, TERMS_2026_01);
      await sleepTo(t0.getTime() + 320 * DAY);
      await placeOrder(id, new Date(await env.currentTimeMs()), false);
      await sleepTo(end.getTime() - TICK);
      expect(fakes.called('terminateAccountFor')).toHaveLength(0);
      expect((await h.query(clockStateQuery)).state).toBe('in_force');
      await env.sleep(2 * TICK);
      expect((await finished(h)).state).toBe('ended');
      expect(fakes.called('terminateAccountFor')).toHaveLength(1);
      expect(fakes.deadline(h.workflowId, 'pack_validity_end')).toMatchObject({
        state: 'closed',
        outcome: 'expired',
        dueAt: end.toISOString(),
      });
    });
  });

  test('When an Order is signalled (orderPlaced, recorded histories), then the end moves to a year after it: the old end passes without effect, and the contract ends one tick after the new end, not one tick before', async () => {
    const taskQueue = uniqueQueue('pack');
    const t0 = new Date(await env.currentTimeMs());
    const id = `pack-${taskQueue}`;
    const fakes = contractFakes(env, [
      {
        accountId: id,
        termsVersion: TERMS_2026_01.version,
        policy: TERMS_2026_01,
        effectiveDate: t0.toISOString(),
        formula: 'pack',
        status: 'active',
      },
    ]);
    const worker = await testWorker(env, { taskQueue, activities: fakes.activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start('packValidityWorkflow', {
        taskQueue,
        workflowId: packValidityWorkflowId(id),
        args: [{ accountId: id }],
      });
      const firstEnd = packEnd(t0, TERMS_2026_01);
      await until(() => fakes.deadline(h.workflowId, 'pack_validity_end'), Boolean);
      expect(fakes.deadline(h.workflowId, 'pack_validity_end')).toMatchObject({
        dueAt: firstEnd.toISOString(),
        state: 'open',
        clause: '3.2 ii',
        accountId: id,
      });

      await env.sleep(100 * DAY);
      await h.signal(orderPlaced, { orderId: 'order-1' });
      const st = await until(
        () => h.query(clockStateQuery),
        (s) => s.details.orders === 1,
      );
      const lastUse = new Date(st.details.lastUseAt as string);
      const newEnd = packEnd(lastUse, TERMS_2026_01);
      expect(st.nextDeadline).toBe(newEnd.toISOString());
      await until(
        () => fakes.deadline(h.workflowId, 'pack_validity_end')?.dueAt,
        (d) => d === newEnd.toISOString(),
      );
      expect((await h.describe()).typedSearchAttributes.get(SA.NextDeadline)?.toISOString()).toBe(newEnd.toISOString());

      // The first end passes: nothing happens (the Order pushed it back).
      await env.sleep(firstEnd.getTime() - (await env.currentTimeMs()) + TICK);
      expect(fakes.called('terminateAccountFor')).toHaveLength(0);

      await env.sleep(newEnd.getTime() - (await env.currentTimeMs()) - TICK);
      expect(fakes.called('terminateAccountFor')).toHaveLength(0);
      expect((await h.query(clockStateQuery)).state).toBe('in_force');
      await env.sleep(2 * TICK);
      const end = await h.result();
      expect(end.state).toBe('ended');
      const [term] = fakes.called('terminateAccountFor');
      expect(term.args).toMatchObject({ accountId: id, clause: '3.2 ii' });
      expect(term.at).toBeGreaterThanOrEqual(newEnd.getTime());
      expect(fakes.deadline(h.workflowId, 'pack_validity_end')).toMatchObject({
        state: 'closed',
        outcome: 'expired',
        dueAt: newEnd.toISOString(),
      });
      // pack-validity.json is the history before the patch: never re-recorded.
      await keepHistory('pack-validity-signal', h);
    });
  });

  test("When a pack account's lifecycle workflow starts at registration, then it starts the pack-validity clock as a child (ABANDON, so it survives the parent's continue-as-new), and the contract's end stops that clock", async () => {
    const taskQueue = uniqueQueue('pack-child');
    const t0 = new Date(await env.currentTimeMs());
    const id = `packchild-${taskQueue}`;
    const fakes = contractFakes(env, [
      {
        accountId: id,
        termsVersion: TERMS_2026_01.version,
        policy: TERMS_2026_01,
        effectiveDate: t0.toISOString(),
        formula: 'pack',
        status: 'active',
      },
    ]);
    const projected: unknown[] = [];
    const worker = await testWorker(env, {
      taskQueue,
      activities: {
        ...fakes.activities,
        async projectAccountState(x: unknown) {
          projected.push(x);
        },
        async signalAccountCampaigns() {
          return { signalled: 0 };
        },
      },
    });
    await worker.runUntil(async () => {
      const account = await env.client.workflow.start('accountLifecycleWorkflow', {
        taskQueue,
        workflowId: accountWorkflowId(id),
        args: [{ accountId: id, termsVersion: '2026-01', contract: { formula: 'pack' } }],
      });
      const clock = env.client.workflow.getHandle(packValidityWorkflowId(id));
      await until(() => fakes.deadline(clock.workflowId, 'pack_validity_end'), Boolean);
      const desc = await clock.describe();
      expect(desc.status.name).toBe('RUNNING');
      expect(desc.typedSearchAttributes.get(SA.AccountId)).toBe(id);
      expect(desc.typedSearchAttributes.get(SA.CaseKind)).toBe('pack_validity');
      expect((await account.query(accountStateQuery)).status).toBe('active');
      // The clock ends first (as the termination workflow does), then the account: an abandoned
      // child outliving its parent stalls the Java test server's time skipping for later files.
      await clock.signal('contractTerminated', { clause: '10.3' });
      expect((await finished(clock)).state).toBe('ended');
      expect(fakes.deadline(clock.workflowId, 'pack_validity_end')).toMatchObject({
        state: 'closed',
        outcome: 'account_terminated',
      });
      await account.executeUpdate(terminateAccount, {
        args: [{ clause: '10.3', reason: 'test', by: { type: 'staff', id: 's1' } }],
      });
      await until(
        () => account.describe(),
        (d) => d.status.name === 'COMPLETED',
      );
      await keepHistory('account-lifecycle', account);
    });
  });
});
