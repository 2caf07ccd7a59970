// The lease of a page attempt on its messages (activities/sending/lease.ts), at its boundaries,
// with real Postgres and the carrier simulator, one page activity at a time: the mark refuses
// rows under another attempt's unexpired lease; a retry waits for that lease to expire before it
// asks the carrier anything; an attempt frozen past its deadline submits nothing more, and its late
// outcome writes change nothing of what another attempt took over.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio-client';
import { createSendGridClient, type SendGridClient } from '../../activities/carriers/sendgrid-client';
import { createSendActivities } from '../../activities/send';
import { createPageStore, emptyPageResult } from '../../activities/sending/page-store';
import { PageLease } from '../../activities/sending/lease';
import { createDb } from '../../lib/db';
import { loadConfig, type Config } from '../../lib/config';
import { seedCampaign } from '../support/send';
import { rejection } from '../support/carrier-simulator';
import { eventually } from '../support/eventually';

const ROOT = join(__dirname, '..', '..');

// Run while the page attempt is blocked (spawnSync: its event loop stands still, as under SIGSTOP):
// waits past the attempt's lease, takes its rows over by the mark's own rule, prints them.
const TAKEOVER = `
const { Client } = require('pg');
(async () => {
  await new Promise((r) => setTimeout(r, 900));
  const c = new Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  const { rows } = await c.query(
    "update messages set lease_owner = 'B', lease_until = now() + interval '1 hour' where order_id = $1" +
      " and status = 'submitting' and lease_until < now() returning id",
    [process.env.ORDER_ID],
  );
  const { rows: all } = await c.query(
    'select id, status, carrier_id, carrier_error, attempts, lease_owner, lease_until, updated_at' +
      ' from messages where order_id = $1 order by seq',
    [process.env.ORDER_ID],
  );
  await c.end();
  process.stdout.write(JSON.stringify({ taken: rows.length, all }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('page leases', () => {
  let sim: CarrierSimulator;
  let twilio: TwilioClient;
  let sendgrid: SendGridClient;
  const db = createDb(process.env.DATABASE_URL!);
  const base = loadConfig({ ...process.env, PUBLIC_BASE_URL: 'http://api.test', SEND_CONCURRENCY: '4' });
  const rowsOf = async (orderId: string) =>
    db('messages')
      .where({ order_id: orderId })
      .orderBy('seq')
      .select('id', 'status', 'carrier_id', 'carrier_error', 'attempts', 'lease_owner', 'lease_until', 'updated_at');

  /** Twilio requests of the page (list and create), with the instant each was made. */
  let calls: { at: number; method: string }[] = [];
  let afterCreate: ((n: number) => Promise<void> | void) | null = null;

  beforeAll(async () => {
    sim = await startCarrierSimulator({ config: { callbacks: { enabled: false } } });
    twilio = createTwilioClient({ ...sim.twilio, baseUrl: sim.url, connections: 16 });
    sendgrid = createSendGridClient({ apiKey: sim.sendgrid.apiKey, baseUrl: sim.url });
    const request = twilio.request.bind(twilio);
    twilio.request = (async (opts: Parameters<TwilioClient['request']>[0]) => {
      const method = String(opts.method).toLowerCase();
      calls.push({ at: Date.now(), method });
      const res = await request(opts);
      if (method === 'post' && afterCreate) await afterCreate(calls.filter((c) => c.method === 'post').length);
      return res;
    }) as TwilioClient['request'];
  });
  beforeEach(() => {
    sim.reset();
    calls = [];
    afterCreate = null;
  });
  afterAll(async () => {
    await twilio.close();
    sendgrid.close();
    await sim.stop();
    await db.destroy();
  });

  const activities = (config: Config = base) =>
    createSendActivities({
      db,
      twilio,
      sendgrid,
      config: { ...config, TWILIO_ACCOUNT_SID: sim.twilio.accountSid },
      retry: { attempts: 3, baseMs: 10, maxMs: 20 },
    });
  const withLogs = () => {
    const logs: LogEntry[] = [];
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('INFO', (e) => logs.push(e)) });
    return { env, logs };
  };

  test("When messages are 'submitting' under another attempt's lease, then a retry takes over each only once its lease_until has passed by the database's clock, not before", async () => {
    const seeded = await seedCampaign(db, { total: 4 });
    await db.raw(
      `update messages set status = 'submitting', attempts = 1, lease_owner = 'other',
          lease_until = case when seq <= 2 then clock_timestamp() + interval '1 second'
                             else now() - interval '1 millisecond' end
        where order_id = ?`,
      [seeded.orderId],
    );
    const [{ until }] = await db('messages').where({ order_id: seeded.orderId }).max('lease_until as until');
    const input = { orderId: seeded.orderId, fromSeq: 1, toSeq: 4 };
    let token = '';
    const done = new MockActivityEnvironment().run(async () => {
      const lease = new PageLease(db, base, input);
      token = lease.token;
      try {
        await lease.takeOver();
        return Date.now();
      } finally {
        lease.stop();
      }
    }) as Promise<number>;
    const owners = async () =>
      (await db('messages').where({ order_id: seeded.orderId }).orderBy('seq').select('lease_owner')).map(
        (r) => r.lease_owner,
      );
    // Expired a millisecond ago: taken at once; a second ahead: left alone until it has passed.
    const early = await eventually(owners, (o) => token !== '' && o[3] === token, 800, 20);
    expect(early).toEqual(['other', 'other', token, token]);
    expect(Date.now()).toBeLessThan(new Date(until).getTime());
    const returnedAt = await done;
    expect(returnedAt).toBeGreaterThanOrEqual(new Date(until).getTime());
    expect(await owners()).toEqual([token, token, token, token]);
    const { rows: left } = await db.raw(
      'select extract(epoch from lease_until - now()) * 1000 as ms from messages where order_id = ?',
      [seeded.orderId],
    );
    // Leased for the TTL (15 s by default) by the database's clock.
    for (const r of left) expect(Number(r.ms)).toBeGreaterThan(base.SEND_LEASE_TTL_MS - 2_000);
  });

  test("When the mark meets messages 'submitting' under another attempt's token, then it takes none of them, even once that lease expired (only a takeover, followed by reconciliation, does)", async () => {
    const seeded = await seedCampaign(db, { total: 3 });
    await db.raw(
      `update messages set status = 'submitting', attempts = 1, lease_owner = 'other',
          lease_until = now() - interval '1 second' where order_id = ? and seq <= 2`,
      [seeded.orderId],
    );
    const input = { orderId: seeded.orderId, fromSeq: 1, toSeq: 3 };
    const store = createPageStore(db, () => new Date());
    const out = (await new MockActivityEnvironment().run(async () => {
      const lease = new PageLease(db, base, input);
      try {
        const { rows } = await store.loadPage(input);
        const marked = await store.markSubmitting(seeded.accountId, rows, emptyPageResult(), lease);
        return { token: lease.token, marked: marked.map((r) => r.seq), contended: lease.contended };
      } finally {
        lease.stop();
      }
    })) as { token: string; marked: number[]; contended: number };
    expect(out).toMatchObject({ marked: [3], contended: 2 });
    const after = await db('messages')
      .where({ order_id: seeded.orderId })
      .orderBy('seq')
      .select('lease_owner', 'attempts');
    expect(after.map((r) => [r.lease_owner, r.attempts])).toEqual([
      ['other', 1],
      ['other', 1],
      [out.token, 1],
    ]);
  });

  test("When a retried page finds its messages 'submitting' under another attempt's unexpired lease, then it asks the carrier nothing until that lease has expired, then adopts what the carrier has and resends the rest, once", async () => {
    const seeded = await seedCampaign(db, { total: 6 });
    const rows = await db('messages')
      .where({ order_id: seeded.orderId })
      .orderBy('seq')
      .select('id', 'seq', 'recipient');
    await db.raw(
      `update messages set status = 'submitting', attempts = 1, lease_owner = 'other',
          lease_until = clock_timestamp() + interval '1500 milliseconds' where order_id = ?`,
      [seeded.orderId],
    );
    // The other attempt got two of them accepted before it froze.
    for (const r of rows.slice(0, 2))
      await twilio.messages.create({
        to: r.recipient,
        from: 'TENTACLE',
        body: `Bonjour Client ${r.seq}, votre code est ${r.seq}`,
        statusCallback: `http://api.test/webhooks/twilio/status?mid=${r.id}`,
      });
    const [{ lease_until: until }] = await db('messages')
      .where({ order_id: seeded.orderId })
      .max('lease_until as lease_until');
    calls = [];

    const result = await new MockActivityEnvironment().run(activities().sendSmsPage, {
      orderId: seeded.orderId,
      fromSeq: 1,
      toSeq: 6,
    });
    expect(result).toMatchObject({ adopted: 2, submitted: 6 });
    expect(calls.length).toBeGreaterThanOrEqual(6 + 4); // a look-up per ambiguous message, four sends
    expect(Math.min(...calls.map((c) => c.at))).toBeGreaterThanOrEqual(new Date(until).getTime());
    expect(rows.map((r) => sim.acceptedCount(String(r.id)))).toEqual(Array(6).fill(1));
    const after = await rowsOf(seeded.orderId);
    expect(after.map((m) => m.status)).toEqual(Array(6).fill('submitted'));
    expect(after.filter((m) => m.lease_owner === 'other')).toEqual([]);
  });

  test("When an e-mail page's batch is 'submitting' under another attempt's unexpired lease and no event proves it accepted, then the retry sends nothing before that lease expired, then sends the batch once", async () => {
    const seeded = await seedCampaign(db, { total: 5, channel: 'email' });
    await db.raw(
      `update messages set status = 'submitting', attempts = 1, lease_owner = 'other',
          lease_until = clock_timestamp() + interval '1200 milliseconds' where order_id = ?`,
      [seeded.orderId],
    );
    const [{ until }] = await db('messages').where({ order_id: seeded.orderId }).max('lease_until as until');
    const result = await new MockActivityEnvironment().run(activities().sendEmailPage, {
      orderId: seeded.orderId,
      fromSeq: 1,
      toSeq: 5,
    });
    expect(result).toMatchObject({ submitted: 5, adopted: 0 });
    const records = sim.records({ channel: 'email' });
    expect(records).toHaveLength(5);
    expect(Math.min(...records.map((r) => r.acceptedAt))).toBeGreaterThanOrEqual(new Date(until).getTime());
    const after = await rowsOf(seeded.orderId);
    expect(after.map((m) => [m.status, sim.acceptedCount(String(m.id))])).toEqual(Array(5).fill(['submitted', 1]));
  });

  test('When an attempt is frozen past its lease and another attempt takes its messages over meanwhile, then it submits nothing after its deadline, fails page_fenced (retryable) with one warning, and its late outcome writes change nothing it no longer owns', async () => {
    const seeded = await seedCampaign(db, { total: 40 });
    const config = { ...base, SEND_LEASE_TTL_MS: 600, SEND_LEASE_MARGIN_MS: 200 };
    let frozenUntil = Infinity;
    let takeover: { taken: number; all: Record<string, unknown>[] } | null = null;
    afterCreate = (n) => {
      if (n < 10 || takeover) return;
      // The 10th send has been accepted; its answer is in hand when the process freezes.
      const child = spawnSync(process.execPath, ['-e', TAKEOVER], {
        cwd: ROOT,
        env: { ...process.env, ORDER_ID: seeded.orderId },
        encoding: 'utf8',
      });
      if (child.status !== 0) throw new Error(child.stderr);
      takeover = JSON.parse(child.stdout);
      frozenUntil = Date.now();
    };
    const { env, logs } = withLogs();
    const err = await rejection(
      env.run(activities(config).sendSmsPage, { orderId: seeded.orderId, fromSeq: 1, toSeq: 40 }),
    );
    expect(err).toMatchObject({ type: 'page_fenced', nonRetryable: false });

    const creates = calls.filter((c) => c.method === 'post');
    expect(creates.length).toBeGreaterThanOrEqual(10);
    expect(creates.filter((c) => c.at >= frozenUntil)).toEqual([]);
    expect(sim.stats().accepted.sms).toBe(creates.length);
    // Taken over: the page's answers (10 and those in flight) were written to none of them.
    expect(takeover!.taken).toBe(40);
    expect(JSON.parse(JSON.stringify(await rowsOf(seeded.orderId)))).toEqual(takeover!.all);
    const { rows: events } = await db.raw(
      'select count(*)::int as n from message_events e join messages m on m.id = e.message_id where m.order_id = ?',
      [seeded.orderId],
    );
    expect(events[0].n).toBe(0);
    const fenced = logs.filter((l) => l.message.startsWith('page attempt fenced'));
    expect(fenced.map((l) => l.message)).toEqual(['page attempt fenced: lease expired']);
    expect(fenced[0].meta).toMatchObject({ orderId: seeded.orderId, fromSeq: 1, toSeq: 40, attempt: 1 });
    expect(Number(fenced[0].meta!.lateMs)).toBeGreaterThan(0);
  });

  test('When another attempt has taken over the messages an attempt holds, then its next renewal fences it and it submits nothing more', async () => {
    const seeded = await seedCampaign(db, { total: 20 });
    const config = { ...base, SEND_CONCURRENCY: 1, SEND_LEASE_TTL_MS: 600, SEND_LEASE_MARGIN_MS: 200 };
    afterCreate = async (n) => {
      if (n !== 5) return;
      await db('messages').where({ order_id: seeded.orderId, status: 'submitting' }).update({ lease_owner: 'B' });
      await new Promise((r) => setTimeout(r, 400)); // renewals every 150 ms: one finds the rows gone
    };
    const { env, logs } = withLogs();
    const err = await rejection(
      env.run(activities(config).sendSmsPage, { orderId: seeded.orderId, fromSeq: 1, toSeq: 20 }),
    );
    expect(err).toMatchObject({ type: 'page_fenced', nonRetryable: false });
    expect(calls.filter((c) => c.method === 'post')).toHaveLength(5);
    expect(sim.stats().accepted.sms).toBe(5);
    const fenced = logs.filter((l) => l.message.startsWith('page attempt fenced'));
    expect(fenced.map((l) => l.message)).toEqual(['page attempt fenced: lease lost']);
    // Nothing is flushed below 250 answers: the five answered rows stay as the new owner holds them.
    const after = await rowsOf(seeded.orderId);
    expect(after.every((m) => m.status === 'submitting' && m.lease_owner === 'B' && m.carrier_id === null)).toBe(true);
  });
});
