// Delivery reports while the API's database is unreachable: the real webhook routes (createApp)
// on a knex pool that goes through a TCP proxy we cut (test/support/pg-proxy.ts), the carrier
// simulator with its default retry behaviour (Twilio as our callback URL's overrides ask, one
// second apart; SendGrid's schedule shortened), the real send worker and campaign workflow on the
// direct database. While the proxy is cut the webhooks answer 503 report_not_applied; once it is
// back the carriers' retries land, each message ends with its final status, once.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { createApp } from '../../api/app';
import { createDb } from '../../lib/db';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { eventually, http, onboard, startSystem, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';
import { startSendWorker, type SendWorkerHandle } from '../support/send-worker';
import { startPgProxy, type PgProxy } from '../support/pg-proxy';

describe('delivery reports while Postgres is unreachable from the API', () => {
  let sim: CarrierSimulator;
  let sys: System;
  let sender: SendWorkerHandle;
  let proxy: PgProxy;
  let hookDb: ReturnType<typeof createDb>;
  let hookServer: Server;
  let hookUrl = '';
  const logLines: string[] = [];
  const sendQueue = uniqueQueue('outage-send');
  const saved = { ...process.env };

  beforeAll(async () => {
    sim = await startCarrierSimulator();
    Object.assign(process.env, {
      TWILIO_ACCOUNT_SID: sim.twilio.accountSid,
      TWILIO_AUTH_TOKEN: sim.twilio.authToken,
      SENDGRID_WEBHOOK_PUBLIC_KEY: sim.sendgrid.webhookPublicKey,
      SEND_TASK_QUEUE: sendQueue,
    });
    sys = await startSystem();
    proxy = await startPgProxy(process.env.DATABASE_URL!);
    hookDb = createDb(proxy.url);
    const config = loadConfig({ ...process.env, LIFECYCLE_TASK_QUEUE: sys.taskQueue, LOG_LEVEL: 'warn' });
    const app = createApp({
      db: hookDb,
      temporal: sys.client,
      config,
      logger: createLogger('hooks', 'warn', { write: (line: string) => logLines.push(line) }),
    });
    hookServer = await new Promise((res) => {
      const s = app.listen(0, '127.0.0.1', () => res(s));
    });
    hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}`;
    // SendGrid's own schedule (30 s, 1 min, … for 24 h) squeezed into seconds; Twilio's as is.
    sim.configure({
      sendgrid: { eventWebhookUrl: `${hookUrl}/webhooks/sendgrid/events` },
      callbacks: { sendgridRetryFirstMs: 500, sendgridRetryFactor: 2, sendgridRetryMaxMs: 1000 },
    });
    sender = await startSendWorker({
      sys,
      sim,
      taskQueue: sendQueue,
      concurrency: 8,
      email: true,
      config: loadConfig({ ...process.env, PUBLIC_BASE_URL: hookUrl, SEND_CONCURRENCY: '8' }),
      retry: { attempts: 5, baseMs: 5, maxMs: 50 },
    });
  });

  afterAll(async () => {
    await sender?.stop();
    await new Promise((r) => hookServer?.close(r));
    await hookDb?.destroy();
    await proxy?.stop();
    await sys?.stop();
    await sim?.stop();
    for (const k of ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'SENDGRID_WEBHOOK_PUBLIC_KEY', 'SEND_TASK_QUEUE']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  test(
    'When the database is unreachable, then reports are answered 503 report_not_applied and, once it is ' +
      'back, the carriers retry and every message ends final with one history entry per event and no ' +
      'ledger effect',
    async () => {
      const acme = await onboard(sys);
      const send = (body: Record<string, unknown>) =>
        http(sys.baseUrl, 'POST', '/v1/messages', { token: acme.apiKey, body: { purpose: 'transactional', ...body } });
      const message = (id: string) => sys.db('messages').where({ id }).first();
      const ledger = async () =>
        (await sys.db('ledger_entries').where({ account_id: acme.accountId }).orderBy('id').select('id', 'kind')).map(
          (e) => `${e.id}:${e.kind}`,
        );

      proxy.cut();
      const sms = await send({
        channel: 'sms',
        to: `+336${String(process.pid % 1000).padStart(3, '0')}77001`,
        body: 'Hi',
      });
      const mail = await send({ channel: 'email', to: 'outage@example.com', subject: 'Hi', body: 'Hello' });
      expect([sms.status, mail.status]).toEqual([202, 202]);
      const ids = [sms.body.id as string, mail.body.id as string];

      // Accepted by the carriers, settled by the campaign workflow (direct database), reports refused.
      for (const id of ids) {
        const m = await eventually(
          () => message(id),
          (x) => x?.status === 'submitted',
        );
        expect(m.status).toBe('submitted');
        const done = await eventually(
          () => sys.db('campaigns').where({ order_id: m.order_id }).first('status'),
          (c) => c?.status === 'completed',
        );
        expect(done.status).toBe('completed');
      }
      await eventually(
        async () => sim.stats().callbacks.retried,
        (n) => n >= 2,
      );
      const sid = (await message(ids[0])).carrier_id as string;
      const params = { MessageSid: sid, MessageStatus: 'delivered' };
      const direct = await http(hookUrl, 'POST', `/webhooks/twilio/status?mid=${ids[0]}`, {
        raw: new URLSearchParams(params).toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': getExpectedTwilioSignature(
            sim.twilio.authToken,
            `${hookUrl}/webhooks/twilio/status?mid=${ids[0]}`,
            params,
          ),
        },
      });
      expect(direct).toMatchObject({ status: 503, body: { code: 'report_not_applied' } });
      expect(direct.headers.get('content-type')).toContain('application/problem+json');
      // Still nothing recorded, and one warn line for the burst (not one per refused report).
      expect(await sys.db('message_events').whereIn('message_id', ids).where('status', 'like', 'carrier:%')).toEqual(
        [],
      );
      const warns = logLines.filter((l) => l.includes('delivery report not applied'));
      expect(warns.length).toBeGreaterThanOrEqual(1);
      expect(warns.length).toBeLessThanOrEqual(3); // one per provider at most, within the burst
      expect(warns.join('\n')).not.toContain(sim.twilio.authToken);
      const ledgerBefore = await ledger();

      proxy.restore();
      for (const id of ids) {
        const m = await eventually(
          () => message(id),
          (x) => x?.status === 'delivered',
          30_000,
        );
        expect(m.status).toBe('delivered');
      }
      await sim.whenIdle(30_000);
      const history = await sys
        .db('message_events')
        .whereIn('message_id', ids)
        .where('status', 'like', 'carrier:%')
        .orderBy('id')
        .select('message_id', 'status');
      expect(history.map((h) => `${h.message_id}:${h.status}`).sort()).toEqual(
        [
          `${ids[0]}:carrier:sent`,
          `${ids[0]}:carrier:delivered`,
          `${ids[1]}:carrier:processed`,
          `${ids[1]}:carrier:delivered`,
        ].sort(),
      );
      expect(await ledger()).toEqual(ledgerBefore);
      expect(sim.stats().callbacks).toMatchObject({ failed: 0, dropped: 0, pending: 0 });
    },
  );
});
