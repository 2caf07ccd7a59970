// Single sends without a workflow each (activities/sending/single-batch.ts, workflows/single-dispatch.ts)
// against the real simulator, Postgres, Temporal and send worker: a burst lands exactly once with
// its orders settled to the e4; a lone message leaves in a batch of one; an API whose Temporal is
// unreachable still queues (202) and the messages leave once a dispatcher runs; a suspended
// account's queued messages are not submitted, and leave once it is active again.
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../lib/config';
import { sendApiSuite, type Account } from '../support/send-api';
import { startSendWorker } from '../support/send-worker';
import { uniqueQueue } from '../support/temporal';
import { checkLedger } from '../support/billing';
import { type System, eventually, http, onboard, startSystem } from '../support/system';
import type { CarrierSimulator } from '../../simulator';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createPageStore, emptyPageResult } from '../../activities/sending/page-store';
import { PageLease } from '../../activities/sending/lease';
import { createTwilioClient } from '../../activities/carriers/twilio-client';
import { twilioStatusCallback } from '../../activities/carriers/twilio-signature';
import type { AccountSendState } from '../../workflows/messages';

const deadClient = () =>
  new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', interceptors: [] }), namespace: 'default' });

describe('single sends: the dispatcher lane', () => {
  const suite = sendApiSuite('send-single-dispatch', 4);
  const { api, phone } = suite;
  let sim: CarrierSimulator;
  let sys: System;
  beforeAll(() => {
    ({ sim, sys } = suite);
  });
  const sms = (to: string) => ({ channel: 'sms', purpose: 'transactional', to, body: 'Code 4242' });
  const statusesOf = async (ids: string[]) =>
    (await sys.db('messages').whereIn('id', ids).select('status')).map((m) => m.status as string);

  test(
    'When 60 single SMS are sent at once, then each reaches the carrier exactly once, ends delivered, and ' +
      'every order is settled consuming its price (450 e4) with nothing left reserved',
    async () => {
      const a = await onboard(sys);
      const sent = await Promise.all(Array.from({ length: 60 }, () => api(a, 'POST', '/v1/messages', sms(phone()))));
      expect(sent.map((r) => r.status)).toEqual(sent.map(() => 202));
      const ids = sent.map((r) => r.body.id as string);
      await eventually(
        () => statusesOf(ids),
        (s) => s.length === 60 && s.every((x) => x === 'delivered'),
        30_000,
      );
      expect(ids.map((id) => sim.acceptedCount(id))).toEqual(ids.map(() => 1));
      const orders = await eventually(
        () => sys.db('orders').where({ account_id: a.accountId }),
        (o) => o.length === 60 && o.every((x) => x.status === 'settled'),
      );
      expect(orders.map((o) => [Number(o.consumed_e4), Number(o.released_e4)])).toEqual(orders.map(() => [450, 0]));
      const ledger = await checkLedger(sys.db, a.accountId);
      expect([ledger.reserved, ledger.sumReserved, ledger.untraced]).toEqual([0, 0, 0]);
      expect(await sys.db('single_sends').whereIn('message_id', ids)).toEqual([]);
      const campaigns = await sys.db('campaigns').where({ account_id: a.accountId }).pluck('status');
      expect(new Set(campaigns)).toEqual(new Set(['completed']));
    },
  );

  test('When one message is sent alone, then it leaves in a batch of one, not waiting for a page to fill', async () => {
    const a = await onboard(sys);
    const res = await api(a, 'POST', '/v1/messages', sms(phone()));
    const id = res.body.id as string;
    const batch = await eventually(
      () => sys.db('single_send_batches').whereRaw('? = any(message_ids)', [id]).first(),
      (b) => b !== undefined,
    );
    expect(batch.message_ids.map(String)).toEqual([id]);
    expect(batch.submitted).toBe(1);
    expect(sim.acceptedCount(id)).toBe(1);
  });

  /** An API on its own lane whose Temporal client is on a closed port, and no dispatcher yet. */
  async function laneWithoutDispatcher(publicBaseUrl = sys.baseUrl) {
    const lane = uniqueQueue('single-lane');
    const other = await startSystem({ apiTemporal: deadClient(), env: { SINGLE_SEND_TASK_QUEUE: lane } });
    const startDispatcher = () =>
      startSendWorker({
        sys: other,
        sim,
        taskQueue: uniqueQueue('single-lane-pages'),
        concurrency: 8,
        retry: { attempts: 3, baseMs: 5, maxMs: 50 },
        config: loadConfig({
          ...process.env,
          PUBLIC_BASE_URL: publicBaseUrl,
          SEND_CONCURRENCY: '8',
          SINGLE_SEND_TASK_QUEUE: lane,
        }),
      });
    const send = (a: Account) => http(other.baseUrl, 'POST', '/v1/messages', { token: a.apiKey, body: sms(phone()) });
    return { other, startDispatcher, send };
  }

  test(
    'When Temporal cannot be reached by the API, then single sends are still accepted (202) and wait in ' +
      'Postgres, and once a dispatcher runs each leaves exactly once',
    async () => {
      const { other, startDispatcher, send } = await laneWithoutDispatcher();
      try {
        const a = await onboard(sys);
        const sent = await Promise.all(Array.from({ length: 20 }, () => send(a)));
        expect(sent.map((r) => r.status)).toEqual(sent.map(() => 202));
        const ids = sent.map((r) => r.body.id as string);
        await new Promise((r) => setTimeout(r, 1_500));
        expect(new Set(await statusesOf(ids))).toEqual(new Set(['queued']));
        expect(ids.map((id) => sim.acceptedCount(id))).toEqual(ids.map(() => 0));
        const dispatcher = await startDispatcher();
        try {
          await eventually(
            () => statusesOf(ids),
            (s) => s.every((x) => x === 'delivered'),
            30_000,
          );
          expect(ids.map((id) => sim.acceptedCount(id))).toEqual(ids.map(() => 1));
        } finally {
          await dispatcher.stop();
        }
      } finally {
        await other.stop();
      }
    },
  );

  test(
    'When the account is suspended while its single sends are queued, then the dispatcher submits none of ' +
      'them and keeps them queued and reserved; once it is active again they leave, once each',
    async () => {
      const { other, startDispatcher, send } = await laneWithoutDispatcher();
      try {
        const a = await onboard(sys);
        const sent = await Promise.all(Array.from({ length: 10 }, () => send(a)));
        const ids = sent.map((r) => r.body.id as string);
        await sys.db('accounts').where({ id: a.accountId }).update({ status: 'suspended' });
        const dispatcher = await startDispatcher();
        try {
          await new Promise((r) => setTimeout(r, 2_500));
          expect(new Set(await statusesOf(ids))).toEqual(new Set(['queued']));
          expect(ids.map((id) => sim.acceptedCount(id))).toEqual(ids.map(() => 0));
          const orders = await sys.db('orders').where({ account_id: a.accountId }).pluck('status');
          expect(new Set(orders)).toEqual(new Set(['reserved']));
          await sys.db('accounts').where({ id: a.accountId }).update({ status: 'active' });
          await eventually(
            () => statusesOf(ids),
            (s) => s.every((x) => x === 'delivered'),
            30_000,
          );
          expect(ids.map((id) => sim.acceptedCount(id))).toEqual(ids.map(() => 1));
        } finally {
          await dispatcher.stop();
        }
      } finally {
        await other.stop();
      }
    },
  );

  test(
    'When a batch holds messages of two accounts and one is suspended before the mark, then the mark reads ' +
      'each account and leases only the active one’s message; the other stays queued and is reported refused',
    async () => {
      const { other, send } = await laneWithoutDispatcher();
      try {
        const [a, b] = [await onboard(sys), await onboard(sys)];
        const ids = [(await send(a)).body.id as string, (await send(b)).body.id as string];
        await sys.db('accounts').where({ id: b.accountId }).update({ status: 'suspended', state_version: 7 });
        const store = createPageStore(sys.db, () => new Date());
        const config = loadConfig(process.env);
        const out = (await new MockActivityEnvironment().run(async () => {
          const lease = new PageLease(sys.db, config, { batchId: 'test', ids });
          try {
            const { rows } = await store.loadPage(lease.input);
            const owner = new Map([
              [ids[0], a.accountId],
              [ids[1], b.accountId],
            ]);
            const refused = new Map<string, AccountSendState>();
            const marked = await store.markSubmitting(
              (r) => owner.get(String(r.id))!,
              rows,
              emptyPageResult(),
              lease,
              refused,
            );
            return { marked: marked.map((r) => String(r.id)), refused: Object.fromEntries(refused) };
          } finally {
            lease.stop();
          }
        })) as { marked: string[]; refused: Record<string, AccountSendState> };
        expect(out).toEqual({
          marked: [ids[0]],
          refused: { [b.accountId]: { status: 'suspended', stateVersion: 7 } },
        });
        expect(await statusesOf([ids[1]])).toEqual(['queued']);
      } finally {
        await other.stop();
      }
    },
  );

  test(
    "When a crashed dispatch left a message 'submitting' that the carrier had accepted, then once its lease " +
      'expired the dispatcher takes it over and adopts the carrier’s message instead of sending it again',
    async () => {
      // Status callbacks to a closed port: no report moves the message on before the dispatcher runs.
      const nowhere = 'http://127.0.0.1:1';
      const { other, startDispatcher, send } = await laneWithoutDispatcher(nowhere);
      try {
        const a = await onboard(sys);
        const res = await send(a);
        const id = res.body.id as string;
        await sys
          .db('messages')
          .where({ id })
          .update({
            status: 'submitting',
            attempts: 1,
            lease_owner: 'crashed',
            lease_until: sys.db.raw("now() - interval '1 second'"),
          });
        // The crashed attempt's request had reached the carrier.
        const twilio = createTwilioClient({
          accountSid: sim.twilio.accountSid,
          authToken: sim.twilio.authToken,
          baseUrl: sim.url,
          connections: 1,
        });
        const sent = await twilio.messages.create({
          to: res.body.to,
          body: 'Code 4242',
          from: res.body.sender,
          statusCallback: twilioStatusCallback(nowhere, id),
        });
        await twilio.close();
        const dispatcher = await startDispatcher();
        try {
          const m = await eventually(
            () => sys.db('messages').where({ id }).first(),
            (x) => x.status !== 'submitting',
            30_000,
          );
          expect([m.status, m.carrier_id, m.attempts, sim.acceptedCount(id)]).toEqual(['submitted', sent.sid, 1, 1]);
          await eventually(
            () => sys.db('orders').where({ id: res.body.orderId }).first(),
            (o) => o.status === 'settled' && Number(o.consumed_e4) === res.body.priceE4,
          );
        } finally {
          await dispatcher.stop();
        }
      } finally {
        await other.stop();
      }
    },
  );

  test(
    'When the account is terminated while its single sends are queued, then none is submitted: each is ' +
      'cancelled and its order settled consuming nothing, the 450 e4 released (10.3)',
    async () => {
      const { other, startDispatcher, send } = await laneWithoutDispatcher();
      try {
        const a = await onboard(sys);
        const ids = (await Promise.all([send(a), send(a), send(a)])).map((r) => r.body.id as string);
        await sys.db('accounts').where({ id: a.accountId }).update({ status: 'terminated' });
        const dispatcher = await startDispatcher();
        try {
          const orders = await eventually(
            () => sys.db('orders').where({ account_id: a.accountId }),
            (o) => o.length === 3 && o.every((x) => x.status === 'settled'),
            30_000,
          );
          expect(orders.map((o) => [Number(o.consumed_e4), Number(o.released_e4)])).toEqual(orders.map(() => [0, 450]));
          expect(await statusesOf(ids)).toEqual(['cancelled', 'cancelled', 'cancelled']);
          expect(ids.map((id) => sim.acceptedCount(id))).toEqual([0, 0, 0]);
          const ledger = await checkLedger(sys.db, a.accountId);
          expect([ledger.reserved, ledger.sumReserved]).toEqual([0, 0]);
        } finally {
          await dispatcher.stop();
        }
      } finally {
        await other.stop();
      }
    },
  );
});
