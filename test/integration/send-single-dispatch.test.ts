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
  async function laneWithoutDispatcher() {
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
          PUBLIC_BASE_URL: sys.baseUrl,
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
});
