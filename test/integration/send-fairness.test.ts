// Campaigns of different accounts share the carrier (issue #16): each campaign keeps its own window
// of pages in flight (SEND_WINDOW_PAGES) on the shared send queue and the worker's FIFO of carrier
// slots, so a campaign started while another account's large one runs waits for that window only,
// then the two take turns page by page; it is never queued behind the whole of the other. Real carrier
// simulator, Postgres, Temporal dev server, lifecycle and send workers.
import { startCarrierSimulator, type CarrierSimulator } from '../../simulator';
import { startCampaignNow } from '../support/starts';
import { startSystem, eventually, type System } from '../support/system';
import { uniqueQueue } from '../support/temporal';
import { startSendWorker, type SendWorkerHandle } from '../support/send-worker';
import { countsByStatus, seedCampaign, type SeededCampaign } from '../support/send';

describe('campaigns of two accounts at once', () => {
  let sim: CarrierSimulator;
  let sys: System;
  let sender: SendWorkerHandle;
  const sendQueue = uniqueQueue('send-fair');

  beforeAll(async () => {
    sim = await startCarrierSimulator({ config: { latency: { fixedMs: 20 }, callbacks: { enabled: false } } });
    sys = await startSystem();
    sender = await startSendWorker({
      sys,
      sim,
      taskQueue: sendQueue,
      concurrency: 32,
      retry: { attempts: 5, baseMs: 5, maxMs: 50 },
    });
  });

  afterAll(async () => {
    await sender?.stop();
    await sys?.stop();
    await sim?.stop();
  });

  const start = (c: SeededCampaign) =>
    startCampaignNow(
      sys,
      { LIFECYCLE_TASK_QUEUE: sys.taskQueue, SEND_WINDOW_PAGES: 4 },
      {
        orderId: c.orderId,
        accountId: c.accountId,
        channel: 'sms',
        purpose: 'transactional',
        total: c.total,
        sendTaskQueue: sendQueue,
      },
    );

  /** The carrier's acceptance instants of a campaign's messages, in order. */
  const acceptances = async (c: SeededCampaign): Promise<number[]> => {
    const ids = new Set((await sys.db('messages').where({ order_id: c.orderId }).pluck('id')).map(String));
    return sim
      .records({ channel: 'sms' })
      .filter((r) => r.mid !== null && ids.has(r.mid))
      .map((r) => r.acceptedAt)
      .sort((a, b) => a - b);
  };

  test(
    "When a campaign of 2,000 starts while another account's campaign of 8,000 is under way, then it is " +
      "not queued behind it: only the large one's window of pages goes first, and the small one ends first",
    async () => {
      const large = await seedCampaign(sys.db, { total: 8_000 });
      const small = await seedCampaign(sys.db, { total: 2_000 });
      await start(large);
      await eventually(
        async () => (await acceptances(large)).length,
        (n) => n >= 1_000,
        60_000,
      );
      const smallStartedAt = Date.now();
      await start(small);
      for (const c of [small, large])
        await eventually(
          () => countsByStatus(sys.db, c.orderId),
          (counts) => (counts.delivered ?? 0) + (counts.submitted ?? 0) === c.total,
          120_000,
        );
      const [a, b] = [await acceptances(large), await acceptances(small)];
      expect([a.length, b.length]).toEqual([8_000, 2_000]);
      // Ahead of the small campaign's first message: at most what the large one had queued in its
      // window when it started (4 pages of 500), never the rest of the large campaign.
      const largeAhead = a.filter((t) => t >= smallStartedAt && t < b[0]).length;
      expect(largeAhead).toBeLessThanOrEqual(5 * 500);
      expect(b[b.length - 1]).toBeLessThan(a[a.length - 1]);
    },
  );
});
