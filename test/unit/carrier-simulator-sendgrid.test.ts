// The real @sendgrid/mail client, built by our factory, against the carrier simulator on loopback
// (test/support/carrier-simulator.ts): bulk sends by personalization, SendGrid-shaped errors,
// rate limits, signed event batches verified with our verifier; and the simulator's /_sim
// control API over HTTP.
import { COMPRESSED_RETRIES, type CarrierSimulator } from '../../simulator';
import {
  buildBulkEmail,
  createSendGridClient,
  postMailSend,
  type BulkEmail,
  type SendGridClient,
} from '../../activities/carriers/sendgrid-client';
import { createSendGridVerifier } from '../../activities/carriers/sendgrid-signature';
import { form, header, rejection, simulatorSuite, type Receiver } from '../support/carrier-simulator';

const suite = simulatorSuite();
const { send } = suite;
let sim: CarrierSimulator;
let receiver: Receiver;
let mail: SendGridClient;
beforeAll(() => {
  ({ sim, receiver, mail } = suite);
});

describe('SendGrid simulator with the real @sendgrid/mail client', () => {
  // As the send path does (activities/send.ts sendEmailPage): build the body, post it.
  const sendBulkEmail = (client: SendGridClient, email: BulkEmail) => postMailSend(client, buildBulkEmail(email));
  const recipients = (n: number, prefix = 'r') =>
    Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@example.com`, mid: `${prefix}-${i}` }));
  const bulk = (n: number, prefix?: string) => ({
    from: { email: 'news@tentacle.example' },
    subject: 'Hello',
    text: 'Hi {{name}}',
    recipients: recipients(n, prefix),
  });

  it(
    'When 1000 personalizations are sent in one request, then 202 with X-Message-Id and 1000 messages ' +
      'recorded by mid',
    async () => {
      const result = await sendBulkEmail(mail, bulk(1000));
      expect(result.statusCode).toBe(202);
      expect(result.messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(sim.stats().accepted.email).toBe(1000);
      expect(sim.stats().mids).toEqual({ unique: 1000, duplicated: 0, extraAcceptances: 0 });
      expect(sim.records({ mid: 'r-999' })).toEqual([
        expect.objectContaining({ to: 'r999@example.com', carrierId: result.messageId }),
      ]);
    },
  );

  it(
    'When 1001 personalizations are sent, then SendGrid answers 400 on the personalizations field (and ' +
      'our builder refuses them first)',
    async () => {
      expect(() => buildBulkEmail(bulk(1001))).toThrow(RangeError);
      const data = buildBulkEmail(bulk(1000));
      data.personalizations!.push({ to: [{ email: 'one-more@example.com' }] });
      const error = await rejection(postMailSend(mail, data));
      expect(error).toMatchObject({ code: 400 });
      expect((error.response as { body: { errors: { field: string }[] } }).body.errors[0].field).toBe(
        'personalizations',
      );
      expect(sim.stats().accepted.email).toBe(0);
    },
  );

  it(
    'When recipients have their own subject and substitutions (a campaign page), ' +
      'then each personalization carries them',
    () => {
      const data = buildBulkEmail({
        from: { email: 'news@tentacle.example' },
        text: 'Hi {{name}}',
        recipients: [
          { email: 'a@example.com', mid: '1', subject: 'Hello Ann', substitutions: { '{{name}}': 'Ann' } },
          { email: 'b@example.com', mid: '2' },
        ],
      });
      expect(data).toEqual({
        from: { email: 'news@tentacle.example' },
        content: [{ type: 'text/plain', value: 'Hi {{name}}' }],
        personalizations: [
          {
            to: [{ email: 'a@example.com' }],
            subject: 'Hello Ann',
            custom_args: { mid: '1' },
            substitutions: { '{{name}}': 'Ann' },
          },
          { to: [{ email: 'b@example.com' }], custom_args: { mid: '2' } },
        ],
      });
    },
  );

  it('When a recipient address is invalid, then 400 with a SendGrid-shaped error naming the field', async () => {
    const data = buildBulkEmail(bulk(2));
    data.personalizations![1].to = [{ email: 'not-an-address' }];
    const error = await rejection(postMailSend(mail, data));
    expect(error).toMatchObject({ code: 400 });
    expect((error.response as { body: unknown }).body).toEqual({
      errors: [
        {
          message: 'Does not contain a valid address.',
          field: 'personalizations.1.to.0.email',
          help: expect.any(String),
        },
      ],
    });
  });

  it('When the request rate exceeds the limit, then 429 with X-RateLimit headers', async () => {
    sim.configure({ sendgrid: { requestsPerSecond: 1 } });
    while (Date.now() % 1000 > 300) await new Promise((r) => setTimeout(r, 20));
    await sendBulkEmail(mail, bulk(1, 'a'));
    const error = await rejection(sendBulkEmail(mail, bulk(1, 'b')));
    expect(error).toMatchObject({ code: 429 });
    const headers = (error.response as { headers: Record<string, string> }).headers;
    expect(headers['x-ratelimit-limit']).toBe('1');
    expect(headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(sim.stats().accepted.email).toBe(1);
  });

  it('When the API key is wrong, then 401', async () => {
    const wrong = createSendGridClient({ apiKey: 'SG.wrong', baseUrl: sim.url });
    try {
      expect(await rejection(sendBulkEmail(wrong, bulk(1)))).toMatchObject({ code: 401 });
    } finally {
      wrong.close();
    }
  });

  it(
    'When events are posted, then custom_args come back, outcomes follow the sets, and the signature ' +
      'verifies with the published key',
    async () => {
      sim.configure({
        sendgrid: {
          eventWebhookUrl: `${receiver.base}/sendgrid/events`,
          bouncedEmails: ['r1@example.com'],
          unsubscribedEmails: ['R2@example.com'],
        },
      });
      await sendBulkEmail(mail, { ...bulk(3), customArgs: { campaign: 'c-9' } });
      await sim.whenIdle();
      const calls = receiver.on('/sendgrid/events');
      expect(calls).toHaveLength(1); // one batch
      const events = JSON.parse(calls[0].body) as Record<string, string>[];
      const byMid = (mid: string) => events.filter((e) => e.mid === mid).map((e) => e.event);
      expect(byMid('r-0')).toEqual(['processed', 'delivered']);
      expect(byMid('r-1')).toEqual(['processed', 'bounce']);
      expect(byMid('r-2')).toEqual(['dropped']);
      expect(events.every((e) => e.campaign === 'c-9')).toBe(true);

      const verify = createSendGridVerifier(sim.sendgrid.webhookPublicKey);
      const signature = header(calls[0], 'x-twilio-email-event-webhook-signature');
      const timestamp = header(calls[0], 'x-twilio-email-event-webhook-timestamp');
      expect(verify({ payload: calls[0].body, signature, timestamp })).toBe(true);
      expect(verify({ payload: calls[0].body.replace('"delivered"', '"bounce"'), signature, timestamp })).toBe(false);
      expect(verify({ payload: calls[0].body, signature, timestamp: String(Number(timestamp) + 1) })).toBe(false);
    },
  );

  it(
    'When every recipient reports spam, then the events are processed, delivered, spamreport in that ' + 'order',
    async () => {
      sim.configure({
        sendgrid: {
          eventWebhookUrl: `${receiver.base}/sendgrid/events`,
          outcomes: { delivered: 0, bounce: 0, dropped: 0, spamreport: 1, unsubscribe: 0 },
        },
      });
      await sendBulkEmail(mail, bulk(2));
      await sim.whenIdle();
      const events = receiver
        .on('/sendgrid/events')
        .flatMap((c) => JSON.parse(c.body) as { mid: string; event: string }[]);
      expect(events.filter((e) => e.mid === 'r-1').map((e) => e.event)).toEqual([
        'processed',
        'delivered',
        'spamreport',
      ]);
      expect(events).toHaveLength(6);
    },
  );

  it(
    'When the event webhook answers 503 (or is down), then the same signed batch is posted again at ' +
      'increasing intervals until a 2xx',
    async () => {
      sim.configure({
        sendgrid: { eventWebhookUrl: `${receiver.base}/flaky/events` },
        callbacks: { intermediate: false, ...COMPRESSED_RETRIES, sendgridRetryFirstMs: 100 },
      });
      receiver.flaky = 3;
      await sendBulkEmail(mail, bulk(2));
      await sim.whenIdle();
      const calls = receiver.on('/flaky/events');
      expect(calls).toHaveLength(4); // 3 refusals, then accepted
      expect(new Set(calls.map((c) => c.body)).size).toBe(1);
      const gaps = calls.slice(1).map((c, i) => c.at - calls[i].at);
      // 100, 200, 400 ms (factor 2, max 400): each wait at least its step, and increasing
      expect(gaps[0]).toBeGreaterThanOrEqual(95);
      expect(gaps[1]).toBeGreaterThanOrEqual(195);
      expect(gaps[2]).toBeGreaterThanOrEqual(395);
      const verify = createSendGridVerifier(sim.sendgrid.webhookPublicKey);
      const last = calls[3];
      const signed = {
        payload: last.body,
        signature: header(last, 'x-twilio-email-event-webhook-signature'),
        timestamp: header(last, 'x-twilio-email-event-webhook-timestamp'),
      };
      expect(verify(signed)).toBe(true);
      expect(sim.stats().callbacks).toMatchObject({ delivered: 1, failed: 0, retried: 3, pending: 0 });
    },
  );

  it('When the receiver keeps refusing, then retries stop at the horizon and the batch is dropped', async () => {
    sim.configure({
      sendgrid: { eventWebhookUrl: `${receiver.base}/fail/events` },
      callbacks: {
        intermediate: false,
        sendgridRetryFirstMs: 100,
        sendgridRetryFactor: 2,
        sendgridRetryMaxMs: 1000,
        sendgridRetryHorizonMs: 1000,
      },
    });
    await sendBulkEmail(mail, bulk(1));
    await sim.whenIdle();
    // retries at +100, +300, +700 ms; the next (+1500) is past the 1 s horizon
    expect(receiver.on('/fail/events')).toHaveLength(4);
    expect(sim.stats().callbacks).toMatchObject({ delivered: 0, failed: 1, retried: 3, pending: 0 });
  });

  it('By default SendGrid retries for 24 h, starting at 30 s (the realistic schedule npm start and tests get)', () => {
    expect(sim.config().callbacks).toMatchObject({
      sendgridRetryFirstMs: 30_000,
      sendgridRetryHorizonMs: 24 * 3600_000,
    });
  });

  it('When many recipients are accepted, then events are batched at the configured size', async () => {
    sim.configure({
      sendgrid: { eventWebhookUrl: `${receiver.base}/sendgrid/events` },
      callbacks: { eventBatchSize: 500, intermediate: false },
    });
    await sendBulkEmail(mail, bulk(1000));
    await sim.whenIdle();
    const batches = receiver.on('/sendgrid/events').map((c) => (JSON.parse(c.body) as unknown[]).length);
    expect(batches).toEqual([500, 500]);
  });
});

describe('control API under /_sim', () => {
  it('When driven over HTTP, then config, stats, records and reset work like the in-process API', async () => {
    const config = await fetch(`${sim.url}/_sim/config`, {
      method: 'POST',
      body: JSON.stringify({ twilio: { invalidNumbers: ['+33600000000'] } }),
    });
    expect(((await config.json()) as { twilio: { invalidNumbers: string[] } }).twilio.invalidNumbers).toEqual([
      '+33600000000',
    ]);
    expect(await rejection(send('+33600000000', 'x'))).toMatchObject({ code: 21211 });
    await send('+33612345678', 'ctl');
    await send('+33612345678', 'ctl');
    const stats = await (await fetch(`${sim.url}/_sim/stats`)).json();
    expect(stats).toMatchObject({
      accepted: { sms: 2 },
      mids: { unique: 1, duplicated: 1 },
      rejected: { 'twilio:21211': 1 },
    });
    const records = await (await fetch(`${sim.url}/_sim/records?mid=ctl`)).json();
    expect(records).toMatchObject({ total: 2, acceptedCount: 2 });
    expect((await fetch(`${sim.url}/_sim/idle`)).status).toBe(200);
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST', body: '{}' });
    expect(((await (await fetch(`${sim.url}/_sim/stats`)).json()) as { accepted: unknown }).accepted).toEqual({
      sms: 0,
      email: 0,
    });
    await fetch(`${sim.url}/_sim/config`, {
      method: 'POST',
      body: JSON.stringify({ twilio: { inboundUrl: `${receiver.base}/in` } }),
    });
    const inbound = await fetch(`${sim.url}/_sim/inbound`, {
      method: 'POST',
      body: JSON.stringify({ from: '+33612345678', to: '36180', body: 'Arrêt' }),
    });
    expect(await inbound.json()).toMatchObject({ status: 204, messageSid: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    expect(receiver.on('/in').map((c) => form(c.body).Body)).toEqual(['Arrêt']);
    const info = await (await fetch(`${sim.url}/_sim/info`)).json();
    expect(info).toEqual({ url: sim.url, port: sim.port, twilio: sim.twilio, sendgrid: sim.sendgrid });
  });
});
