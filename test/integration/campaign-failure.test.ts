// A campaign whose page fails for good (here: the send worker loses its Twilio client mid-way,
// the real page activity then fails with the non-retryable `no_carrier`) against real Postgres,
// the Temporal dev server, the real lifecycle worker and the real send activities on the carrier
// simulator: the order is settled for what reached the carrier, the rest released, nothing queued.
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import type { PageInput } from '../../activities/send';
import { startCampaignNow } from '../support/starts';
import { balanceOf } from '../../lib/ledger-views';
import { e4ToCentsHalfUp } from '../../domain/send-pricing';
import { startSystem, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';
import { startSendWorker, type SendWorkerHandle } from '../support/send-worker';
import { countsByStatus, seedCampaign } from '../support/send';
import { checkLedger } from '../support/billing';
import type { campaignWorkflow } from '../../workflows/campaign';
import { campaignWorkflowId } from '../../workflows/ids';

describe('campaign whose page fails for good', () => {
  let sim: CarrierSimulator;
  let sys: System;
  let sender: SendWorkerHandle;
  /** Set: the page starting at this seq (and any later one) finds the worker without a carrier. */
  let loseCarrierAt: number | null = null;
  const pagesStarted: number[] = [];
  const sendQueue = uniqueQueue('send');

  beforeAll(async () => {
    sim = await startCarrierSimulator({ config: { latency: { fixedMs: 5 } } });
    sim.configure({ callbacks: { enabled: false } });
    sys = await startSystem();
    sender = await startSendWorker({
      sys,
      sim,
      taskQueue: sendQueue,
      concurrency: 16,
      retry: { attempts: 5, baseMs: 5, maxMs: 50 },
      wrap: (real) => ({
        ...real,
        async sendSmsPage(p: PageInput) {
          pagesStarted.push(p.fromSeq);
          if (loseCarrierAt !== null && p.fromSeq >= loseCarrierAt) sender.deps.twilio = null; // ops removed the credentials
          return real.sendSmsPage(p);
        },
      }),
    });
  });

  afterAll(async () => {
    await sender?.stop();
    await sys?.stop();
    await sim?.stop();
  });

  test('When a page fails non-retryably after some pages were sent, then the campaign ends failed, the sent messages are charged to the cent, the rest released and cancelled, and no message is left queued', async () => {
    sim.reset();
    const total = 2_000;
    const seeded = await seedCampaign(sys.db, { total });
    const before = await balanceOf(sys.db, seeded.accountId);
    expect(before.reservedE4).toBe(seeded.reservedE4);
    const priceE4 = Number(
      (await sys.db('messages').where({ order_id: seeded.orderId, seq: 1 }).first('price_e4')).price_e4,
    );
    loseCarrierAt = 1_001; // pages of 100: pages 1–10 may reach the carrier, 11–20 cannot

    await startCampaignNow(
      sys,
      { LIFECYCLE_TASK_QUEUE: sys.taskQueue, SEND_WINDOW_PAGES: 3 },
      {
        orderId: seeded.orderId,
        accountId: seeded.accountId,
        channel: 'sms',
        purpose: 'transactional',
        total,
        sendTaskQueue: sendQueue,
        pageSize: 100,
      },
    );
    const handle = sys.client.workflow.getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId));
    const summary = await handle.result(); // completes, does not throw
    expect((await handle.describe()).status.name).toBe('COMPLETED');

    // Messages: what reached the carrier stays submitted; nothing queued, held or ambiguous remains.
    const counts = await countsByStatus(sys.db, seeded.orderId);
    const sent = counts.submitted ?? 0;
    expect(Object.keys(counts).sort()).toEqual(['cancelled', 'submitted']);
    expect(sent + counts.cancelled).toBe(total);
    expect(sent).toBeGreaterThanOrEqual(800); // pages 1–8 started before page 11 could
    expect(sent).toBeLessThanOrEqual(1_000);
    expect(sent % 100).toBe(0);
    expect(pagesStarted.filter((s) => s > 1_000 + 3 * 100)).toEqual([]); // no page scheduled after the failure beyond the window
    expect(sim.stats().mids).toEqual({ unique: sent, duplicated: 0, extraAcceptances: 0 });
    const {
      rows: [ev],
    } = await sys.db.raw(
      `select count(*)::int as n, min(e.detail) as detail, max(e.detail) as detail2 from message_events e join messages m on m.id = e.message_id
        where m.order_id = ? and e.status = 'cancelled'`,
      [seeded.orderId],
    );
    expect(ev).toEqual({
      n: counts.cancelled,
      detail: 'campaign failed: no_carrier: no Twilio client configured on this worker',
      detail2: ev.detail,
    });

    // Summary and campaign row.
    const consumed = sent * priceE4; // e4, exact: the ledger's unit
    expect(summary).toMatchObject({
      outcome: 'failed',
      total,
      charged: sent,
      consumedE4: consumed,
      consumedCents: e4ToCentsHalfUp(consumed),
      error: { type: 'no_carrier', message: 'no Twilio client configured on this worker' },
      settlement: { consumedE4: consumed, releasedE4: seeded.reservedE4 - consumed, overageE4: 0 },
    });
    const campaign = await sys.db('campaigns').where({ order_id: seeded.orderId }).first();
    expect(campaign.status).toBe('failed');
    expect(campaign.summary.outcome).toBe('failed');
    expect(campaign.completed_at).not.toBeNull();

    // Money, to the cent: the order settled, the account charged exactly the sent messages.
    const order = await sys.db('orders').where({ id: seeded.orderId }).first();
    expect([order.status, Number(order.consumed_e4), Number(order.released_e4)]).toEqual([
      'settled',
      consumed,
      seeded.reservedE4 - consumed,
    ]);
    const after = await balanceOf(sys.db, seeded.accountId);
    expect(after.reservedE4).toBe(0);
    expect(after.availableE4).toBe(before.availableE4 + seeded.reservedE4 - consumed);
    const ledger = await checkLedger(sys.db, seeded.accountId);
    expect([ledger.available, ledger.reserved]).toEqual([ledger.sumAvailable, ledger.sumReserved]);
    expect(ledger.untraced).toBe(0);
    expect(ledger.overdrawnFunding).toBe(0);
  });
});
