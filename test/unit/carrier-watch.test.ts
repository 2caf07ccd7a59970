// The carrier clients' watch (lib/metrics/carrier-watch.ts) on the real Twilio and SendGrid
// clients against the carrier simulator: a request unanswered for N s is logged once at warn, a
// prompt answer never is, and every request lands in the latency histogram and the in-flight gauge.
import { Writable } from 'node:stream';
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio-client';
import { buildBulkEmail, createSendGridClient, postMailSend } from '../../activities/carriers/sendgrid-client';
import { createCarrierWatch } from '../../lib/metrics/carrier-watch';
import { registry } from '../../lib/metrics/definitions';
import { createLogger } from '../../lib/logger';
import { sample } from '../support/metrics';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, logger: createLogger('carrier-test', 'info', stream) };
}

const value = async (name: string, labels: Record<string, string>) => sample(await registry.metrics(), name, labels);

describe('carrier watch', () => {
  let sim: CarrierSimulator;
  let twilio: TwilioClient;
  const log = capture();
  const send = (to: string) => twilio.messages.create({ to, from: '+33700000000', body: 'Bonjour' });

  beforeAll(async () => {
    sim = await startCarrierSimulator();
    twilio = createTwilioClient({
      accountSid: sim.twilio.accountSid,
      authToken: sim.twilio.authToken,
      baseUrl: sim.url,
      connections: 4,
      watch: createCarrierWatch('twilio', { warnAfterMs: 300, logger: log.logger }),
    });
    // The first request loads twilio-node's API modules and opens the connection: not timed here.
    await send('+33612340000');
    log.lines.length = 0;
  });
  afterAll(async () => {
    await twilio?.close();
    await sim?.stop();
  });

  test('When Twilio takes longer than N s to answer, then each request is logged once at warn, and a prompt one never', async () => {
    const before = (await value('tentacle_carrier_request_seconds_count', { carrier: 'twilio', outcome: '2xx' })) ?? 0;
    sim.configure({ latency: { fixedMs: 0 } });
    await send('+33612340001');
    expect(log.lines).toEqual([]);

    sim.configure({ latency: { fixedMs: 1_200 } });
    const slow = Promise.all([send('+33612340002'), send('+33612340003')]);
    await new Promise((r) => setTimeout(r, 700));
    // Both are in flight, both past 300 ms: one warn each, and no more while they keep waiting.
    expect(await value('tentacle_carrier_requests_in_flight', { carrier: 'twilio' })).toBe(2);
    await slow;
    const warns = log.lines.filter((l) => l.level === 40);
    expect(warns).toHaveLength(2);
    for (const w of warns) {
      expect(w).toMatchObject({ carrier: 'twilio', request: expect.stringMatching(/^POST \/2010-04-01\/Accounts\//) });
      expect(w.waitedMs).toBeGreaterThanOrEqual(300);
      expect(w.waitedMs).toBeLessThan(1_200);
      expect(String(w.msg)).toMatch(/^carrier has not answered for \d+\.\d s$/);
    }
    expect(await value('tentacle_carrier_requests_slow_total', { carrier: 'twilio' })).toBe(2);
    expect(await value('tentacle_carrier_requests_in_flight', { carrier: 'twilio' })).toBe(0);
    expect(await value('tentacle_carrier_request_seconds_count', { carrier: 'twilio', outcome: '2xx' })).toBe(
      before + 3,
    );
    // Answered: nothing more is logged afterwards.
    await new Promise((r) => setTimeout(r, 500));
    expect(log.lines).toHaveLength(2);
  });

  test('When the carrier refuses, then the request is counted under its status class', async () => {
    sim.configure({ latency: { fixedMs: 0 }, twilio: { rateLimitedRate: 1 } });
    const before = (await value('tentacle_carrier_request_seconds_count', { carrier: 'twilio', outcome: '429' })) ?? 0;
    await expect(send('+33612340004')).rejects.toMatchObject({ status: 429 });
    expect(await value('tentacle_carrier_request_seconds_count', { carrier: 'twilio', outcome: '429' })).toBe(
      before + 1,
    );
    sim.configure({ twilio: { rateLimitedRate: 0 } });
  });

  test('When SendGrid hangs past N s, then its request is logged once at warn too', async () => {
    const sg = capture();
    const sendgrid = createSendGridClient({
      apiKey: sim.sendgrid.apiKey,
      baseUrl: sim.url,
      watch: createCarrierWatch('sendgrid', { warnAfterMs: 200, logger: sg.logger }),
    });
    try {
      sim.configure({ latency: { fixedMs: 700 } });
      const mail = buildBulkEmail({
        from: { email: 'news@tentacle.example' },
        subject: 'Hello',
        text: 'Bonjour',
        recipients: [{ email: 'a@example.com', mid: '1' }],
      });
      expect(await postMailSend(sendgrid, mail)).toMatchObject({ statusCode: 202 });
      expect(sg.lines).toEqual([
        expect.objectContaining({ level: 40, carrier: 'sendgrid', request: 'POST /v3/mail/send' }),
      ]);
      expect(await value('tentacle_carrier_request_seconds_count', { carrier: 'sendgrid', outcome: '2xx' })).toBe(1);
    } finally {
      sendgrid.close();
    }
  });
});
