// The send engine against the real carrier simulator, real Postgres, the Temporal dev server, the
// real lifecycle worker (campaign workflow + finalisation) and the real send activities.
import { COMPRESSED_RETRIES, startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { startCampaignNow } from '../support/starts';
import { startSystem, http, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';
import { startSendWorker, type SendWorkerHandle } from '../support/send-worker';
import { countsByStatus, frMobile, seedCampaign } from '../support/send';
import type { campaignWorkflow } from '../../workflows/campaign';
import { campaignWorkflowId } from '../../workflows/ids';

describe('send engine against the carrier simulator', () => {
  let sim: CarrierSimulator;
  let sys: System;
  let sender: SendWorkerHandle;
  let webhooks = false;
  const sendQueue = uniqueQueue('send');

  beforeAll(async () => {
    sim = await startCarrierSimulator({ config: { latency: { fixedMs: 5 } } });
    // The API verifies the simulator's signatures with the simulator's credentials.
    process.env.TWILIO_ACCOUNT_SID = sim.twilio.accountSid;
    process.env.TWILIO_AUTH_TOKEN = sim.twilio.authToken;
    process.env.SENDGRID_WEBHOOK_PUBLIC_KEY = sim.sendgrid.webhookPublicKey;
    sys = await startSystem();
    // Delivery reports flow when the API's webhook routes exist (INGEST's part); else statuses stay 'submitted'.
    webhooks =
      (
        await http(sys.baseUrl, 'POST', '/webhooks/twilio/status?mid=1', {
          raw: '',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
      ).status !== 404;
    sim.configure({
      callbacks: { enabled: webhooks, ...COMPRESSED_RETRIES },
      sendgrid: { eventWebhookUrl: `${sys.baseUrl}/webhooks/sendgrid/events` },
    });
    sender = await startSendWorker({
      sys,
      sim,
      taskQueue: sendQueue,
      concurrency: 64,
      email: true,
      retry: { attempts: 10, baseMs: 5, maxMs: 100 },
    });
  });

  afterAll(async () => {
    await sender?.stop();
    await sys?.stop();
    await sim?.stop();
  });

  const config = () => ({ LIFECYCLE_TASK_QUEUE: sys.taskQueue, SEND_WINDOW_PAGES: 4 });

  test('When an SMS campaign of 3,000 meets 429s, 5xx, invalid numbers, unsubscribed numbers and suppressed recipients, then it ends with exact counts per status, each accepted message accepted exactly once, and the order settled for what reached the carrier', async () => {
    sim.reset();
    const seeded = await seedCampaign(sys.db, { total: 3_000 });
    const invalid = Array.from({ length: 30 }, (_, i) => frMobile(1001 + i));
    const unsubscribed = Array.from({ length: 20 }, (_, i) => frMobile(2001 + i));
    const stopped = Array.from({ length: 25 }, (_, i) => frMobile(10 * (i + 1)));
    await sys.db('suppressions').insert(
      stopped.map((address) => ({
        account_id: seeded.accountId,
        channel: 'sms',
        address,
        reason: 'stop',
        source: 'stop',
      })),
    );
    sim.configure({
      twilio: {
        rateLimitedRate: 0.1,
        serverErrorRate: 0.05,
        invalidNumbers: invalid,
        unsubscribedNumbers: unsubscribed,
      },
    });

    await startCampaignNow(sys, config(), {
      orderId: seeded.orderId,
      accountId: seeded.accountId,
      channel: 'sms',
      purpose: 'transactional',
      total: 3_000,
      sendTaskQueue: sendQueue,
    });
    // Starting twice is harmless.
    expect(
      (
        await startCampaignNow(sys, config(), {
          orderId: seeded.orderId,
          accountId: seeded.accountId,
          channel: 'sms',
          purpose: 'transactional',
          total: 3_000,
          sendTaskQueue: sendQueue,
        })
      ).queued,
    ).toBe(false);
    const summary = await sys.client.workflow
      .getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId))
      .result();
    sim.configure({ twilio: { rateLimitedRate: 0, serverErrorRate: 0, invalidNumbers: [], unsubscribedNumbers: [] } });

    const counts = await countsByStatus(sys.db, seeded.orderId);
    const reached = (counts.submitted ?? 0) + (counts.delivered ?? 0);
    expect(reached).toBe(2_925);
    expect(counts.suppressed).toBe(25);
    expect(counts.rejected_by_carrier).toBe(50);
    expect(Object.keys(counts).sort()).toEqual(
      webhooks
        ? ['delivered', 'rejected_by_carrier', 'submitted', 'suppressed'].filter((s) => counts[s])
        : ['rejected_by_carrier', 'submitted', 'suppressed'],
    );
    const { rows: codes } = await sys.db.raw(
      `select carrier_error, count(*)::int as n from messages where order_id = ? and status = 'rejected_by_carrier' group by 1`,
      [seeded.orderId],
    );
    expect(
      Object.fromEntries((codes as { carrier_error: string; n: number }[]).map((c) => [c.carrier_error, c.n])),
    ).toEqual({ 21211: 30, 21610: 20 });

    // The carrier's record: every message that reached it, once, under its own SID.
    const stats = sim.stats();
    expect(stats.rejected['twilio:20429']).toBeGreaterThan(50);
    expect(stats.rejected['twilio:20500']).toBeGreaterThan(20);
    expect(stats.mids).toEqual({ unique: 2_925, duplicated: 0, extraAcceptances: 0 });
    const sent = await sys
      .db('messages')
      .where({ order_id: seeded.orderId })
      .whereIn('status', ['submitted', 'delivered'])
      .select('id', 'carrier_id');
    const bySid = new Map(sim.records({ channel: 'sms' }).map((r) => [r.mid, r.carrierId]));
    expect(
      sent.filter((m) => sim.acceptedCount(String(m.id)) !== 1 || bySid.get(String(m.id)) !== m.carrier_id),
    ).toEqual([]);
    // Opt-out mention only for marketing: this campaign is transactional.
    expect(sim.records({ channel: 'sms' })[0].body).toMatch(/^Bonjour Client \d+, votre code est \d+$/);

    // Completion: summary, status, settlement of exactly what reached the carrier (2,925 × 0.0450 €).
    // Exact in e4 (1 316 250 = 131.6250 €); consumedCents is the display rounding, once.
    expect(summary).toMatchObject({
      outcome: 'completed',
      total: 3_000,
      charged: 2_925,
      consumedE4: 1_316_250,
      consumedCents: 13_163,
    });
    const campaign = await sys.db('campaigns').where({ order_id: seeded.orderId }).first();
    expect(campaign.status).toBe('completed');
    expect(campaign.summary.counts.suppressed).toBe(25);
    const order = await sys.db('orders').where({ id: seeded.orderId }).first();
    expect([order.status, Number(order.consumed_e4), Number(order.reserved_e4) - Number(order.released_e4)]).toEqual([
      'settled',
      1_316_250,
      1_316_250,
    ]);
    // History: every message that reached the carrier has its acceptance recorded (by the send
    // activity, or by a delivery report that overtook it).
    const {
      rows: [history],
    } = await sys.db.raw(
      `select count(*) filter (where not exists (select 1 from message_events e where e.message_id = m.id)) as missing,
              count(*) filter (where exists (select 1 from message_events e where e.message_id = m.id and e.status = 'submitted')) as by_engine
         from messages m where m.order_id = ? and m.status in ('submitted', 'delivered')`,
      [seeded.orderId],
    );
    expect(Number(history.missing)).toBe(0);
    if (!webhooks) expect(Number(history.by_engine)).toBe(2_925);
  });

  test('When an e-mail campaign of 2,500 meets 429s and 5xx, then every recipient is accepted exactly once in requests of at most 1,000 personalizations', async () => {
    sim.reset();
    const seeded = await seedCampaign(sys.db, { total: 2_500, channel: 'email' });
    await sys.db('suppressions').insert({
      account_id: seeded.accountId,
      channel: 'email',
      address: 'user7@example.com',
      reason: 'bounce',
      source: 'bounce',
    });
    sim.configure({ sendgrid: { rateLimitedRate: 0.3, serverErrorRate: 0.2 } });
    await startCampaignNow(sys, config(), {
      orderId: seeded.orderId,
      accountId: seeded.accountId,
      channel: 'email',
      purpose: 'marketing',
      total: 2_500,
      sendTaskQueue: sendQueue,
    });
    const summary = await sys.client.workflow
      .getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId))
      .result();
    sim.configure({ sendgrid: { rateLimitedRate: 0, serverErrorRate: 0 } });
    const counts = await countsByStatus(sys.db, seeded.orderId);
    expect(counts.suppressed).toBe(1);
    expect(2_500 - counts.suppressed).toBe(summary.charged);
    expect(sim.stats().mids).toEqual({ unique: 2_499, duplicated: 0, extraAcceptances: 0 });
    expect(sim.stats().accepted.email).toBe(2_499);
    const record = sim.records({ channel: 'email' }).find((r) => r.to === 'user8@example.com');
    expect(record?.body).toBe('Hello Client 8');
  });
});
