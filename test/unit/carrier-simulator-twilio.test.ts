// The real twilio client, built by our factory, against the carrier simulator on loopback
// (test/support/carrier-simulator.ts): answers and errors shaped like Twilio's, rate limits,
// duplicates, latency, signed status callbacks verified with our verifier, inbound STOP.
import { COMPRESSED_RETRIES, type CarrierSimulator } from '../../simulator';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio-client';
import { verifyTwilioSignature } from '../../activities/carriers/twilio-signature';
import { parseInboundKeyword } from '../../domain/opt-out';
import { FROM, form, header, rejection, simulatorSuite, type Receiver } from '../support/carrier-simulator';

const suite = simulatorSuite();
const { send } = suite;
let sim: CarrierSimulator;
let receiver: Receiver;
let sms: TwilioClient;
beforeAll(() => {
  ({ sim, receiver, sms } = suite);
});

describe('Twilio simulator with the real twilio client', () => {
  it('When a message is created, then it is answered like Twilio and recorded with our mid', async () => {
    const message = await send('+33612345678', 'm-1');
    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({
      status: 'queued',
      to: '+33612345678',
      from: FROM,
      body: 'Bonjour',
      numSegments: '1',
      accountSid: sim.twilio.accountSid,
    });
    expect(message.dateCreated).toBeInstanceOf(Date);
    expect(sim.records({ mid: 'm-1' })).toEqual([
      expect.objectContaining({ channel: 'sms', carrierId: message.sid, to: '+33612345678' }),
    ]);
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
    const wrong = createTwilioClient({
      accountSid: sim.twilio.accountSid,
      authToken: 'nope',
      baseUrl: sim.url,
      connections: 1,
    });
    try {
      expect(await rejection(wrong.messages.create({ to: '+33612345678', from: FROM, body: 'x' }))).toMatchObject({
        status: 401,
        code: 20003,
      });
    } finally {
      await wrong.close();
    }
  });

  it(
    'When a sender exceeds its MPS limit within one second, then the excess gets 20429 and other senders ' +
      'are not affected',
    async () => {
      sim.configure({ twilio: { senderMps: 2 } });
      // Start early in a second so all requests share one rate window.
      while (Date.now() % 1000 > 300) await new Promise((r) => setTimeout(r, 20));
      const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => send('+33612345678', `mps-${i}`)));
      const other = await sms.messages.create({ to: '+33612345678', from: '+33700000002', body: 'x' });
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
      expect(
        results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code),
      ).toEqual([20429, 20429, 20429]);
      expect(other.status).toBe('queued');
    },
  );

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
      await rejection(
        impatient.messages.create({
          to: '+33612345678',
          from: FROM,
          body: 'x',
          statusCallback: `${receiver.base}/s?mid=late`,
        }),
      );
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

  it(
    "When messages are listed by To and DateSent, then only that recipient's messages of that day come " + 'back',
    async () => {
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
    },
  );

  it(
    'When status callbacks are on, then "sent" then "delivered" arrive signed, and a tampered one fails ' +
      'verification',
    async () => {
      const message = await send('+33612345678', 'cb-1');
      await sim.whenIdle();
      const calls = receiver.on('/twilio/status');
      expect(calls.map((c) => form(c.body).MessageStatus)).toEqual(['sent', 'delivered']);
      for (const call of calls) {
        const params = form(call.body);
        expect(params).toMatchObject({
          MessageSid: message.sid,
          To: '+33612345678',
          From: FROM,
          AccountSid: sim.twilio.accountSid,
        });
        expect(call.url).toBe(`${receiver.base}/twilio/status?mid=cb-1`);
        expect(verifyTwilioSignature(sim.twilio.authToken, header(call, 'x-twilio-signature'), call.url, params)).toBe(
          true,
        );
      }
      const [first] = calls;
      const params = form(first.body);
      const sig = header(first, 'x-twilio-signature');
      expect(
        verifyTwilioSignature(sim.twilio.authToken, sig, first.url, { ...params, MessageStatus: 'delivered' }),
      ).toBe(false);
      expect(verifyTwilioSignature(sim.twilio.authToken, sig, first.url.replace('cb-1', 'cb-2'), params)).toBe(false);
      expect(verifyTwilioSignature('other-token', sig, first.url, params)).toBe(false);
      expect(verifyTwilioSignature(sim.twilio.authToken, undefined, first.url, params)).toBe(false);
      expect(sim.records({ mid: 'cb-1' })[0].status).toBe('delivered');
    },
  );

  it(
    'When every message is undeliverable, then the final callback is ' + '"undelivered" with a 3000x ErrorCode',
    async () => {
      sim.configure({
        twilio: { outcomes: { delivered: 0, undelivered: 1, failed: 0 } },
        callbacks: { intermediate: false },
      });
      await Promise.all([1, 2, 3, 4].map((i) => send('+33612345678', `u-${i}`)));
      await sim.whenIdle();
      const calls = receiver.on('/twilio/status').map((c) => form(c.body));
      expect(calls).toHaveLength(4);
      for (const params of calls) {
        expect(params.MessageStatus).toBe('undelivered');
        expect(['30003', '30006', '30007']).toContain(params.ErrorCode);
      }
    },
  );

  it('When callbacks are switched off, then nothing is posted and the status is final at once', async () => {
    sim.configure({ callbacks: { enabled: false } });
    await send('+33612345678', 'off');
    await sim.whenIdle();
    expect(receiver.received).toHaveLength(0);
    expect(sim.records({ mid: 'off' })[0].status).toBe('delivered');
    expect(sim.stats().callbacks).toMatchObject({ queued: 0, pending: 0 });
  });

  describe('Twilio retries a status callback only as its URL asks (connection overrides)', () => {
    const create = (url: string) =>
      sms.messages.create({ to: '+33612345678', from: FROM, body: 'x', statusCallback: url });
    const arrival = (path: string) => receiver.on(path).map((c) => c.at);

    it('When the URL has no fragment and the receiver answers 503, then it is posted once, failed', async () => {
      sim.configure({ callbacks: { intermediate: false, ...COMPRESSED_RETRIES } });
      receiver.flaky = 5;
      await create(`${receiver.base}/flaky?mid=f0`);
      await sim.whenIdle();
      expect(receiver.on('/flaky')).toHaveLength(1);
      expect(sim.stats().callbacks).toMatchObject({ queued: 1, delivered: 0, failed: 1, retried: 0, pending: 0 });
    });

    it(
      'When the URL asks #rc=2&rp=5xx, then a 503 is retried twice, the configured delay apart, the fragment ' +
        'never sent and the signature over the URL without it',
      async () => {
        sim.configure({ callbacks: { intermediate: false, ...COMPRESSED_RETRIES, twilioRetryDelayMs: 200 } });
        receiver.flaky = 5;
        await create(`${receiver.base}/flaky?mid=f1#rc=2&rp=5xx`);
        await sim.whenIdle();
        const calls = receiver.on('/flaky');
        expect(calls).toHaveLength(3); // the first attempt + rc = 2 retries, then given up
        const at = arrival('/flaky');
        expect(at[1] - at[0]).toBeGreaterThanOrEqual(190);
        expect(at[2] - at[1]).toBeGreaterThanOrEqual(190);
        expect(calls[0].url).toBe(`${receiver.base}/flaky?mid=f1`);
        const sig = header(calls[0], 'x-twilio-signature');
        expect(verifyTwilioSignature(sim.twilio.authToken, sig, calls[0].url, form(calls[0].body))).toBe(true);
        expect(sim.stats().callbacks).toMatchObject({ failed: 1, retried: 2, pending: 0 });
      },
    );

    it('When a retry is answered 2xx, then it is delivered and not posted again', async () => {
      sim.configure({ callbacks: { intermediate: false, ...COMPRESSED_RETRIES } });
      receiver.flaky = 2;
      await create(`${receiver.base}/flaky?mid=f2#rc=5&rp=5xx,ct,rt`);
      await sim.whenIdle();
      expect(receiver.on('/flaky')).toHaveLength(3);
      expect(sim.stats().callbacks).toMatchObject({ delivered: 1, failed: 0, retried: 2 });
    });

    it('When rp does not cover the failure (default ct,rt; 4xx not asked), then it is not retried', async () => {
      sim.configure({ callbacks: { intermediate: false, ...COMPRESSED_RETRIES } });
      receiver.flaky = 5;
      await create(`${receiver.base}/flaky?mid=f3#rc=3`);
      await create(`${receiver.base}/fail?mid=f4#rc=3&rp=4xx`);
      await sim.whenIdle();
      expect(receiver.on('/flaky')).toHaveLength(1);
      expect(receiver.on('/fail')).toHaveLength(1);
    });

    it('When the retries would exceed tt, then they stop within the budget', async () => {
      sim.configure({ callbacks: { intermediate: false, ...COMPRESSED_RETRIES, twilioRetryDelayMs: 300 } });
      receiver.flaky = 10;
      await create(`${receiver.base}/flaky?mid=f5#rc=5&rp=all&tt=1000`);
      await sim.whenIdle();
      expect(receiver.on('/flaky')).toHaveLength(4); // retries at ~300, ~600, ~900 ms; ~1200 > tt
    });
  });

  it('When an inbound STOP is simulated, then our webhook gets a signed form with the body', async () => {
    sim.configure({ twilio: { inboundUrl: `${receiver.base}/twilio/inbound` } });
    const result = await sim.sendInbound({ from: '+33612345678', to: '36180', body: 'STOP' });
    expect(result.status).toBe(204);
    const [call] = receiver.on('/twilio/inbound');
    const params = form(call.body);
    expect(params).toMatchObject({
      From: '+33612345678',
      To: '36180',
      Body: 'STOP',
      MessageSid: result.messageSid,
      FromCountry: 'FR',
    });
    expect(parseInboundKeyword(params.Body)).toBe('stop');
    expect(verifyTwilioSignature(sim.twilio.authToken, header(call, 'x-twilio-signature'), call.url, params)).toBe(
      true,
    );
  });
});
