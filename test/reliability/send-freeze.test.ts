// Reliability: a send worker frozen (SIGSTOP) for longer than the heartbeat timeout, as a long GC
// pause, a VM freeze or a partition does. Temporal retries its pages on a second worker, which
// reconciles what the frozen one left 'submitting' and resubmits the rest; then the frozen one
// resumes (SIGCONT) with its in-memory lists. Its page leases have expired by its own clock, so it
// submits nothing more: the simulator's record must show every message accepted exactly once.
import { startCampaignNow } from '../support/starts';
import { balanceOf } from '../../lib/ledger-views';
import { sendWorkerHarness, until } from '../support/send-worker-process';
import { uniqueQueue } from '../support/temporal';
import { countsByStatus, seedCampaign } from '../support/send';
import { checkLedger } from '../support/billing';
import type { campaignWorkflow } from '../../workflows/campaign';
import { campaignWorkflowId } from '../../workflows/ids';

// A short lease, as long as the campaign's 3 s heartbeat timeout, keeps the test short.
const LEASE = { SEND_LEASE_TTL_MS: '3000', SEND_LEASE_MARGIN_MS: '500' };

describe('frozen send worker', () => {
  const h = sendWorkerHarness();

  test('When a send worker is frozen past the heartbeat timeout mid-campaign, its pages retried on another worker, and it then resumes, then every message is accepted exactly once, the campaign completes and the ledger settles', async () => {
    const { sim, sys, workers } = h;
    const total = 5_000;
    const queue = uniqueQueue('send-freeze');
    const seeded = await seedCampaign(sys.db, { total });
    const before = await balanceOf(sys.db, seeded.accountId);
    const frozen = workers.start(queue, LEASE);
    await startCampaignNow(
      sys,
      { LIFECYCLE_TASK_QUEUE: sys.taskQueue, SEND_WINDOW_PAGES: 4 },
      {
        orderId: seeded.orderId,
        accountId: seeded.accountId,
        channel: 'sms',
        purpose: 'transactional',
        total,
        sendTaskQueue: queue,
        heartbeatTimeoutMs: 3_000,
      },
    );

    await until(() => sim.stats().accepted.sms >= 1_500, 60_000, '1,500 accepted messages');
    frozen.child.kill('SIGSTOP');
    const acceptedAtFreeze = sim.stats().accepted.sms;
    expect(acceptedAtFreeze).toBeLessThan(total - 1_000);
    // The frozen worker's pages time out (3 s) and are retried on the second worker, which
    // reconciles and resubmits them while the first one is still frozen.
    const second = workers.start(queue, LEASE);
    await until(() => sim.stats().accepted.sms >= acceptedAtFreeze + 1_000, 60_000, 'the retried pages');
    const contAt = Date.now();
    frozen.child.kill('SIGCONT');

    const summary = await sys.client.workflow
      .getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId))
      .result();
    await sim.whenIdle(30_000);
    frozen.child.kill('SIGTERM');
    second.child.kill('SIGTERM');

    const stats = sim.stats();
    // To tell the window that remains (a request that left after SIGCONT: acceptance times near 0)
    // from a fencing defect, each duplicate's acceptances (ms after SIGCONT) and row are printed.
    for (const mid of stats.duplicateMids) {
      const accepted = sim.records({ mid }).map((r) => r.acceptedAt - contAt);
      const row = await sys.db('messages').where({ id: mid }).first('seq', 'attempts', 'lease_owner', 'status');
      process.stderr.write(`duplicate ${mid}: accepted ${JSON.stringify(accepted)} ms, ${JSON.stringify(row)}\n`);
    }
    expect(stats.mids).toEqual({ unique: total, duplicated: 0, extraAcceptances: 0 });
    expect(stats.accepted.sms).toBe(total);
    const counts = await countsByStatus(sys.db, seeded.orderId);
    expect((counts.submitted ?? 0) + (counts.delivered ?? 0)).toBe(total);
    expect(summary).toMatchObject({ outcome: 'completed', charged: total });
    // The resumed attempts stopped at their expired lease and said so.
    expect(frozen.stderr()).toContain('page attempt fenced: lease expired');

    // The ledger settles to the e4: every message charged once, the reservation released.
    const order = await sys.db('orders').where({ id: seeded.orderId }).first();
    const {
      rows: [{ consumed }],
    } = await sys.db.raw('select sum(price_e4)::bigint as consumed from messages where order_id = ?', [seeded.orderId]);
    expect([order.status, Number(order.consumed_e4), Number(order.released_e4)]).toEqual([
      'settled',
      Number(consumed),
      seeded.reservedE4 - Number(consumed),
    ]);
    const after = await balanceOf(sys.db, seeded.accountId);
    expect(after.reservedE4).toBe(0);
    expect(after.availableE4).toBe(before.availableE4 + seeded.reservedE4 - Number(consumed));
    const ledger = await checkLedger(sys.db, seeded.accountId);
    expect([ledger.available, ledger.reserved]).toEqual([ledger.sumAvailable, ledger.sumReserved]);
    expect(ledger.untraced).toBe(0);
  });
});
