// The real twilio and @sendgrid/mail clients, built by our factories, against the simulator on
// loopback; webhooks land on a small local HTTP server and are verified with our verifiers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio-client';
import { buildBulkEmail, createSendGridClient, postMailSend, type BulkEmail, type SendGridClient } from '../../activities/carriers/sendgrid-client';
import { verifyTwilioSignature } from '../../activities/carriers/twilio-signature';
import { createSendGridVerifier } from '../../activities/carriers/sendgrid-signature';
import { parseInboundKeyword } from '../../domain/opt-out';

interface Received {
  path: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

class Receiver {
  readonly received: Received[] = [];
  private server!: Server;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = `${this.base}${req.url}`;
        this.received.push({ path: (req.url ?? '').split('?')[0], url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(req.url?.startsWith('/fail') ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const form = (body: string) => Object.fromEntries(new URLSearchParams(body));
const header = (r: Received, name: string) => String(r.headers[name.toLowerCase()] ?? '');

let sim: CarrierSimulator;
let receiver: Receiver;
let sms: TwilioClient;
let mail: SendGridClient;
const FROM = '+33700000001';

beforeAll(async () => {
  sim = await startCarrierSimulator();
  receiver = new Receiver();
  await receiver.start();
  sms = createTwilioClient({ ...sim.twilio, baseUrl: sim.url, connections: 8 });
  mail = createSendGridClient({ apiKey: sim.sendgrid.apiKey, baseUrl: sim.url });
});

afterAll(async () => {
  await sms.close();
  mail.close();
  await sim.stop();
  await receiver.stop();
});

beforeEach(() => {
  sim.reset({ config: true });
  receiver.received.length = 0;
});

const send = (to: string, mid: string, extra: Record<string, string> = {}) =>
  sms.messages.create({ to, from: FROM, body: 'Bonjour', statusCallback: `${receiver.base}/twilio/status?mid=${mid}`, ...extra });

async function rejection(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

describe('Twilio simulator with the real twilio client', () => {
  it('When a message is created, then it is answered like Twilio and recorded with our mid', async () => {
    const message = await send('+33612345678', 'm-1');
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({ status: 'queued', to: '+33612345678', from: FROM, body: 'Bonjour', numSegments: '1', accountSid: sim.twilio.accountSid });
    expect(message.dateCreated).toBeInstanceOf(Date);
    expect(sim.records({ mid: 'm-1' })).toEqual([expect.objectContaining({ channel: 'sms', carrierId: message.sid, to: '+33612345678' })]);
    expect(sim.acceptedCount('m-1')).toBe(1);
    expect(sim.stats().accepted.sms).toBe(1);
  });

  it('When a 429 is injected, then the client sees RestException 20429 and nothing is recorded', async () => {
    sim.configure({ twilio: { rateLimitedRate: 1 } });
    const error = await rejection(send('+33612345678', 'm-429'));
    expect(error).toMatchObject({ status: 429, code: 20429, moreInfo: 'https://www.twilio.com/docs/errors/20429' });
    expect(sim.acceptedCount('m-429')).toBe(0);
    expect(sim.stats().rejected).toEqual({ 'twilio:20429': 1 });
  });

  it('When a 5xx is injected, then the client sees status 500 code 20500', async () => {
    sim.configure({ twilio: { serverErrorRate: 1 } });
    expect(await rejection(send('+33612345678', 'm-500'))).toMatchObject({ status: 500, code: 20500 });
  });

  it('When the number is not E.164 or is in the invalid set, then 400 / 21211', async () => {
    sim.configure({ twilio: { invalidNumbers: ['+33699999999'] } });
    expect(await rejection(send('0612345678', 'a'))).toMatchObject({ status: 400, code: 21211 });
    expect(await rejection(send('+33699999999', 'b'))).toMatchObject({ status: 400, code: 21211 });
    expect(sim.stats().accepted.sms).toBe(0);
    expect(sim.stats().rejected['twilio:21211']).toBe(2);
  });

  it('When the recipient unsubscribed or the region is disabled, then 21610 or 21408', async () => {
    sim.configure({ twilio: { unsubscribedNumbers: ['+33611111111'], disabledRegionPrefixes: ['+86'] } });
    expect(await rejection(send('+33611111111', 'a'))).toMatchObject({ status: 400, code: 21610 });
    expect(await rejection(send('+8613800138000', 'b'))).toMatchObject({ status: 400, code: 21408 });
    await expect(send('+33622222222', 'c')).resolves.toMatchObject({ status: 'queued' });
  });

  it('When the auth token is wrong, then 401 / 20003', async () => {
    const wrong = createTwilioClient({ accountSid: sim.twilio.accountSid, authToken: 'nope', baseUrl: sim.url, connections: 1 });
    try {
      expect(await rejection(wrong.messages.create({ to: '+33612345678', from: FROM, body: 'x' }))).toMatchObject({ status: 401, code: 20003 });
    } finally {
      await wrong.close();
    }
  });

  it('When a sender exceeds its MPS limit within one second, then the excess gets 20429 and other senders are not affected', async () => {
    sim.configure({ twilio: { senderMps: 2 } });
    // Start early in a second so all requests share one rate window.
    while (Date.now() % 1000 > 300) await new Promise((r) => setTimeout(r, 20));
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => send('+33612345678', `mps-${i}`)));
    const other = await sms.messages.create({ to: '+33612345678', from: '+33700000002', body: 'x' });
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual([20429, 20429, 20429]);
    expect(other.status).toBe('queued');
  });

  it('When the same mid is sent twice, then it is counted as a duplicate', async () => {
    await send('+33612345678', 'dup');
    await send('+33612345678', 'dup');
    await send('+33612345678', 'single');
    expect(sim.acceptedCount('dup')).toBe(2);
    expect(sim.stats().mids).toEqual({ unique: 2, duplicated: 1, extraAcceptances: 1 });
    expect(sim.stats().duplicateMids).toEqual(['dup']);
  });

  it('When the client gives up before the simulated latency ends, then the message was still accepted', async () => {
    // undici's header timeout runs on its coarse timer (about half a second of resolution): the
    // answer must come well after it.
    sim.configure({ latency: { fixedMs: 2_500 } });
    const impatient = createTwilioClient({ ...sim.twilio, baseUrl: sim.url, connections: 1, timeoutMs: 50 });
    try {
      await rejection(impatient.messages.create({ to: '+33612345678', from: FROM, body: 'x', statusCallback: `${receiver.base}/s?mid=late` }));
    } finally {
      await impatient.close();
    }
    expect(sim.acceptedCount('late')).toBe(1);
  });

  it('When latency is configured, then answers take at least that long', async () => {
    sim.configure({ latency: { minMs: 60, maxMs: 80 } });
    const started = Date.now();
    await send('+33612345678', 'slow');
    expect(Date.now() - started).toBeGreaterThanOrEqual(59);
  });

  it('When messages are listed by To and DateSent, then only that recipient\'s messages of that day come back', async () => {
    await send('+33612345678', 'l1');
    await send('+33612345678', 'l2');
    await send('+33687654321', 'l3');
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const listed = await sms.messages.list({ to: '+33612345678', dateSent: today, pageSize: 1 });
    expect(listed).toHaveLength(2); // two pages of one, followed by the client
    expect(new Set(listed.map((m) => m.to))).toEqual(new Set(['+33612345678']));
    const yesterday = new Date(today.getTime() - 86_400_000);
    expect(await sms.messages.list({ to: '+33612345678', dateSent: yesterday })).toHaveLength(0);
    const fetched = await sms.messages(listed[0].sid).fetch();
    expect(fetched.sid).toBe(listed[0].sid);
  });

  it('When status callbacks are on, then "sent" then "delivered" arrive signed, and a tampered one fails verification', async () => {
    const message = await send('+33612345678', 'cb-1');
    await sim.whenIdle();
    const calls = receiver.on('/twilio/status');
    expect(calls.map((c) => form(c.body).MessageStatus)).toEqual(['sent', 'delivered']);
    for (const call of calls) {
      const params = form(call.body);
      expect(params).toMatchObject({ MessageSid: message.sid, To: '+33612345678', From: FROM, AccountSid: sim.twilio.accountSid });
      expect(call.url).toBe(`${receiver.base}/twilio/status?mid=cb-1`);
      expect(verifyTwilioSignature(sim.twilio.authToken, header(call, 'x-twilio-signature'), call.url, params)).toBe(true);
    }
    const [first] = calls;
    const params = form(first.body);
    const sig = header(first, 'x-twilio-signature');
    expect(verifyTwilioSignature(sim.twilio.authToken, sig, first.url, { ...params, MessageStatus: 'delivered' })).toBe(false);
    expect(verifyTwilioSignature(sim.twilio.authToken, sig, first.url.replace('cb-1', 'cb-2'), params)).toBe(false);
    expect(verifyTwilioSignature('other-token', sig, first.url, params)).toBe(false);
    expect(verifyTwilioSignature(sim.twilio.authToken, undefined, first.url, params)).toBe(false);
    expect(sim.records({ mid: 'cb-1' })[0].status).toBe('delivered');
  });

  it('When every message is undeliverable, then the final callback is "undelivered" with a 3000x ErrorCode', async () => {
    sim.configure({ twilio: { outcomes: { delivered: 0, undelivered: 1, failed: 0 } }, callbacks: { intermediate: false } });
    await Promise.all([1, 2, 3, 4].map((i) => send('+33612345678', `u-${i}`)));
    await sim.whenIdle();
    const calls = receiver.on('/twilio/status').map((c) => form(c.body));
    expect(calls).toHaveLength(4);
    for (const params of calls) {
      expect(params.MessageStatus).toBe('undelivered');
      expect(['30003', '30006', '30007']).toContain(params.ErrorCode);
    }
  });

  it('When callbacks are switched off, then nothing is posted and the status is final at once', async () => {
    sim.configure({ callbacks: { enabled: false } });
    await send('+33612345678', 'off');
    await sim.whenIdle();
    expect(receiver.received).toHaveLength(0);
    expect(sim.records({ mid: 'off' })[0].status).toBe('delivered');
    expect(sim.stats().callbacks).toMatchObject({ queued: 0, pending: 0 });
  });

  it('When the callback receiver answers 500, then the webhook is retried the configured number of times and counted as failed', async () => {
    sim.configure({ callbacks: { intermediate: false, retries: 1 } });
    await sms.messages.create({ to: '+33612345678', from: FROM, body: 'x', statusCallback: `${receiver.base}/fail?mid=f` });
    await sim.whenIdle();
    expect(receiver.on('/fail')).toHaveLength(2); // first attempt + one retry, 1 s apart
    expect(sim.stats().callbacks).toMatchObject({ queued: 1, delivered: 0, failed: 1, pending: 0 });
  });

  it('When an inbound STOP is simulated, then our webhook gets a signed form with the body', async () => {
    sim.configure({ twilio: { inboundUrl: `${receiver.base}/twilio/inbound` } });
    const result = await sim.sendInbound({ from: '+33612345678', to: '36180', body: 'STOP' });
    expect(result.status).toBe(204);
    const [call] = receiver.on('/twilio/inbound');
    const params = form(call.body);
    expect(params).toMatchObject({ From: '+33612345678', To: '36180', Body: 'STOP', MessageSid: result.messageSid, FromCountry: 'FR' });
    expect(parseInboundKeyword(params.Body)).toBe('stop');
    expect(verifyTwilioSignature(sim.twilio.authToken, header(call, 'x-twilio-signature'), call.url, params)).toBe(true);
  });
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

  it('When 1000 personalizations are sent in one request, then 202 with X-Message-Id and 1000 messages recorded by mid', async () => {
    const result = await sendBulkEmail(mail, bulk(1000));
    expect(result.statusCode).toBe(202);
    expect(result.messageId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(sim.stats().accepted.email).toBe(1000);
    expect(sim.stats().mids).toEqual({ unique: 1000, duplicated: 0, extraAcceptances: 0 });
    expect(sim.records({ mid: 'r-999' })).toEqual([expect.objectContaining({ to: 'r999@example.com', carrierId: result.messageId })]);
  });

  it('When 1001 personalizations are sent, then SendGrid answers 400 on the personalizations field (and our builder refuses them first)', async () => {
    expect(() => buildBulkEmail(bulk(1001))).toThrow(RangeError);
    const data = buildBulkEmail(bulk(1000));
    data.personalizations!.push({ to: [{ email: 'one-more@example.com' }] });
    const error = await rejection(postMailSend(mail, data));
    expect(error).toMatchObject({ code: 400 });
    expect((error.response as { body: { errors: { field: string }[] } }).body.errors[0].field).toBe('personalizations');
    expect(sim.stats().accepted.email).toBe(0);
  });

  it('When recipients have their own subject and substitutions (a campaign page), then each personalization carries them', () => {
    const data = buildBulkEmail({
      from: { email: 'news@tentacle.example' }, text: 'Hi {{name}}',
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
          to: [{ email: 'a@example.com' }], subject: 'Hello Ann', custom_args: { mid: '1' }, substitutions: { '{{name}}': 'Ann' },
        },
        { to: [{ email: 'b@example.com' }], custom_args: { mid: '2' } },
      ],
    });
  });

  it('When a recipient address is invalid, then 400 with a SendGrid-shaped error naming the field', async () => {
    const data = buildBulkEmail(bulk(2));
    data.personalizations![1].to = [{ email: 'not-an-address' }];
    const error = await rejection(postMailSend(mail, data));
    expect(error).toMatchObject({ code: 400 });
    expect((error.response as { body: unknown }).body).toEqual({
      errors: [{ message: 'Does not contain a valid address.', field: 'personalizations.1.to.0.email', help: expect.any(String) }],
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

  it('When events are posted, then custom_args come back, outcomes follow the sets, and the signature verifies with the published key', async () => {
    sim.configure({
      sendgrid: { eventWebhookUrl: `${receiver.base}/sendgrid/events`, bouncedEmails: ['r1@example.com'], unsubscribedEmails: ['R2@example.com'] },
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
  });

  it('When every recipient reports spam, then the events are processed, delivered, spamreport in that order', async () => {
    sim.configure({
      sendgrid: { eventWebhookUrl: `${receiver.base}/sendgrid/events`, outcomes: { delivered: 0, bounce: 0, dropped: 0, spamreport: 1, unsubscribe: 0 } },
    });
    await sendBulkEmail(mail, bulk(2));
    await sim.whenIdle();
    const events = receiver.on('/sendgrid/events').flatMap((c) => JSON.parse(c.body) as { mid: string; event: string }[]);
    expect(events.filter((e) => e.mid === 'r-1').map((e) => e.event)).toEqual(['processed', 'delivered', 'spamreport']);
    expect(events).toHaveLength(6);
  });

  it('When many recipients are accepted, then events are batched at the configured size', async () => {
    sim.configure({ sendgrid: { eventWebhookUrl: `${receiver.base}/sendgrid/events` }, callbacks: { eventBatchSize: 500, intermediate: false } });
    await sendBulkEmail(mail, bulk(1000));
    await sim.whenIdle();
    const batches = receiver.on('/sendgrid/events').map((c) => (JSON.parse(c.body) as unknown[]).length);
    expect(batches).toEqual([500, 500]);
  });
});

describe('control API under /_sim', () => {
  it('When driven over HTTP, then config, stats, records and reset work like the in-process API', async () => {
    const config = await fetch(`${sim.url}/_sim/config`, { method: 'POST', body: JSON.stringify({ twilio: { invalidNumbers: ['+33600000000'] } }) });
    expect(((await config.json()) as { twilio: { invalidNumbers: string[] } }).twilio.invalidNumbers).toEqual(['+33600000000']);
    expect(await rejection(send('+33600000000', 'x'))).toMatchObject({ code: 21211 });
    await send('+33612345678', 'ctl');
    await send('+33612345678', 'ctl');
    const stats = await (await fetch(`${sim.url}/_sim/stats`)).json();
    expect(stats).toMatchObject({ accepted: { sms: 2 }, mids: { unique: 1, duplicated: 1 }, rejected: { 'twilio:21211': 1 } });
    const records = await (await fetch(`${sim.url}/_sim/records?mid=ctl`)).json();
    expect(records).toMatchObject({ total: 2, acceptedCount: 2 });
    expect((await fetch(`${sim.url}/_sim/idle`)).status).toBe(200);
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST', body: '{}' });
    expect(((await (await fetch(`${sim.url}/_sim/stats`)).json()) as { accepted: unknown }).accepted).toEqual({ sms: 0, email: 0 });
    await fetch(`${sim.url}/_sim/config`, { method: 'POST', body: JSON.stringify({ twilio: { inboundUrl: `${receiver.base}/in` } }) });
    const inbound = await fetch(`${sim.url}/_sim/inbound`, { method: 'POST', body: JSON.stringify({ from: '+33612345678', to: '36180', body: 'Arrêt' }) });
    expect(await inbound.json()).toMatchObject({ status: 204, messageSid: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    expect(receiver.on('/in').map((c) => form(c.body).Body)).toEqual(['Arrêt']);
    const info = await (await fetch(`${sim.url}/_sim/info`)).json();
    expect(info).toEqual({ url: sim.url, port: sim.port, twilio: sim.twilio, sendgrid: sim.sendgrid });
  });
});
