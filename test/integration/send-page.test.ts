// One page activity at a time (MockActivityEnvironment: no workflow), real Postgres, the real
// carrier simulator: quiet hours, the opt-out mention, and crash reconciliation.
import { MockActivityEnvironment } from '@temporalio/testing';
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { createTwilioClient, type TwilioClient } from '../../activities/carriers/twilio-client';
import { createSendActivities, type PageResult } from '../../activities/send';
import { createDb } from '../../lib/db';
import { loadConfig } from '../../lib/config';
import { countsByStatus, frMobile, seedCampaign } from '../support/send';

describe('SMS page activity', () => {
  let sim: CarrierSimulator;
  let twilio: TwilioClient;
  const db = createDb(process.env.DATABASE_URL!);
  const config = loadConfig({ ...process.env, PUBLIC_BASE_URL: 'http://api.test', SEND_CONCURRENCY: '16' });

  beforeAll(async () => {
    sim = await startCarrierSimulator({ config: { callbacks: { enabled: false } } });
    twilio = createTwilioClient({
      accountSid: sim.twilio.accountSid,
      authToken: sim.twilio.authToken,
      baseUrl: sim.url,
      connections: 16,
    });
  });
  afterAll(async () => {
    await twilio.close();
    await sim.stop();
    await db.destroy();
  });

  const activitiesAt = (iso: string) =>
    createSendActivities({
      db,
      twilio,
      sendgrid: null,
      config: { ...config, TWILIO_ACCOUNT_SID: sim.twilio.accountSid },
      now: () => new Date(iso),
    });

  test('When a marketing SMS page to France runs on a Sunday, then every message is held until Monday 08:00 Paris and nothing reaches the carrier', async () => {
    sim.reset();
    const seeded = await seedCampaign(db, { total: 20, purpose: 'marketing' });
    const result = await new MockActivityEnvironment().run(activitiesAt('2026-03-01T10:00:00Z').sendSmsPage, {
      orderId: seeded.orderId,
      fromSeq: 1,
      toSeq: 20,
    });
    expect(result).toMatchObject({ held: 20, submitted: 0, nextAllowedAt: '2026-03-02T07:00:00.000Z' });
    expect(await countsByStatus(db, seeded.orderId)).toEqual({ held: 20 });
    expect(sim.stats().requests.twilio).toBe(0);
  });

  test('When a marketing SMS page to France runs on Monday 07:59:59 Paris, then it is held; at 08:00:00, then it is sent with the opt-out mention', async () => {
    sim.reset();
    const seeded = await seedCampaign(db, { total: 5, purpose: 'marketing' });
    const page = { orderId: seeded.orderId, fromSeq: 1, toSeq: 5 };
    const before = (await new MockActivityEnvironment().run(
      activitiesAt('2026-03-02T06:59:59Z').sendSmsPage,
      page,
    )) as PageResult;
    expect(before.held).toBe(5);
    const result = await new MockActivityEnvironment().run(activitiesAt('2026-03-02T07:00:00Z').sendSmsPage, page);
    expect(result).toMatchObject({ held: 0, submitted: 5 });
    expect(await countsByStatus(db, seeded.orderId)).toEqual({ submitted: 5 });
    expect(sim.records({ channel: 'sms' }).map((r) => r.body)).toContain(
      'Bonjour Client 1, votre code est 1\nSTOP au 36180',
    );
  });

  test('When a crash left messages submitting, some already accepted by the carrier, then the retried page adopts those with their SID and sends only the others, once', async () => {
    sim.reset();
    const seeded = await seedCampaign(db, { total: 10 });
    const rows = await db('messages')
      .where({ order_id: seeded.orderId })
      .orderBy('seq')
      .select('id', 'seq', 'recipient');
    // The crashed attempt: all ten marked, the first four accepted, nothing recorded after.
    await db('messages').where({ order_id: seeded.orderId }).update({ status: 'submitting', attempts: 1 });
    const sids: string[] = [];
    for (const r of rows.slice(0, 4)) {
      const m = await twilio.messages.create({
        to: r.recipient,
        from: 'TENTACLE',
        body: `Bonjour Client ${r.seq}, votre code est ${r.seq}`,
        statusCallback: `http://api.test/webhooks/twilio/status?mid=${r.id}`,
      });
      sids.push(m.sid);
    }
    const result = await new MockActivityEnvironment().run(activitiesAt(new Date().toISOString()).sendSmsPage, {
      orderId: seeded.orderId,
      fromSeq: 1,
      toSeq: 10,
    });
    expect(result).toMatchObject({ adopted: 4, submitted: 10 });
    const after = await db('messages')
      .where({ order_id: seeded.orderId })
      .orderBy('seq')
      .select('id', 'status', 'carrier_id', 'attempts');
    expect(after.every((m) => m.status === 'submitted')).toBe(true);
    expect(after.slice(0, 4).map((m) => m.carrier_id)).toEqual(sids);
    expect(after.map((m) => m.attempts)).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
    expect(rows.map((r) => sim.acceptedCount(String(r.id)))).toEqual(Array(10).fill(1));
    expect(frMobile(1)).toBe(rows[0].recipient);
  });
});
