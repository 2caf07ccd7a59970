// GET /metrics of every process, scraped after a small campaign run through the real processes:
// the API (in this process: its route and its Postgres gauges), a send worker and a lifecycle
// worker as child processes (their own metrics port, with the Temporal SDK's metrics appended),
// the carrier simulator posting its delivery reports to the API's webhooks.
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { startCampaignNow } from '../support/starts';
import { campaignWorkflowId } from '../../workflows/ids';
import type { campaignWorkflow } from '../../workflows/campaign';
import { postgresGauges } from '../../lib/metrics/db-gauges';
import { startSystem, eventually, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';
import { seedCampaign } from '../support/send';
import { families, sample, startChild, type Child } from '../support/metrics';

const TOKEN = 'metrics-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

async function scrape(url: string, headers: Record<string, string> = auth): Promise<string> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}

describe('metrics', () => {
  let sim: CarrierSimulator;
  let sys: System;
  let sendWorker: Child;
  let lifecycleWorker: Child;
  let sendMetrics: string;
  let lifecycleMetrics: string;
  const sendQueue = uniqueQueue('metrics-send');
  const lifecycleQueue = uniqueQueue('metrics-lifecycle');
  const saved = { ...process.env };

  beforeAll(async () => {
    sim = await startCarrierSimulator({ config: { latency: { fixedMs: 5 } } });
    Object.assign(process.env, {
      TWILIO_ACCOUNT_SID: sim.twilio.accountSid,
      TWILIO_AUTH_TOKEN: sim.twilio.authToken,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sim.sendgrid.webhookPublicKey,
    });
    sys = await startSystem({ env: { METRICS_TOKEN: TOKEN } });
    sim.configure({ sendgrid: { eventWebhookUrl: `${sys.baseUrl}/webhooks/sendgrid/events` } });
    const env = {
      LOG_LEVEL: 'info',
      METRICS_TOKEN: TOKEN,
      // Its own single-send lane: the default one is shared by the files that send no single.
      SINGLE_SEND_TASK_QUEUE: `${sendQueue}-single`,
      SEND_WORKER_METRICS_PORT: '0',
      LIFECYCLE_WORKER_METRICS_PORT: '0',
      PUBLIC_BASE_URL: sys.baseUrl,
      TWILIO_BASE_URL: sim.url,
      SENDGRID_BASE_URL: sim.url,
      SENDGRID_API_KEY: sim.sendgrid.apiKey,
    };
    sendWorker = startChild('workers/send.ts', { ...env, SEND_TASK_QUEUES: sendQueue, SEND_CONCURRENCY: '16' });
    lifecycleWorker = startChild('workers/lifecycle.ts', { ...env, LIFECYCLE_TASK_QUEUE: lifecycleQueue });
    const [s, l] = await Promise.all([sendWorker.logged('worker polling'), lifecycleWorker.logged('worker polling')]);
    sendMetrics = String(s.metrics);
    lifecycleMetrics = String(l.metrics);
  });

  afterAll(async () => {
    await Promise.all([sendWorker?.stop(), lifecycleWorker?.stop()]);
    await sys?.stop();
    await sim?.stop();
    process.env = saved;
  });

  async function runCampaign(channel: 'sms' | 'email', total: number) {
    const seeded = await seedCampaign(sys.db, { total, channel });
    await startCampaignNow(
      sys,
      { LIFECYCLE_TASK_QUEUE: lifecycleQueue, SEND_WINDOW_PAGES: 4 },
      {
        orderId: seeded.orderId,
        accountId: seeded.accountId,
        channel,
        purpose: 'transactional',
        total,
        sendTaskQueue: sendQueue,
      },
    );
    return sys.client.workflow.getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId)).result();
  }

  test('When a campaign has run, then /metrics of the API and of each worker show its messages, carrier requests, pages, reports and the Temporal SDK metrics', async () => {
    const api = `${sys.baseUrl}/metrics`;
    const delivered = async () =>
      sample(await scrape(api), 'tentacle_messages', { channel: 'sms', status: 'delivered' });
    const deliveredBefore = (await delivered()) ?? 0;
    const total = 200;
    const emails = 30;
    // One recipient's number is refused by Twilio for good (400 / 21211): the others are accepted.
    sim.configure({ twilio: { invalidNumbers: ['+33600000007'] } });
    const sms = total - 1;
    // pageSize is the workflow's: 500 SMS and 1,000 e-mails a page, so one page each here.
    expect(await runCampaign('sms', total)).toMatchObject({ outcome: 'completed', charged: sms });
    expect(await runCampaign('email', emails)).toMatchObject({ outcome: 'completed', charged: emails });
    // Every report posted by the simulator has been answered (2 per SMS: sent, delivered).
    await eventually(
      async () => sim.stats().callbacks,
      (c) => c.pending === 0 && c.delivered >= 2 * sms,
      30_000,
    );

    // The API: messages by status from Postgres (other files share the database: at least ours).
    const apiText = await eventually(
      () => scrape(api),
      (t) => (sample(t, 'tentacle_messages', { channel: 'sms', status: 'delivered' }) ?? 0) >= deliveredBefore + sms,
      20_000,
      500,
    );
    expect(sample(apiText, 'tentacle_messages', { channel: 'sms', status: 'delivered' })).toBeGreaterThanOrEqual(
      deliveredBefore + sms,
    );
    expect(sample(apiText, 'tentacle_messages', { channel: 'email' })).toBeGreaterThanOrEqual(emails);
    expect(families(apiText)).toEqual(expect.arrayContaining(['tentacle_messages_awaiting_final_status']));
    // Reports: this API received only this simulator's, each answered 2xx.
    const callbacks = sim.stats().callbacks;
    const applied =
      (sample(apiText, 'tentacle_webhook_reports_total', { carrier: 'twilio', result: 'applied' }) ?? 0) +
      (sample(apiText, 'tentacle_webhook_reports_total', { carrier: 'sendgrid', result: 'applied' }) ?? 0);
    expect(applied).toBe(callbacks.delivered);
    expect(sample(apiText, 'tentacle_webhook_reports_total', { carrier: 'twilio', result: 'applied' })).toBe(2 * sms);
    expect(sample(apiText, 'tentacle_webhook_reports_total', { result: 'failed' })).toBe(0);
    expect(
      sample(apiText, 'tentacle_http_request_seconds_count', {
        route: '/webhooks/twilio/status',
        status_class: '2xx',
      }),
    ).toBe(2 * sms);
    expect(sample(apiText, 'process_cpu_seconds_total')).toBeGreaterThan(0);

    // The send worker: one Twilio request per SMS, one SendGrid request for the e-mail page.
    const sendText = await scrape(sendMetrics);
    const stats = sim.stats();
    expect(stats.accepted.sms).toBe(sms);
    expect(sample(sendText, 'tentacle_carrier_request_seconds_count', { carrier: 'twilio', outcome: '2xx' })).toBe(sms);
    expect(sample(sendText, 'tentacle_carrier_request_seconds_count', { carrier: 'twilio', outcome: '4xx' })).toBe(1);
    expect(sample(sendText, 'tentacle_messages_carrier_errors_total', { channel: 'sms', code: '21211' })).toBe(1);
    expect(sample(sendText, 'tentacle_messages_carrier_errors_total')).toBe(1);
    expect(sample(sendText, 'tentacle_carrier_request_seconds_count', { carrier: 'sendgrid', outcome: '2xx' })).toBe(1);
    expect(sample(sendText, 'tentacle_carrier_requests_in_flight', { carrier: 'twilio' })).toBe(0);
    expect(sample(sendText, 'tentacle_page_attempts_total', { channel: 'sms', outcome: 'completed' })).toBe(1);
    expect(sample(sendText, 'tentacle_page_attempts_total', { channel: 'email', outcome: 'completed' })).toBe(1);
    expect(sample(sendText, 'tentacle_page_retries_total', { channel: 'sms' })).toBe(0);
    expect(sample(sendText, 'tentacle_pages_fenced_total', { channel: 'sms' })).toBe(0);
    expect(sample(sendText, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    // The SDK's own metrics on the same URL: the page activities it ran.
    expect(
      sample(sendText, 'temporal_activity_execution_latency_seconds_count', { activity_type: 'sendSmsPage' }),
    ).toBe(1);
    expect(families(sendText).filter((f) => f.startsWith('temporal_')).length).toBeGreaterThan(5);

    // The lifecycle worker: it ran both campaign workflows (and their light activities).
    const lifecycleText = await scrape(lifecycleMetrics);
    expect(
      sample(lifecycleText, 'temporal_workflow_completed_total', { workflow_type: 'campaignWorkflow' }),
    ).toBeGreaterThanOrEqual(2);
    expect(sample(lifecycleText, 'temporal_workflow_task_schedule_to_start_latency_seconds_count')).toBeGreaterThan(0);
    expect(sample(lifecycleText, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  test('When a delivery report is forged or a path matches no route, then the report counts as refused and the request as unmatched', async () => {
    const api = `${sys.baseUrl}/metrics`;
    const before = await scrape(api);
    const count = (t: string, labels: Record<string, string>) =>
      sample(t, 'tentacle_webhook_reports_total', labels) ?? 0;
    const forged = await fetch(`${sys.baseUrl}/webhooks/twilio/status?mid=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      body: 'MessageSid=SMforged&MessageStatus=delivered',
    });
    expect(forged.status).toBe(403);
    expect((await fetch(`${sys.baseUrl}/v1/messages/1/no-such-thing`)).status).toBe(404);
    const after = await scrape(api);
    expect(count(after, { carrier: 'twilio', result: 'refused' })).toBe(
      count(before, { carrier: 'twilio', result: 'refused' }) + 1,
    );
    expect(count(after, { carrier: 'twilio', result: 'applied' })).toBe(
      count(before, { carrier: 'twilio', result: 'applied' }),
    );
    const unmatched = (t: string) =>
      sample(t, 'tentacle_http_request_seconds_count', { route: 'unmatched', status_class: '4xx' }) ?? 0;
    expect(unmatched(after)).toBe(unmatched(before) + 1);
    expect(after).not.toMatch(/no-such-thing/);
  });

  test('When METRICS_TOKEN is set, then /metrics answers 401 without it or with another, and 200 with it', async () => {
    for (const url of [`${sys.baseUrl}/metrics`, sendMetrics, lifecycleMetrics]) {
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer not-the-metrics-token' } })).status).toBe(401);
      const ok = await fetch(url, { headers: auth });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    }
  });

  test('When starts wait in the workflow outbox, then the outbox gauges count them and the age of the oldest', async () => {
    const read = postgresGauges(sys.db, { minIntervalMs: 0 });
    const ids = [`metrics-a-${process.pid}`, `metrics-b-${process.pid}`];
    // Not due for an hour: the relay loop of this system leaves them pending.
    const row = (workflow_id: string, age: string) => ({
      workflow_id,
      workflow_type: 'noSuchWorkflow',
      task_queue: lifecycleQueue,
      args: JSON.stringify([]),
      search_attributes: JSON.stringify([]),
      created_at: sys.db.raw(`now() - interval '${age}'`),
      next_attempt_at: sys.db.raw(`now() + interval '1 hour'`),
    });
    // Other files share the outbox (their rows come and go within a second): this test's oldest row,
    // ten days old, is told apart by the age gauge, and the backlog counts at least its two rows.
    await sys.db('workflow_outbox').insert([row(ids[0], '10 days'), row(ids[1], '10 seconds')]);
    try {
      const text = await read();
      expect(sample(text, 'tentacle_outbox_backlog')).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'tentacle_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(10 * 86_400);
      await sys
        .db('workflow_outbox')
        .whereIn('workflow_id', ids)
        .update({ done_at: sys.db.raw('now()') });
      expect(sample(await read(), 'tentacle_outbox_oldest_age_seconds')).toBeLessThan(86_400);
    } finally {
      await sys.db('workflow_outbox').whereIn('workflow_id', ids).delete();
    }
  });

  test(
    'When a single send waits on a lane no dispatcher serves and an event waits for an endpoint, then the ' +
      'single-send and webhook gauges count them with the age of the oldest, and drop them once done',
    async () => {
      const read = postgresGauges(sys.db, { minIntervalMs: 0 });
      const seeded = await seedCampaign(sys.db, { total: 1 });
      const message = await sys.db('messages').where({ order_id: seeded.orderId }).first('id');
      await sys
        .db('messages')
        .where({ id: message.id })
        .update({ created_at: sys.db.raw(`now() - interval '10 days'`) });
      await sys.db('single_sends').insert({
        message_id: message.id,
        order_id: seeded.orderId,
        account_id: seeded.accountId,
        channel: 'sms',
        lane: `metrics-no-dispatcher-${process.pid}`,
      });
      const [event] = await sys
        .db('webhook_events')
        .insert({
          endpoint_id: '00000000-0000-4000-8000-000000000000', // no endpoint: no dispatcher claims it
          account_id: seeded.accountId,
          event_id: `evt_metrics_${process.pid}`,
          type: 'message.delivered',
          payload: JSON.stringify({}),
          created_at: sys.db.raw(`now() - interval '10 days'`),
          next_attempt_at: sys.db.raw(`now() + interval '1 day'`),
        })
        .returning('id');
      try {
        const text = await read();
        // Other files' sends come and go within seconds: this test's rows are told apart by their age.
        expect(sample(text, 'tentacle_single_sends_waiting', { channel: 'sms' })).toBeGreaterThanOrEqual(1);
        expect(sample(text, 'tentacle_single_sends_oldest_age_seconds', { channel: 'sms' })).toBeGreaterThanOrEqual(
          10 * 86_400,
        );
        expect(sample(text, 'tentacle_webhook_events_pending')).toBeGreaterThanOrEqual(1);
        expect(sample(text, 'tentacle_webhook_events_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(10 * 86_400);
        await sys
          .db('single_sends')
          .where({ message_id: message.id })
          .update({ done_at: sys.db.raw('now()') });
        await sys.db('webhook_events').where({ id: event.id }).update({ status: 'delivered' });
        const after = await read();
        expect(sample(after, 'tentacle_single_sends_oldest_age_seconds', { channel: 'sms' })).toBeLessThan(86_400);
        expect(sample(after, 'tentacle_webhook_events_oldest_pending_age_seconds')).toBeLessThan(86_400);
      } finally {
        await sys.db('single_sends').where({ message_id: message.id }).delete();
        await sys.db('webhook_events').where({ id: event.id }).delete();
      }
    },
  );
});
