// The webhook dispatcher (workflows/webhook-dispatch.ts) over its whole retry schedule, on the
// time-skipping server with the real delivery activity (activities/webhooks.ts) against Postgres
// and a receiver on loopback: about three days of retries pass in seconds.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Webhook } from 'standardwebhooks';
import { createDb } from '../../lib/db';
import { createWebhookActivities } from '../../activities/webhooks';
import { createMailer } from '../../activities/mailer';
import { loadConfig } from '../../lib/config';
import { recordEvents } from '../../lib/webhooks/events';
import { newWebhookSecret } from '../../lib/webhooks/signature';
import { WEBHOOK_RETRY_SCHEDULE_MS } from '../../domain/webhook-schedule';
import { insertAccount } from '../support/billing';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { keepHistory, until } from './support/contract-fakes';

describe('webhook dispatcher workflow', () => {
  let env: TestWorkflowEnvironment;
  const db = createDb(process.env.DATABASE_URL!);
  let rx: WebhookReceiver;
  const config = { ...loadConfig({ ...process.env, LOG_LEVEL: 'silent' }), WEBHOOK_ALLOW_LOOPBACK: true };
  const activities = createWebhookActivities({ db, config, mailer: createMailer(db, config) });

  beforeAll(async () => {
    env = await timeSkippingEnv();
    rx = await startWebhookReceiver();
  });
  afterAll(async () => {
    await rx?.stop();
    await env?.teardown();
    await db.destroy();
  });

  /** An account with an owner, an endpoint on the receiver and `n` events recorded for it. */
  async function seed(n: number) {
    const accountId = await insertAccount(db);
    const email = `owner-${accountId}@example.com`;
    await db('members').insert({
      id: randomUUID(),
      account_id: accountId,
      username: `wh-${accountId}`,
      email,
      full_name: 'Owner',
      password_hash: 'x',
      role: 'owner',
    });
    const endpointId = randomUUID();
    const secret = newWebhookSecret();
    await db('webhook_endpoints').insert({
      id: endpointId,
      account_id: accountId,
      url: rx.url(`/${endpointId}`),
      event_types: ['invoice.issued'],
      secret,
    });
    const events = Array.from({ length: n }, (_, i) => ({
      accountId,
      type: 'invoice.issued' as const,
      key: `evt_test${endpointId}${i}`,
      data: { i },
    }));
    expect(await recordEvents(db, events)).toBe(n);
    return { accountId, endpointId, secret, email };
  }

  const start = (taskQueue: string, endpointId: string) =>
    env.client.workflow.start('webhookDispatchWorkflow', {
      taskQueue,
      workflowId: `webhook-dispatch:${endpointId}:1`,
      args: [{ endpointId, generation: 1, window: 1, idleMs: 20, maxSleepMs: 4 * 86_400_000 }],
    });

  test(
    'When the receiver answers 500 to every attempt, then an event is tried 12 times over about three days ' +
      '(the schedule, ±20 %), every attempt signed under the same webhook-id; once the first event has spent ' +
      'its schedule the endpoint is disabled and its owner e-mailed once',
    async () => {
      const { endpointId, secret, email } = await seed(2);
      rx.respond = (r) => (r.path === `/${endpointId}` ? 500 : 200);
      const taskQueue = uniqueQueue('webhook-dispatch');
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const handle = await start(taskQueue, endpointId);
        await handle.result(); // ends once it has disabled the endpoint
        await keepHistory('webhook-dispatch', handle);
      });
      const mine = rx.received.filter((r) => r.path === `/${endpointId}`);
      const wh = new Webhook(secret);
      for (const r of mine)
        expect(() =>
          wh.verify(r.body, {
            'webhook-id': r.id,
            'webhook-timestamp': r.timestamp,
            'webhook-signature': r.signature,
          }),
        ).not.toThrow();
      // The first event to spend its schedule disables the endpoint; the other (its retries jittered
      // apart) stays pending, kept for a redelivery.
      const events = await db('webhook_events').where({ endpoint_id: endpointId }).orderBy('attempts', 'desc');
      expect(events.map((e) => e.status)).toEqual(['failed', 'pending']);
      expect(events[0].attempts).toBe(12);
      expect(events[1].attempts).toBeGreaterThanOrEqual(10);
      expect(mine).toHaveLength(events[0].attempts + events[1].attempts);
      const times = (await db('webhook_attempts').where({ event_row_id: events[0].id }).orderBy('id')).map((a) =>
        new Date(a.attempted_at).getTime(),
      );
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      expect(gaps).toHaveLength(WEBHOOK_RETRY_SCHEDULE_MS.length);
      gaps.forEach((g, i) => {
        expect(g).toBeGreaterThanOrEqual(WEBHOOK_RETRY_SCHEDULE_MS[i] * 0.8 - 1);
        expect(g).toBeLessThanOrEqual(WEBHOOK_RETRY_SCHEDULE_MS[i] * 1.2 + 60_000);
      });
      expect(times[times.length - 1] - times[0]).toBeGreaterThan(2.2 * 86_400_000);
      const ep = await db('webhook_endpoints').where({ id: endpointId }).first();
      expect(ep).toMatchObject({ enabled: false, disabled_reason: expect.stringMatching(/whole retry schedule/) });
      const mails = await db('platform_emails').where({ notice_key: `webhook-disabled:${endpointId}:1` });
      expect(mails).toHaveLength(1);
      expect(mails[0].to_addresses).toEqual([email]);
    },
  );

  test(
    'When the receiver fails 11 attempts and accepts the 12th (the last of the schedule), then the events are ' +
      'delivered and the endpoint stays enabled, no e-mail',
    async () => {
      const { endpointId } = await seed(1);
      rx.respond = (r, nth) => (r.path === `/${endpointId}` && nth <= 11 ? 503 : 200);
      const taskQueue = uniqueQueue('webhook-dispatch');
      const worker = await testWorker(env, { taskQueue, activities });
      await worker.runUntil(async () => {
        const handle = await start(taskQueue, endpointId);
        // Awaiting the result is what lets the server skip time; the workflow itself never ends.
        const result = handle.result().catch(() => undefined);
        await until(
          () => db('webhook_events').where({ endpoint_id: endpointId }).first(),
          (e) => e?.status === 'delivered',
          60_000,
        );
        await handle.terminate('test over');
        await result;
      });
      const e = await db('webhook_events').where({ endpoint_id: endpointId }).first();
      expect(e).toMatchObject({ status: 'delivered', attempts: 12 });
      expect(await db('webhook_endpoints').where({ id: endpointId }).first('enabled')).toEqual({ enabled: true });
      expect(await db('platform_emails').where({ notice_key: `webhook-disabled:${endpointId}:1` })).toHaveLength(0);
    },
  );
});
