// What stays of the reconciliation (workers/reconcile.ts) now that every start goes through the
// outbox: open rows whose workflow was never seen are marked when it runs, reported (never
// restarted) when it has closed, left to the outbox while it is not there; and the lifecycle
// worker's outbox relay starts a campaign whose start was committed but never kicked (what the
// start repair used to do). Real Postgres, the Temporal dev server, the real lifecycle worker
// (startSystem runs its relay loop); a campaign's pages run on the real send activities against
// the carrier simulator.
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { loadConfig, type Config } from '../../lib/config';
import { balanceOf } from '../../lib/ledger-views';
import { reconcileBilling, reconcileCampaigns } from '../../workers/reconcile';
import { enqueueCampaign } from '../../lib/workflow-clients/campaign';
import { relayNow } from '../../lib/workflow-clients/outbox-relay';
import { enqueueBilling } from '../../lib/workflow-clients/subscription-billing';
import { startCampaignNow } from '../support/starts';
import { eventually, startSystem, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';
import { startSendWorker, type SendWorkerHandle } from '../support/send-worker';
import { countsByStatus, seedCampaign } from '../support/send';
import { insertAccount } from '../support/billing';
import type { campaignWorkflow } from '../../workflows/campaign';
import { campaignWorkflowId, subscriptionBillingWorkflowId } from '../../workflows/ids';

describe('reconciliation of open rows with their workflows, and the relay of a start never kicked', () => {
  let sim: CarrierSimulator;
  let sys: System;
  let sender: SendWorkerHandle;
  let config: Config;
  const sendQueue = uniqueQueue('send');
  const deps = () => ({ db: sys.db, temporal: sys.client, config });

  beforeAll(async () => {
    sim = await startCarrierSimulator({ config: { latency: { fixedMs: 2 } } });
    sim.configure({ callbacks: { enabled: false } });
    sys = await startSystem();
    // The lifecycle worker's configuration: its queue, and the send queue campaigns use here.
    config = loadConfig({
      ...process.env,
      PUBLIC_BASE_URL: sys.baseUrl,
      LIFECYCLE_TASK_QUEUE: sys.taskQueue,
      SEND_TASK_QUEUE: sendQueue,
      SEND_WINDOW_PAGES: '2',
      LOG_LEVEL: 'silent',
    });
    sender = await startSendWorker({
      sys,
      sim,
      taskQueue: sendQueue,
      concurrency: 16,
      config,
      retry: { attempts: 5, baseMs: 5, maxMs: 50 },
    });
  });

  afterAll(async () => {
    await sender?.stop();
    await sys?.stop();
    await sim?.stop();
  });

  test("When a campaign's workflow has closed while its row is still open, then the check reports it and never starts it again; a finished campaign is not looked at", async () => {
    const seeded = await seedCampaign(sys.db, { total: 300 });
    await sys
      .db('campaigns')
      .where({ order_id: seeded.orderId })
      .update({ status: 'running', started_at: sys.db.raw("now() - interval '1 minute'") });
    await startCampaignNow(sys, config, {
      orderId: seeded.orderId,
      accountId: seeded.accountId,
      channel: 'sms',
      purpose: 'transactional',
      total: 300,
      sendTaskQueue: sendQueue,
    });
    const handle = sys.client.workflow.getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId));
    expect(await handle.result()).toMatchObject({ outcome: 'completed', total: 300 });
    const only = { accountIds: [seeded.accountId], minAgeSeconds: 5 };
    expect(await reconcileCampaigns(deps(), only)).toEqual({
      checked: 0,
      pending: 0,
      running: 0,
      closed: 0,
      errors: 0,
    });

    // A row still open whose workflow has closed (terminated by hand before its first projection):
    // reported, never restarted (the messages would be sent again).
    const runId = (await handle.describe()).runId;
    await sys.db('campaigns').where({ order_id: seeded.orderId }).update({ status: 'running', workflow_seen_at: null });
    expect(await reconcileCampaigns(deps(), only)).toEqual({
      checked: 1,
      pending: 0,
      running: 0,
      closed: 1,
      errors: 0,
    });
    expect((await handle.describe()).runId).toBe(runId);
    await sys.db('campaigns').where({ order_id: seeded.orderId }).update({ status: 'completed' });
  });

  test("When a scheduled campaign's workflow is not there yet, then the check starts nothing (the outbox does); once it runs but was never seen, it is marked; rows younger than the minimum age are left alone", async () => {
    const seeded = await seedCampaign(sys.db, { total: 10 });
    const scheduledAt = new Date(Date.now() + 3_600_000);
    await sys
      .db('campaigns')
      .where({ order_id: seeded.orderId })
      .update({ status: 'scheduled', scheduled_at: scheduledAt });
    const only = { accountIds: [seeded.accountId] };
    expect(await reconcileCampaigns(deps(), { ...only, minAgeSeconds: 3_600 })).toMatchObject({ checked: 0 });
    expect(await reconcileCampaigns(deps(), { ...only, minAgeSeconds: 0 })).toEqual({
      checked: 1,
      pending: 1,
      running: 0,
      closed: 0,
      errors: 0,
    });
    const handle = sys.client.workflow.getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId));
    await expect(handle.describe()).rejects.toMatchObject({ name: 'WorkflowNotFoundError' });

    await startCampaignNow(sys, config, {
      orderId: seeded.orderId,
      accountId: seeded.accountId,
      channel: 'sms',
      purpose: 'transactional',
      total: 10,
      scheduledAt: scheduledAt.toISOString(),
    });
    // Its first status projection marks the campaign as having a workflow.
    await eventually(
      () => sys.db('campaigns').where({ order_id: seeded.orderId }).first(),
      (c) => c.workflow_seen_at !== null,
    );
    expect(await reconcileCampaigns(deps(), { ...only, minAgeSeconds: 0 })).toMatchObject({ checked: 0 });
    // A run from before the marker existed: found running, marked, nothing started.
    await sys.db('campaigns').where({ order_id: seeded.orderId }).update({ workflow_seen_at: null });
    expect(await reconcileCampaigns(deps(), { ...only, minAgeSeconds: 0 })).toEqual({
      checked: 1,
      pending: 0,
      running: 1,
      closed: 0,
      errors: 0,
    });
    expect((await sys.db('campaigns').where({ order_id: seeded.orderId }).first()).workflow_seen_at).not.toBeNull();
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test over');
    await sys.db('campaigns').where({ order_id: seeded.orderId }).update({ status: 'cancelled' });
  });

  test('When a subscription was written with its billing start, then the check leaves it to the outbox until the workflow runs, then marks it and leaves it alone', async () => {
    const accountId = await insertAccount(sys.db, { formula: 'subscription' });
    const pack = await insertAccount(sys.db, { formula: 'pack' });
    const only = { accountIds: [accountId, pack], minAgeSeconds: 0 };
    const start = await sys.db.transaction(async (trx) => {
      // A Pack account is billed when it buys a Pack: nothing written.
      expect(await enqueueBilling(trx, config, { id: pack, formula: 'pack', effectiveDate: new Date() })).toBeNull();
      return enqueueBilling(trx, config, { id: accountId, formula: 'subscription', effectiveDate: new Date() });
    });
    expect(await sys.db('subscriptions').where({ account_id: accountId }).first()).toMatchObject({
      monthly_fee_cents: String(config.SUBSCRIPTION_MONTHLY_FEE_CENTS),
    });
    expect(await reconcileBilling(deps(), only)).toEqual({ checked: 1, pending: 1, running: 0, closed: 0, errors: 0 });

    await relayNow({ db: sys.db, temporal: sys.client }, start!);
    const handle = sys.client.workflow.getHandle(subscriptionBillingWorkflowId(accountId));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // The workflow runs: the first month (effective today) is billed.
    await eventually(
      () => sys.db('subscription_billing_runs').where({ account_id: accountId, month_number: 0 }).first(),
      (r) => r !== undefined,
    );
    expect(await reconcileBilling(deps(), only)).toEqual({ checked: 1, pending: 0, running: 1, closed: 0, errors: 0 });
    expect(
      (await sys.db('subscriptions').where({ account_id: accountId }).first()).billing_workflow_seen_at,
    ).not.toBeNull();
    expect(await reconcileBilling(deps(), only)).toEqual({ checked: 0, pending: 0, running: 0, closed: 0, errors: 0 });
    expect(await sys.db('subscriptions').where({ account_id: pack }).first()).toBeUndefined();
    await handle.terminate('test over');
  });

  test("When a campaign's start was committed with it but never kicked (the API died), then the lifecycle worker's outbox relay starts it once; it completes and settles", async () => {
    const seeded = await seedCampaign(sys.db, { total: 300 });
    await sys.db.transaction(async (trx) => {
      await trx('campaigns')
        .where({ order_id: seeded.orderId })
        .update({ status: 'running', started_at: trx.fn.now() });
      await enqueueCampaign(trx, config, {
        orderId: seeded.orderId,
        accountId: seeded.accountId,
        channel: 'sms',
        purpose: 'transactional',
        total: 300,
        sendTaskQueue: sendQueue,
      });
    });
    const done = await eventually(
      () => sys.db('campaigns').where({ order_id: seeded.orderId }).first(),
      (c) => c.status === 'completed',
      60_000,
    );
    expect(done.summary).toMatchObject({ outcome: 'completed', charged: 300 });
    expect(await countsByStatus(sys.db, seeded.orderId)).toEqual({ submitted: 300 });
    expect(sim.stats().mids).toMatchObject({ duplicated: 0, extraAcceptances: 0 });
    expect((await sys.db('orders').where({ id: seeded.orderId }).first()).status).toBe('settled');
    expect((await balanceOf(sys.db, seeded.accountId)).reservedCents).toBe(0);
    expect(
      await sys
        .db('workflow_outbox')
        .where({ workflow_id: campaignWorkflowId(seeded.orderId) })
        .first(),
    ).toMatchObject({ outcome: 'started', attempts: 1 });
  });
});
