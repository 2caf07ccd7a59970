// The carrier webhooks over HTTP (Twilio status and inbound, SendGrid events) against the real
// carrier simulator, Postgres, Temporal and send worker (test/support/send-api.ts): forged and
// malformed callbacks change nothing, repeats and late reports never move a final status, STOP
// and bounces suppress.
import { type CarrierSimulator } from '../../simulator';
import { sendApiSuite, type Account } from '../support/send-api';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { applyStatusEvents, type StatusEvent } from '../../lib/delivery-reports';
import { type System, eventually, http, onboard } from '../support/system';

describe('send API: carrier callbacks', () => {
  const suite = sendApiSuite('send-api-callbacks', 3);
  const { api, message, phone, twilioCallback } = suite;
  let sim: CarrierSimulator;
  let sys: System;
  let acme: Account;
  beforeAll(() => {
    ({ sim, sys, acme } = suite);
  });

  test('When a carrier callback is forged, then it is refused with 403 and changes nothing', async () => {
    const res = await api(acme, 'POST', '/v1/messages', {
      channel: 'sms',
      purpose: 'transactional',
      to: phone(),
      body: 'forge test',
    });
    const id = res.body.id as string;
    await eventually(
      () => message(id),
      (m) => m?.status === 'delivered',
    );
    const forged = await twilioCallback(
      `/webhooks/twilio/status?mid=${id}`,
      { MessageSid: 'SMforged', MessageStatus: 'failed', ErrorCode: '30003' },
      'not-the-token',
    );
    expect(forged).toMatchObject({ status: 403, body: { code: 'invalid_signature' } });
    // A real signature for another URL (another mid) does not transfer.
    const params = { MessageSid: 'SMforged', MessageStatus: 'failed' };
    const moved = await http(sys.baseUrl, 'POST', `/webhooks/twilio/status?mid=${id}`, {
      raw: new URLSearchParams(params).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': getExpectedTwilioSignature(
          sim.twilio.authToken,
          `${sys.baseUrl}/webhooks/twilio/status?mid=${id}0`,
          params,
        ),
      },
    });
    expect(moved.status).toBe(403);
    const sg = await http(sys.baseUrl, 'POST', '/webhooks/sendgrid/events', {
      raw: JSON.stringify([{ event: 'bounce', mid: id, sg_event_id: 'forged', email: 'x@example.com' }]),
      headers: {
        'x-twilio-email-event-webhook-signature': 'MEUCIQDforged',
        'x-twilio-email-event-webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      },
    });
    expect(sg).toMatchObject({ status: 403, body: { code: 'invalid_signature' } });
    expect(await message(id)).toMatchObject({ status: 'delivered', carrier_error: null });
  });

  test('When a status callback is malformed, then it gets a typed 4xx problem and nothing is written', async () => {
    // Only this test's events (other files share the database and write receipts concurrently).
    const receipts = async () =>
      Number((await sys.db('message_events').where('event_key', 'like', 'twilio:SMx:%').count({ n: '*' }))[0].n);
    const before = await receipts();
    // No mid in the URL (a correctly signed request): 400 invalid_mid.
    expect(await twilioCallback('/webhooks/twilio/status', { MessageSid: 'SMx', MessageStatus: 'sent' })).toMatchObject(
      { status: 400, body: { code: 'invalid_mid' } },
    );
    // No status: 400 validation_failed.
    expect(await twilioCallback('/webhooks/twilio/status?mid=1', { MessageSid: 'SMx' })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    // Not a form: no parameters, so the signature of a form cannot match.
    const json = await http(sys.baseUrl, 'POST', '/webhooks/twilio/status?mid=1', {
      raw: JSON.stringify({ MessageSid: 'SMx', MessageStatus: 'sent' }),
      headers: {
        'content-type': 'application/json',
        'x-twilio-signature': getExpectedTwilioSignature(
          sim.twilio.authToken,
          `${sys.baseUrl}/webhooks/twilio/status?mid=1`,
          { MessageSid: 'SMx', MessageStatus: 'sent' },
        ),
      },
    });
    expect(json).toMatchObject({ status: 403, body: { code: 'invalid_signature' } });
    // Beyond 64 KiB: 413, before any signature work.
    const huge = await http(sys.baseUrl, 'POST', '/webhooks/twilio/status?mid=1', {
      raw: `Body=${'x'.repeat(70 * 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
    });
    expect(huge).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(await receipts()).toBe(before);
  });

  test('When a callback is repeated or a late one arrives after the final status, then nothing changes', async () => {
    const res = await api(acme, 'POST', '/v1/messages', {
      channel: 'sms',
      purpose: 'transactional',
      to: phone(),
      body: 'repeat test',
    });
    const id = res.body.id as string;
    const m = await eventually(
      () => message(id),
      (x) => x?.status === 'delivered',
    );
    await sim.whenIdle();
    const events = async () => (await sys.db('message_events').where({ message_id: id }).count({ n: '*' }))[0].n;
    const before = await events();
    const delivered = { MessageSid: m.carrier_id, MessageStatus: 'delivered' };
    expect((await twilioCallback(`/webhooks/twilio/status?mid=${id}`, delivered)).status).toBe(204);
    expect(await events()).toBe(before);
    // A final status never moves, even on a new (signed) event.
    expect(
      (
        await twilioCallback(`/webhooks/twilio/status?mid=${id}`, {
          MessageSid: m.carrier_id,
          MessageStatus: 'undelivered',
          ErrorCode: '30005',
        })
      ).status,
    ).toBe(204);
    expect(await message(id)).toMatchObject({ status: 'delivered', carrier_error: null, final_at: m.final_at });
  });

  test(
    'When delivery reports overtake the send worker and arrive together, out of order and repeated, then ' +
      'the final one wins once',
    async () => {
      const created = await api(acme, 'POST', '/v1/campaigns', {
        channel: 'sms',
        purpose: 'transactional',
        template: 'Hi',
        recipients: [{ to: phone() }, { to: phone() }],
      });
      const [m1, m2] = await sys.db('messages').where({ order_id: created.body.id }).orderBy('seq').pluck('id');
      // the worker has not written 'submitted' yet
      await sys.db('messages').whereIn('id', [m1, m2]).update({ status: 'submitting' });
      const ev = (
        mid: string,
        event: string,
        effect: StatusEvent['effect'],
        status: string | null,
        code: string | null = null,
      ): StatusEvent => ({
        provider: 'twilio',
        key: `SM${mid}:${event}`,
        mid: String(mid),
        carrierId: `SM${mid}`,
        effect,
        status,
        event,
        code,
        suppress: null,
      });
      const batch = [
        ev(m1, 'delivered', 'final', 'delivered'),
        ev(m1, 'sent', 'progress', null),
        ev(m1, 'delivered', 'final', 'delivered'),
        ev(m2, 'sent', 'progress', null),
      ];
      expect(await applyStatusEvents(sys.db, batch)).toEqual({ fresh: 3, moved: 2, complained: [] });
      expect(await applyStatusEvents(sys.db, batch)).toEqual({ fresh: 0, moved: 0, complained: [] });
      // The worker's own write comes later and only touches messages still 'submitting'.
      await sys.db('messages').whereIn('id', [m1, m2]).where({ status: 'submitting' }).update({ status: 'submitted' });
      const rows = await sys.db('messages').whereIn('id', [m1, m2]).orderBy('seq').select('status', 'carrier_id');
      expect(rows).toEqual([
        { status: 'delivered', carrier_id: `SM${m1}` },
        { status: 'submitted', carrier_id: `SM${m2}` },
      ]);
      expect(await sys.db('message_events').whereIn('message_id', [m1, m2]).orderBy('id').pluck('status')).toEqual([
        'carrier:delivered',
        'carrier:sent',
        'carrier:sent',
      ]);
      expect((await applyStatusEvents(sys.db, [ev(m1, 'failed', 'final', 'failed', '30003')])).moved).toBe(0);
    },
  );

  test(
    'When a recipient replies STOP, then a new send to that number is refused as suppressed; after START ' +
      'it is accepted again',
    async () => {
      const sender = '+33757000001';
      const to = phone();
      const first = await api(acme, 'POST', '/v1/messages', {
        channel: 'sms',
        purpose: 'marketing',
        to,
        body: 'Promo',
        sender,
      });
      expect(first.status).toBe(202);
      const stop = await sim.sendInbound({ from: to, to: sender, body: 'Stop' });
      expect(stop.status).toBe(200);
      expect(stop.body).toContain('<Response></Response>');
      const refused = await api(acme, 'POST', '/v1/messages', {
        channel: 'sms',
        purpose: 'marketing',
        to,
        body: 'Promo 2',
        sender,
      });
      expect(refused).toMatchObject({ status: 422, body: { code: 'recipient_suppressed' } });
      // Another account that never used this sender nor wrote to this number is not affected.
      const other = await onboard(sys);
      expect(
        (await api(other, 'POST', '/v1/messages', { channel: 'sms', purpose: 'marketing', to, body: 'Hi', sender }))
          .status,
      ).toBe(202);
      await sim.sendInbound({ from: to, to: sender, body: 'START' });
      expect(
        (await api(acme, 'POST', '/v1/messages', { channel: 'sms', purpose: 'marketing', to, body: 'Promo 3', sender }))
          .status,
      ).toBe(202);
    },
  );

  test(
    'When an e-mail bounces, then it ends undelivered with the code and its address is suppressed for the ' + 'account',
    async () => {
      sim.configure({ sendgrid: { bouncedEmails: ['gone@example.com'] } });
      const res = await api(acme, 'POST', '/v1/messages', {
        channel: 'email',
        purpose: 'transactional',
        to: 'gone@example.com',
        subject: 'Hi',
        body: 'Hello',
      });
      expect(res.status).toBe(202);
      const m = await eventually(
        () => message(res.body.id),
        (x) => x?.status === 'undelivered',
      );
      expect(m).toMatchObject({ status: 'undelivered', carrier_error: '5.1.1' });
      expect(
        await sys
          .db('suppressions')
          .where({ account_id: acme.accountId, channel: 'email', address: 'gone@example.com' })
          .first(),
      ).toMatchObject({ reason: 'bounce' });
      const again = await api(acme, 'POST', '/v1/messages', {
        channel: 'email',
        purpose: 'transactional',
        to: 'gone@example.com',
        subject: 'Hi',
        body: 'Hello',
      });
      expect(again.body.code).toBe('recipient_suppressed');
    },
  );
});
