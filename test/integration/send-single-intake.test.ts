// The single sends' intake (api/single-send-intake.ts) and their bulk settlement
// (lib/ledger-reservations.ts settleOrders) on the real API, Postgres and simulator: requests of a
// moment share one transaction; a Pack's balance admits exactly what it covers among concurrent
// requests; concurrent requests with one Idempotency-Key make one message; a batch settles FIFO
// over two funding entries to the e4; a marketing single is held by quiet hours, a transactional
// one is not (6.1). The intake and the dispatch activity are the production ones, on a lane no
// dispatcher of the test system serves, so that the test decides when and at what time they run.
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSendActivities } from '../../activities/send';
import type { DispatchInput } from '../../activities/sending/single-batch';
import { createTwilioClient } from '../../activities/carriers/twilio-client';
import { SingleSendIntake, type SingleSendRequest } from '../../api/single-send-intake';
import { loadConfig } from '../../lib/config';
import { topUp } from '../../lib/ledger-funding';
import { settleOrders } from '../../lib/ledger-reservations';
import { checkLedger } from '../support/billing';
import { sendApiSuite } from '../support/send-api';
import { eventually, onboard } from '../support/system';

describe('single sends: the intake', () => {
  const suite = sendApiSuite('send-single-intake', 5);
  const { api, phone } = suite;
  const sms = (to: string, extra: object = {}) => ({
    channel: 'sms',
    purpose: 'transactional',
    to,
    body: 'Code 4242',
    ...extra,
  });
  let lanes = 0;
  /** The production intake on a lane of its own (nothing dispatches it unless the test does). */
  const privateIntake = (now = () => new Date()) => {
    const lane = `intake-test-${process.pid}-${++lanes}`;
    return { lane, intake: new SingleSendIntake(suite.sys.db, loadConfig(process.env), lane, now) };
  };
  const request = (accountId: string, over: Partial<SingleSendRequest> = {}): SingleSendRequest => ({
    accountId,
    requestHash: 'h',
    channel: 'sms',
    purpose: 'transactional',
    to: phone(),
    body: 'Code 4242',
    sender: 'Tentacle',
    vars: {},
    ...over,
  });

  test('When 40 single SMS arrive at once, then they are committed in fewer transactions than requests, each once', async () => {
    const a = await onboard(suite.sys);
    const sent = await Promise.all(Array.from({ length: 40 }, () => api(a, 'POST', '/v1/messages', sms(phone()))));
    expect(sent.map((r) => r.status)).toEqual(sent.map(() => 202));
    const ids = sent.map((r) => String(r.body.id));
    expect(new Set(ids).size).toBe(40);
    // xmin: the transaction that wrote each row.
    const { rows } = await suite.sys.db.raw(
      'select count(*)::int as n, count(distinct xmin::text)::int as trx from messages where id = any(?::bigint[])',
      [ids],
    );
    expect(rows[0].n).toBe(40);
    expect(rows[0].trx).toBeLessThan(40);
    expect(await suite.sys.db('orders').where({ account_id: a.accountId }).count('* as n')).toEqual([{ n: '40' }]);
  });

  test(
    'When 20 single SMS of a Pack covering exactly 7 (3,200 e4) arrive at once, then exactly 7 are accepted, ' +
      '13 are refused with 402 and nothing of theirs is written',
    async () => {
      const pack = await onboard(suite.sys, { account: { formula: 'pack' } });
      await topUp(suite.sys.db, {
        accountId: pack.accountId,
        amountCents: 32,
        source: { kind: 'adjustment', ref: `intake-${pack.accountId}` },
      });
      const sent = await Promise.all(Array.from({ length: 20 }, () => api(pack, 'POST', '/v1/messages', sms(phone()))));
      const accepted = sent.filter((r) => r.status === 202);
      expect(accepted.length).toBe(7);
      expect(sent.filter((r) => r.status === 402).map((r) => r.body.code)).toEqual(
        Array(13).fill('insufficient_balance'),
      );
      const db = suite.sys.db;
      expect(await db('orders').where({ account_id: pack.accountId }).count('* as n')).toEqual([{ n: '7' }]);
      expect(await db('messages').where({ account_id: pack.accountId }).count('* as n')).toEqual([{ n: '7' }]);
      const orders = await eventually(
        () => db('orders').where({ account_id: pack.accountId }),
        (o) => o.every((x) => x.status === 'settled'),
        30_000,
      );
      expect(orders.map((o) => Number(o.consumed_e4))).toEqual(Array(7).fill(450));
      const ledger = await checkLedger(db, pack.accountId);
      expect([ledger.available, ledger.reserved, ledger.untraced, ledger.overdrawnFunding]).toEqual([50, 0, 0, 0]);
    },
  );

  test(
    'When 10 requests with one Idempotency-Key arrive at once, then one message is written and every answer ' +
      'is its; the same key with another body is refused with 409',
    async () => {
      const a = await onboard(suite.sys);
      const key = `otp-${a.accountId}`;
      const body = sms(phone());
      const sent = await Promise.all(
        Array.from({ length: 10 }, () => api(a, 'POST', '/v1/messages', body, { 'idempotency-key': key })),
      );
      expect(sent.map((r) => r.status)).toEqual(Array(10).fill(202));
      expect(new Set(sent.map((r) => r.body.id)).size).toBe(1);
      expect(sent.filter((r) => r.headers.get('idempotent-replayed') === 'true').length).toBe(9);
      const other = await api(a, 'POST', '/v1/messages', { ...body, body: 'Code 0000' }, { 'idempotency-key': key });
      expect([other.status, other.body.code]).toEqual([409, 'idempotency_key_reused']);
      expect(await suite.sys.db('messages').where({ account_id: a.accountId }).count('* as n')).toEqual([{ n: '1' }]);
    },
  );

  test(
    'When a batch of three orders is settled across two funding entries (1,000 e4 then 1,000 e4), then the ' +
      'third consumes 100 e4 of the first and 350 of the second, and settling again changes nothing',
    async () => {
      const pack = await onboard(suite.sys, { account: { formula: 'pack' } });
      const db = suite.sys.db;
      for (const ref of ['first', 'second'])
        await topUp(db, {
          accountId: pack.accountId,
          amountCents: 10,
          source: { kind: 'adjustment', ref: `${ref}-${pack.accountId}` },
        });
      const { intake } = privateIntake();
      const answers = [];
      for (let n = 0; n < 3; n++) answers.push(await intake.submit(request(pack.accountId)));
      const orders = answers.map((x) => ({ orderId: String(x.body.orderId), consumedE4: 450 }));
      expect(await settleOrders(db, orders)).toEqual(Array(3).fill({ consumedE4: 450, overageE4: 0, releasedE4: 0 }));
      const funding = await db('ledger_entries')
        .where({ account_id: pack.accountId })
        .where('available_delta', '>', 0)
        .orderBy('id')
        .pluck('id');
      const draws = await db('ledger_entries')
        .where({ account_id: pack.accountId, kind: 'consumption' })
        .orderBy('id')
        .select('order_id', 'funding_entry_id', 'amount_e4');
      expect(draws.map((d) => [d.order_id, String(d.funding_entry_id), Number(d.amount_e4)])).toEqual([
        [orders[0].orderId, String(funding[0]), 450],
        [orders[1].orderId, String(funding[0]), 450],
        [orders[2].orderId, String(funding[0]), 100],
        [orders[2].orderId, String(funding[1]), 350],
      ]);
      expect(await settleOrders(db, orders)).toEqual(Array(3).fill({ consumedE4: 450, overageE4: 0, releasedE4: 0 }));
      expect(
        await db('ledger_entries').where({ account_id: pack.accountId, kind: 'consumption' }).count('* as n'),
      ).toEqual([{ n: '4' }]);
      const ledger = await checkLedger(db, pack.accountId);
      expect([ledger.available, ledger.reserved, ledger.untraced, ledger.overdrawnFunding]).toEqual([650, 0, 0, 0]);
    },
  );

  test(
    'When a marketing and a transactional single SMS to France are dispatched on a Sunday, then the marketing ' +
      'one is held until Monday 08:00 Paris and only the transactional one reaches the carrier (6.1)',
    async () => {
      const a = await onboard(suite.sys);
      const sunday = () => new Date('2026-03-01T10:00:00Z');
      const { lane, intake } = privateIntake(sunday);
      const marketing = await intake.submit(request(a.accountId, { purpose: 'marketing' }));
      const transactional = await intake.submit(request(a.accountId));
      const config = loadConfig({
        ...process.env,
        TWILIO_ACCOUNT_SID: suite.sim.twilio.accountSid,
        PUBLIC_BASE_URL: suite.sys.baseUrl,
      });
      const twilio = createTwilioClient({
        accountSid: suite.sim.twilio.accountSid,
        authToken: suite.sim.twilio.authToken,
        baseUrl: suite.sim.url,
        connections: 4,
      });
      try {
        const dispatchInput: DispatchInput = { channel: 'sms', lane, idleMs: 0, runMs: 0 }; // one batch
        const acts = createSendActivities({ db: suite.sys.db, twilio, sendgrid: null, config, now: sunday });
        const result = await new MockActivityEnvironment().run(acts.dispatchSingles, dispatchInput);
        expect(result).toMatchObject({ size: 2, submitted: 1 });
      } finally {
        await twilio.close();
      }
      const status = async (id: unknown) => (await suite.message(String(id))).status;
      expect(await status(marketing.body.id)).toBe('held');
      expect(suite.sim.acceptedCount(String(marketing.body.id))).toBe(0);
      expect(suite.sim.acceptedCount(String(transactional.body.id))).toBe(1);
      const queued = await suite.sys
        .db('single_sends')
        .where({ message_id: String(marketing.body.id) })
        .first();
      expect(new Date(queued.claimed_until).toISOString()).toBe('2026-03-02T07:00:00.000Z');
    },
  );

  test(
    'When 1,300 sends reach the intake at once, then those beyond the 1,000 it may hold waiting are refused ' +
      'with 503 intake_busy and Retry-After at once, and only the admitted ones are written',
    async () => {
      const a = await onboard(suite.sys);
      const { intake } = privateIntake();
      const out = await Promise.allSettled(
        Array.from({ length: 1_300 }, (_, n) =>
          intake.submit(request(a.accountId, { to: `+3367${String(n).padStart(7, '0')}` })),
        ),
      );
      const busy = out.filter(
        (o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'intake_busy',
      ) as PromiseRejectedResult[];
      const admitted = out.filter((o) => o.status === 'fulfilled');
      expect(busy.length).toBeGreaterThan(0);
      const other = out.filter((o) => o.status === 'rejected' && !busy.includes(o as PromiseRejectedResult));
      expect(other.map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
      expect(admitted.length + busy.length).toBe(1_300);
      expect((busy[0].reason as { headers: Record<string, string> }).headers['Retry-After']).toBe('1');
      const written = await suite.sys.db('messages').where({ account_id: a.accountId }).count('* as n');
      expect(written).toEqual([{ n: String(admitted.length) }]);
    },
  );
});
