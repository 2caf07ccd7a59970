// 3.2 ii over HTTP: a Pack account's Order (single send, campaign start) is the last use of the
// Services that the pack-validity clock reads from Postgres (activity lastUseOfServices), with no
// Temporal call on the send path; a refused send (402) is no use. Real API, Postgres, dev server.
import { topUp } from '../../lib/ledger-funding';
import { loadConfig } from '../../lib/config';
import { campaignWorkflowId } from '../../lib/workflow-clients/campaign';
import { createLifecycleActivities } from '../../workers/activities';
import { http, onboard, startSystem, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';

let sys: System;
let lastUse: (accountId: string) => Promise<string | null>;
const started: string[] = [];
// No send worker on this queue: the campaigns wait, and are ended after the tests.
beforeAll(async () => {
  sys = await startSystem({ env: { SEND_TASK_QUEUE: uniqueQueue('pack-last-use-send') } });
  const config = loadConfig({ ...process.env, LIFECYCLE_TASK_QUEUE: sys.taskQueue, LOG_LEVEL: 'silent' });
  const acts = createLifecycleActivities({ db: sys.db, config, temporal: sys.client });
  lastUse = async (accountId) => (await acts.lastUseOfServices({ accountId })).lastUseAt;
});
afterAll(async () => {
  for (const id of started)
    await sys.client.workflow
      .getHandle(campaignWorkflowId(id))
      .terminate('test end')
      .catch(() => undefined);
  await sys?.stop();
});

const sms = (to: string) => ({ channel: 'sms', purpose: 'transactional', to, body: 'Bonjour', sender: 'Acme' });
const createdAt = async (orderId: string) =>
  new Date((await sys.db('orders').where({ id: orderId }).first('created_at')).created_at).toISOString();

describe('last use of the Services of a Pack account (3.2 ii)', () => {
  test("When a Pack account sends, then the last use the clock reads is that Order's instant: none before, none after a refused send, each later Order (single send or campaign start) moves it", async () => {
    const pack = await onboard(sys, { account: { formula: 'pack' } });
    const send = (to: string) => http(sys.baseUrl, 'POST', '/v1/messages', { token: pack.apiKey, body: sms(to) });
    expect(await lastUse(pack.accountId)).toBeNull();

    const refused = await send('+33612345678');
    expect([refused.status, refused.body.code]).toEqual([402, 'insufficient_balance']);
    expect(await lastUse(pack.accountId)).toBeNull();

    await topUp(sys.db, {
      accountId: pack.accountId,
      amountCents: 100,
      source: { kind: 'adjustment', ref: `last-use-${pack.accountId}` },
    });
    const before = Date.now();
    const first = await send('+33612345678');
    const after = Date.now();
    expect(first.status).toBe(202);
    started.push(first.body.orderId);
    const used = await lastUse(pack.accountId);
    expect(used).toBe(await createdAt(first.body.orderId));
    expect(new Date(used!).getTime()).toBeGreaterThanOrEqual(before);
    expect(new Date(used!).getTime()).toBeLessThanOrEqual(after);

    const second = await send('+33612345679');
    expect(second.status).toBe(202);
    started.push(second.body.orderId);
    expect(await lastUse(pack.accountId)).toBe(await createdAt(second.body.orderId));
    expect(new Date((await lastUse(pack.accountId))!).getTime()).toBeGreaterThan(new Date(used!).getTime());

    const c = await http(sys.baseUrl, 'POST', '/v1/campaigns', {
      token: pack.apiKey,
      body: {
        channel: 'sms',
        purpose: 'transactional',
        template: 'Hi',
        sender: 'Acme',
        recipients: [{ to: '+33612345670' }],
      },
    });
    expect(c.status).toBe(201);
    // A draft is no Order: the last use stays the second send until the campaign starts.
    expect(await lastUse(pack.accountId)).toBe(await createdAt(second.body.orderId));
    const start = await http(sys.baseUrl, 'POST', `/v1/campaigns/${c.body.id}/start`, { token: pack.apiKey });
    expect(start.status).toBe(202);
    started.push(c.body.id);
    expect(await lastUse(pack.accountId)).toBe(await createdAt(c.body.id));
  });
});
