// The status reconciliation against the real Postgres, the carrier simulator with its callbacks
// off (every report lost) and the real workflow on the test's lifecycle worker: SMS submitted past
// the threshold get their final status from Twilio by SID, through the webhook's own statement
// (a late webhook then changes nothing); e-mails past the unknown threshold become 'unknown', and
// messages one minute short of either threshold are untouched. Submission times are moved back in
// the database instead of waiting (the thresholds are the defaults: 10 min, 25 h).
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { CarrierSimulator } from '../../simulator';
import { statusReconciliationWorkflow } from '../../workflows/status-reconciliation';
import { applyStatusEvents } from '../../lib/delivery-reports';
import { loadConfig } from '../../lib/config';
import { createStatusReconciliationActivities } from '../../activities/status-reconciliation';
import { sendApiSuite, type Account } from '../support/send-api';
import { eventually, http, type System } from '../support/system';

describe('status reconciliation of messages whose delivery reports were lost', () => {
  const suite = sendApiSuite('status-reconciliation', 8);
  const { api, message, phone } = suite;
  let sim: CarrierSimulator;
  let sys: System;
  let acme: Account;
  beforeAll(() => {
    ({ sim, sys, acme } = suite);
  });

  const submitted = async (body: Record<string, unknown>) => {
    const res = await api(acme, 'POST', '/v1/messages', { purpose: 'transactional', ...body });
    expect(res.status).toBe(202);
    const m = await eventually(
      () => message(res.body.id),
      (x) => x?.status === 'submitted' && x.carrier_id !== null,
    );
    expect(m.status).toBe('submitted');
    return String(res.body.id);
  };
  const submittedAgo = (id: string, interval: string) =>
    sys
      .db('messages')
      .where({ id })
      .update({ submitted_at: sys.db.raw(`now() - interval '${interval}'`) });
  const reconcile = (channel: 'sms' | 'email') =>
    sys.client.workflow.start(statusReconciliationWorkflow, {
      taskQueue: sys.taskQueue,
      workflowId: `status-reconciliation:${channel}-test-${process.pid}-${Date.now()}`,
      args: [{ channel }],
    });

  test(
    'When SMS reports were lost, then those past 10 minutes get their final status from Twilio once, a ' +
      'late webhook adds nothing, and one submitted 9 min 30 s ago is untouched',
    async () => {
      sim.configure({
        callbacks: { enabled: false },
        twilio: { outcomes: { delivered: 0, undelivered: 1, failed: 0 } },
      });
      const late = await submitted({ channel: 'sms', to: phone(), body: 'lost report' });
      const young = await submitted({ channel: 'sms', to: phone(), body: 'recent' });
      await submittedAgo(late, '10 minutes 1 second');
      await submittedAgo(young, '9 minutes 30 seconds');
      const handle = await reconcile('sms');
      try {
        const m = await eventually(
          () => message(late),
          (x) => x?.status === 'undelivered',
          30_000,
        );
        const record = sim.records({ mid: late })[0];
        expect(m).toMatchObject({ status: 'undelivered', carrier_error: String(record.errorCode) });
        expect(m.final_at).not.toBeNull();
        // Same page, same statement: the young one was not selected.
        expect(await message(young)).toMatchObject({ status: 'submitted', final_at: null });
        const events = () =>
          sys.db('message_events').where({ message_id: late }).orderBy('id').pluck('status') as Promise<string[]>;
        expect(await events()).toEqual(['submitted', 'carrier:undelivered']);
        // The carrier's own report arrives after all: same key, nothing new.
        const params = { MessageSid: m.carrier_id, MessageStatus: 'undelivered', ErrorCode: String(record.errorCode) };
        const url = `${sys.baseUrl}/webhooks/twilio/status?mid=${late}`;
        const res = await http(sys.baseUrl, 'POST', `/webhooks/twilio/status?mid=${late}`, {
          raw: new URLSearchParams(params).toString(),
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': getExpectedTwilioSignature(sim.twilio.authToken, url, params),
          },
        });
        expect(res.status).toBe(204);
        expect(await events()).toEqual(['submitted', 'carrier:undelivered']);
        const view = await api(acme, 'GET', `/v1/messages/${late}`);
        expect(view.body).toMatchObject({ status: 'undelivered', carrierError: String(record.errorCode) });
      } finally {
        await handle.terminate('test over');
      }
    },
  );

  test(
    'When e-mail events were lost, then one submitted 25 h 1 min ago becomes unknown with its history and ' +
      'one at 24 h 59 min stays submitted; a late real event still settles it',
    async () => {
      sim.configure({ callbacks: { enabled: false } });
      const old = await submitted({ channel: 'email', to: 'old@example.com', subject: 'S', body: 'B' });
      const recent = await submitted({ channel: 'email', to: 'recent@example.com', subject: 'S', body: 'B' });
      await submittedAgo(old, '25 hours 1 minute');
      await submittedAgo(recent, '24 hours 59 minutes');
      const handle = await reconcile('email');
      try {
        const m = await eventually(
          () => message(old),
          (x) => x?.status === 'unknown',
          30_000,
        );
        expect(m.status).toBe('unknown');
        expect(m.final_at).not.toBeNull();
        expect(await message(recent)).toMatchObject({ status: 'submitted', final_at: null });
        const view = await api(acme, 'GET', `/v1/messages/${old}`);
        expect(view.body.status).toBe('unknown');
        expect(view.body.history.at(-1)).toMatchObject({
          status: 'unknown',
          detail: expect.stringContaining('no delivery event from SendGrid'),
        });
        const event = {
          provider: 'sendgrid' as const,
          key: `late-${old}`,
          mid: old,
          carrierId: null,
          effect: 'final' as const,
          status: 'delivered',
          event: 'delivered',
          code: null,
          suppress: null,
        };
        expect((await applyStatusEvents(sys.db, [event])).moved).toBe(1);
        expect(await message(old)).toMatchObject({ status: 'delivered' });
      } finally {
        await handle.terminate('test over');
      }
    },
  );

  test('When Twilio cannot be reached, then the page counts the SMS unreachable and leaves them submitted', async () => {
    sim.configure({ callbacks: { enabled: false } });
    const id = await submitted({ channel: 'sms', to: phone(), body: 'carrier down' });
    await submittedAgo(id, '11 minutes');
    const config = loadConfig({
      ...process.env,
      TWILIO_BASE_URL: 'http://127.0.0.1:9', // nothing listens there
      STATUS_RECONCILE_BATCH: '5000',
      LOG_LEVEL: 'silent',
    });
    const { reconcileStatuses } = createStatusReconciliationActivities({ db: sys.db, config });
    const page = await reconcileStatuses({ channel: 'sms', after: null });
    expect(page.unreachable).toBeGreaterThanOrEqual(1);
    expect(page.applied).toBe(0);
    expect(page.next).toBeNull();
    expect(await message(id)).toMatchObject({ status: 'submitted', final_at: null });
  });
});
