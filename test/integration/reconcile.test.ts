// Reconciliation of committed facts whose workflow start was lost (workers/reconcile.ts): real
// Postgres, the Temporal dev server, the real lifecycle worker; a campaign's pages run on the real
// send activities against the carrier simulator.
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { loadConfig, type Config } from '../../lib/config';
import { balanceOf } from '../../lib/ledger-views';
import { reconcileBilling, reconcileCampaigns, startReconcileLoop } from '../../workers/reconcile';
import { createLogger } from '../../lib/logger';
import { eventually, startSystem, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';
import { startSendWorker, type SendWorkerHandle } from '../support/send-worker';
import { countsByStatus, seedCampaign } from '../support/send';
import { insertAccount } from '../support/billing';
import type { campaignWorkflow } from '../../workflows/campaign';
import { campaignWorkflowId, subscriptionBillingWorkflowId } from '../../workflows/ids';

describe('reconciliation of workflows whose start was lost', () => {
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

  test('When a campaign was committed as started but its workflow never started, then the reconciliation starts it once, it completes and settles, and a closed workflow is never started again', async () => {
    const seeded = await seedCampaign(sys.db, { total: 1_200 });
    // What api/sending.ts commits before starting the workflow (the process then died).
    await sys
      .db('campaigns')
      .where({ order_id: seeded.orderId })
      .update({ status: 'running', started_at: sys.db.raw("now() - interval '1 minute'") });
    const only = { accountIds: [seeded.accountId], minAgeSeconds: 5 };

    const first = await reconcileCampaigns(deps(), only);
    expect(first).toEqual({ checked: 1, started: 1, running: 0, closed: 0, errors: 0 });
    const handle = sys.client.workflow.getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId));
    const summary = await handle.result();
    expect(summary).toMatchObject({ outcome: 'completed', total: 1_200, charged: 1_200 });
    expect(await countsByStatus(sys.db, seeded.orderId)).toEqual({ submitted: 1_200 });
    expect(sim.stats().mids).toMatchObject({ duplicated: 0, extraAcceptances: 0 });
    const campaign = await sys.db('campaigns').where({ order_id: seeded.orderId }).first();
    expect(campaign.status).toBe('completed');
    expect(campaign.workflow_seen_at).not.toBeNull();
    const order = await sys.db('orders').where({ id: seeded.orderId }).first();
    expect(order.status).toBe('settled');
    expect((await balanceOf(sys.db, seeded.accountId)).reservedCents).toBe(0);

    // Idempotent: a finished campaign is not looked at again.
    expect(await reconcileCampaigns(deps(), only)).toEqual({
      checked: 0,
      started: 0,
      running: 0,
      closed: 0,
      errors: 0,
    });

    // A row still open whose workflow has closed (a run from before failures settled, or one
    // terminated by hand): reported, never restarted (the messages would be sent again).
    const runId = (await handle.describe()).runId;
    await sys.db('campaigns').where({ order_id: seeded.orderId }).update({ status: 'running', workflow_seen_at: null });
    expect(await reconcileCampaigns(deps(), only)).toEqual({
      checked: 1,
      started: 0,
      running: 0,
      closed: 1,
      errors: 0,
    });
    expect((await handle.describe()).runId).toBe(runId);
    await sys.db('campaigns').where({ order_id: seeded.orderId }).update({ status: 'completed' });
  });

  test("When a scheduled campaign's workflow is running but was never seen, then the reconciliation marks it and starts nothing; rows younger than the minimum age are left to the API", async () => {
    const seeded = await seedCampaign(sys.db, { total: 10 });
    const scheduledAt = new Date(Date.now() + 3_600_000);
    await sys
      .db('campaigns')
      .where({ order_id: seeded.orderId })
      .update({ status: 'scheduled', scheduled_at: scheduledAt });
    const only = { accountIds: [seeded.accountId] };
    // Just committed: the API is starting it.
    expect(await reconcileCampaigns(deps(), { ...only, minAgeSeconds: 3_600 })).toMatchObject({ checked: 0 });

    expect(await reconcileCampaigns(deps(), { ...only, minAgeSeconds: 0 })).toMatchObject({ checked: 1, started: 1 });
    const handle = sys.client.workflow.getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId));
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
      started: 0,
      running: 1,
      closed: 0,
      errors: 0,
    });
    expect((await sys.db('campaigns').where({ order_id: seeded.orderId }).first()).workflow_seen_at).not.toBeNull();
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test over');
    await sys.db('campaigns').where({ order_id: seeded.orderId }).update({ status: 'cancelled' });
  });

  test('When a subscription account has no billing workflow (its start failed at registration), then the reconciliation writes its subscription, starts the workflow, which bills the first month; then marks it and leaves it alone', async () => {
    const accountId = await insertAccount(sys.db, { formula: 'subscription' });
    const pack = await insertAccount(sys.db, { formula: 'pack' });
    const only = { accountIds: [accountId, pack], minAgeSeconds: 0 };

    expect(await reconcileBilling(deps(), only)).toEqual({ checked: 1, started: 1, running: 0, closed: 0, errors: 0 });
    const handle = sys.client.workflow.getHandle(subscriptionBillingWorkflowId(accountId));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await sys.db('subscriptions').where({ account_id: accountId }).first()).toMatchObject({
      monthly_fee_cents: String(config.SUBSCRIPTION_MONTHLY_FEE_CENTS),
    });
    // The workflow runs: the first month (effective today) is billed.
    await eventually(
      () => sys.db('subscription_billing_runs').where({ account_id: accountId, month_number: 0 }).first(),
      (r) => r !== undefined,
    );

    // Next pass: found running, marked; the one after: nothing to look at. Pack accounts never get one.
    expect(await reconcileBilling(deps(), only)).toEqual({ checked: 1, started: 0, running: 1, closed: 0, errors: 0 });
    expect(
      (await sys.db('subscriptions').where({ account_id: accountId }).first()).billing_workflow_seen_at,
    ).not.toBeNull();
    expect(await reconcileBilling(deps(), only)).toEqual({ checked: 0, started: 0, running: 0, closed: 0, errors: 0 });
    expect(await sys.db('subscriptions').where({ account_id: pack }).first()).toBeUndefined();
    await handle.terminate('test over');
  });

  test("When the lifecycle worker's reconcile loop runs, then a campaign committed without its workflow completes without anyone calling it, and stopping the loop waits for the pass in progress", async () => {
    const seeded = await seedCampaign(sys.db, { total: 300 });
    await sys
      .db('campaigns')
      .where({ order_id: seeded.orderId })
      .update({ status: 'running', started_at: sys.db.raw('now()') });
    const loop = startReconcileLoop(deps(), createLogger('reconcile-test', 'silent'), 200, {
      accountIds: [seeded.accountId],
      minAgeSeconds: 0,
    });
    try {
      await loop.first;
      const done = await eventually(
        () => sys.db('campaigns').where({ order_id: seeded.orderId }).first(),
        (c) => c.status === 'completed',
      );
      expect(done.summary).toMatchObject({ outcome: 'completed', charged: 300 });
    } finally {
      await loop.stop();
    }
  });
});
