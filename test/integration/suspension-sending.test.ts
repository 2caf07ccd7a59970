// 6.3.4, 7.3, 10.3: a suspension stops the account's running campaigns at once (pages already
// marked may finish, nothing new reaches the carrier; queued messages stay queued and go when it
// is lifted), a termination cancels what was not sent and settles the order; staff may pause,
// resume and cancel any account's campaign. Real API, lifecycle worker, send worker, simulator.
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { campaignWorkflowId } from '../../lib/workflow-clients/campaign';
import { startCampaignNow } from '../support/starts';
import { balanceOf } from '../../lib/ledger-views';
import { createBillingActivities } from '../../activities/billing';
import { eventually, http, onboard, startSystem, type System } from '../support/system';
import { staffLogin } from '../support/staff';
import { uniqueQueue } from '../support/temporal';
import { startSendWorker, type SendWorkerHandle } from '../support/send-worker';
import { countsByStatus, seedCampaign, type SeededCampaign } from '../support/send';
import type { campaignWorkflow } from '../../workflows/campaign';

const REASON = { 'x-access-reason': 'compliance review of contract case' };
const SEED_BALANCE = 100_000_000;

describe('a suspension or a termination stops sending', () => {
  let sim: CarrierSimulator;
  let sys: System;
  let sender: SendWorkerHandle;
  type Call = (
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => ReturnType<typeof http>;
  let staff: Call;
  const sendQueue = uniqueQueue('send');

  beforeAll(async () => {
    sim = await startCarrierSimulator({ config: { latency: { fixedMs: 10 } } });
    sim.configure({ callbacks: { enabled: false } });
    sys = await startSystem();
    sender = await startSendWorker({
      sys,
      sim,
      taskQueue: sendQueue,
      concurrency: 16,
      email: true,
      retry: { attempts: 5, baseMs: 5, maxMs: 50 },
    });
    const s = await staffLogin(sys, ['compliance']);
    staff = (method, path, body, headers = REASON) =>
      http(sys.baseUrl, method, path, { token: s.token, body, headers });
  });

  afterAll(async () => {
    await sender?.stop();
    await sys?.stop();
    await sim?.stop();
  });

  async function running(opts: { total: number; channel?: 'sms' | 'email' }) {
    sim.reset();
    const a = await onboard(sys, { account: { formula: 'pack' } });
    const seeded = await seedCampaign(sys.db, {
      total: opts.total,
      channel: opts.channel,
      accountId: a.accountId,
      balanceCents: SEED_BALANCE,
    });
    const config = { LIFECYCLE_TASK_QUEUE: sys.taskQueue, SEND_WINDOW_PAGES: 2 };
    await startCampaignNow(sys, config, {
      orderId: seeded.orderId,
      accountId: a.accountId,
      channel: opts.channel ?? 'sms',
      purpose: 'transactional',
      total: opts.total,
      sendTaskQueue: sendQueue,
    });
    const handle = sys.client.workflow.getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId));
    return { a, seeded, handle };
  }
  const accepted = () => sim.stats().accepted.sms + sim.stats().accepted.email;
  /** Messages marked for submission or past it: what the carrier may still receive. */
  const marked = async (orderId: string) =>
    new Set(
      (await sys.db('messages').where({ order_id: orderId }).whereNotIn('status', ['queued', 'held']).pluck('id')).map(
        String,
      ),
    );
  /** Waits for the pages in flight to finish, then a little longer: nothing more may arrive. */
  async function settled(orderId: string) {
    const submitting = async () =>
      Number((await sys.db('messages').where({ order_id: orderId, status: 'submitting' }).count({ n: '*' }))[0].n);
    await eventually(submitting, (n) => n === 0);
    await new Promise((r) => setTimeout(r, 1_500));
  }
  const reachedIds = () => sim.records().map((r) => String(r.mid));
  const customer = (a: { apiKey: string }, method: string, path: string) =>
    http(sys.baseUrl, method, path, { token: a.apiKey });
  /** The order's status, consumption and release, in e4 (ten-thousandths of a euro). */
  const settlement = async (orderId: string) => {
    const order = await sys.db('orders').where({ id: orderId }).first();
    return [order.status, Number(order.consumed_e4), Number(order.released_e4)];
  };

  async function suspendedMidCampaign(seeded: SeededCampaign, suspend: () => Promise<void>) {
    await eventually(
      async () => accepted(),
      (n) => n >= 1_000,
    );
    await suspend();
    // At the answer, the suspension is projected: what is marked now is all that may still go.
    const atSuspension = await marked(seeded.orderId);
    const acceptedAtSuspension = accepted();
    await settled(seeded.orderId);
    const reached = reachedIds();
    expect(reached.filter((id) => !atSuspension.has(id))).toEqual([]);
    expect(reached).toHaveLength(atSuspension.size);
    expect(reached.length).toBeLessThan(seeded.total);
    expect(acceptedAtSuspension).toBeLessThanOrEqual(reached.length);
    const counts = await countsByStatus(sys.db, seeded.orderId);
    expect(counts.queued).toBe(seeded.total - reached.length); // the rest stays queued
    expect((await sys.db('campaigns').where({ order_id: seeded.orderId }).first('status')).status).toBe('paused');
    return reached.length;
  }

  type Handle = { result(): Promise<{ outcome: string; charged: number }> };
  async function completesOnceEach(seeded: SeededCampaign, handle: Handle, centsE1: number) {
    const summary = await handle.result();
    expect(summary).toMatchObject({ outcome: 'completed', charged: seeded.total });
    expect(sim.stats().mids).toEqual({ unique: seeded.total, duplicated: 0, extraAcceptances: 0 });
    const consumed = seeded.total * centsE1 * 10; // e4
    expect(await settlement(seeded.orderId)).toEqual(['settled', consumed, seeded.reservedE4 - consumed]);
  }

  test('When staff suspend an account for prohibited use (10.3) mid-campaign, then after the suspension only the pages already marked reach the carrier, the customer cannot resume it, and when the suspension is lifted the campaign resumes and completes with no message lost or doubled', async () => {
    const { a, seeded, handle } = await running({ total: 8_000 });
    let caseId = '';
    const reached = await suspendedMidCampaign(seeded, async () => {
      const res = await staff('POST', `/v1/staff/accounts/${a.accountId}/prohibited-use`, {
        action: 'suspend',
        behaviour: 'Phishing messages sent to recipients',
      });
      expect(res.status).toBe(201);
      caseId = res.body.caseId;
    });
    expect(reached).toBeLessThan(4_000);
    const view = await customer(a, 'GET', `/v1/campaigns/${seeded.orderId}`);
    expect(view.body.progress).toMatchObject({ status: 'paused', holds: ['account_suspended'] });
    expect((await customer(a, 'POST', `/v1/campaigns/${seeded.orderId}/resume`)).status).toBe(403);

    const lifted = await staff('DELETE', `/v1/staff/accounts/${a.accountId}/suspensions/prohibited_use/${caseId}`);
    expect(lifted.body.status).toBe('active');
    await completesOnceEach(seeded, handle, 45); // 8,000 × 4.5 c
  });

  test("When an e-mail campaign's account is suspended for late payment (7.3), then nothing new is sent until the invoice is paid, and then every recipient gets it once", async () => {
    const { a, seeded, handle } = await running({ total: 6_000, channel: 'email' });
    const billing = createBillingActivities({ db: sys.db, temporal: sys.client });
    const invoice = { accountId: a.accountId, invoiceId: `test-invoice-${seeded.orderId}`, number: 'F-TEST-1' };
    await suspendedMidCampaign(seeded, () => billing.suspendForLatePayment(invoice));
    await billing.liftLatePaymentSuspension(invoice);
    const price = await sys.db('messages').where({ order_id: seeded.orderId }).first('price_e4');
    await completesOnceEach(seeded, handle, Number(price.price_e4) / 10);
  });

  test("When the account is terminated for prohibited use mid-campaign, then nothing new reaches the carrier, the queued messages are cancelled with the clause, and the unsent messages' reservation is released to the cent", async () => {
    const { a, seeded, handle } = await running({ total: 6_000 });
    await eventually(
      async () => accepted(),
      (n) => n >= 1_000,
    );
    const res = await staff('POST', `/v1/staff/accounts/${a.accountId}/prohibited-use`, {
      action: 'terminate',
      behaviour: 'Illegal content sent at scale',
    });
    expect(res.status).toBe(201);
    const atTermination = await marked(seeded.orderId);
    const summary = await handle.result();
    await settled(seeded.orderId);
    const reached = reachedIds();
    expect(reached.filter((id) => !atTermination.has(id))).toEqual([]);
    expect(reached).toHaveLength(atTermination.size);
    expect(summary).toMatchObject({ outcome: 'cancelled', charged: reached.length });
    expect(await countsByStatus(sys.db, seeded.orderId)).toEqual({
      submitted: reached.length,
      cancelled: seeded.total - reached.length,
    });
    const details = await sys
      .db('message_events as e')
      .join('messages as m', 'm.id', 'e.message_id')
      .where({ 'm.order_id': seeded.orderId, 'e.status': 'cancelled' })
      .distinct('e.detail')
      .pluck('e.detail');
    expect(details).toEqual(['account terminated (10.3)']);
    // Pages are whole (500 messages at 4.5 c): the consumption is exact, the rest released.
    const consumed = reached.length * 450; // e4
    expect(await settlement(seeded.orderId)).toEqual(['settled', consumed, seeded.reservedE4 - consumed]);
    expect(await balanceOf(sys.db, a.accountId)).toMatchObject({
      availableE4: SEED_BALANCE * 100 - consumed,
      reservedE4: 0,
    });
  });

  test("When staff pause, resume and cancel an account's campaign, then each needs the compliance or operations role and an access reason, is audited with it, the customer cannot lift the staff pause, and the cancel settles the order", async () => {
    const { a, seeded, handle } = await running({ total: 6_000 });
    const path = (action: string) => `/v1/staff/accounts/${a.accountId}/campaigns/${seeded.orderId}/${action}`;
    await eventually(
      async () => accepted(),
      (n) => n >= 500,
    );
    // Refusals write nothing and touch nothing.
    expect((await staff('POST', path('pause'), undefined, {})).body.code).toBe('access_reason_required');
    const billing = await staffLogin(sys, ['billing']);
    const byBilling = await http(sys.baseUrl, 'POST', path('pause'), { token: billing.token, headers: REASON });
    expect(byBilling.status).toBe(403);
    const other = await onboard(sys, { account: { formula: 'pack' } });
    const elsewhere = await staff('POST', `/v1/staff/accounts/${other.accountId}/campaigns/${seeded.orderId}/pause`);
    expect(elsewhere.status).toBe(404);
    expect(await sys.db('audit_log').where({ resource: seeded.orderId }).count({ n: '*' })).toEqual([{ n: '0' }]);

    expect((await staff('POST', path('pause'))).body).toEqual({ id: seeded.orderId, status: 'paused' });
    const atPause = await marked(seeded.orderId);
    await settled(seeded.orderId);
    expect(reachedIds().filter((id) => !atPause.has(id))).toEqual([]);
    expect((await customer(a, 'POST', `/v1/campaigns/${seeded.orderId}/resume`)).body.status).toBe('paused');
    await new Promise((r) => setTimeout(r, 500));
    expect(reachedIds()).toHaveLength(atPause.size);

    expect((await staff('POST', path('resume'))).body.status).toBe('running');
    await eventually(
      async () => accepted(),
      (n) => n > atPause.size,
    );
    expect((await staff('POST', path('cancel'))).body.status).toBe('cancelled');
    const summary = await handle.result();
    expect(summary.outcome).toBe('cancelled');
    const reached = reachedIds().length;
    expect(summary.charged).toBe(reached);
    const consumed = reached * 450; // e4: 4.5 c a message, exact
    expect(await settlement(seeded.orderId)).toEqual(['settled', consumed, seeded.reservedE4 - consumed]);
    expect((await staff('POST', path('resume'))).body.code).toBe('campaign_not_running'); // not audited: nothing done
    const audit = await sys
      .db('audit_log')
      .where({ resource: seeded.orderId })
      .orderBy('id')
      .select('action', 'account_id', 'reason');
    expect(audit).toEqual(
      ['pause', 'resume', 'cancel'].map((x) => ({
        action: `staff.campaign.${x}`,
        account_id: a.accountId,
        reason: REASON['x-access-reason'],
      })),
    );
  });
});
