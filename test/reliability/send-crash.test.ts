// Reliability: the send worker is a real child process, killed with SIGKILL in the middle of a
// campaign and started again. The carrier simulator's record must show every message accepted
// exactly once: messages left 'submitting' are reconciled with the carrier before any resend.
//
// The child runs workers/send.ts through test/support/swc-register.js (the @swc/core transform
// jest itself uses) rather than a `tsc` build: no build step in the test, and no risk of running
// a stale dist/ that does not match the sources under test.
import { startCampaignNow } from '../support/starts';
import { sendWorkerHarness, until } from '../support/send-worker-process';
import { uniqueQueue } from '../support/temporal';
import { countsByStatus, seedCampaign } from '../support/send';
import type { campaignWorkflow } from '../../workflows/campaign';
import { campaignWorkflowId } from '../../workflows/ids';

describe('send worker crash', () => {
  const h = sendWorkerHarness();

  test('When the send worker is killed with SIGKILL mid-campaign and restarted, then every message is accepted by the carrier exactly once and none is lost', async () => {
    const { sim, sys, workers } = h;
    const total = 5_000;
    const queue = uniqueQueue('send-crash');
    const seeded = await seedCampaign(sys.db, { total });
    let worker = workers.start(queue).child;
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
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    // The crash left real ambiguity: messages marked 'submitting', some of them already accepted.
    const submitting = await sys.db('messages').where({ order_id: seeded.orderId, status: 'submitting' }).select('id');
    const acceptedButUnrecorded = submitting.filter((m) => sim.acceptedCount(String(m.id)) > 0).length;
    expect(submitting.length).toBeGreaterThan(0);
    expect(acceptedButUnrecorded).toBeGreaterThan(0);
    const acceptedAtCrash = sim.stats().accepted.sms;
    expect(acceptedAtCrash).toBeLessThan(total);

    worker = workers.start(queue).child;
    const summary = await sys.client.workflow
      .getHandle<typeof campaignWorkflow>(campaignWorkflowId(seeded.orderId))
      .result();
    worker.kill('SIGTERM');

    const stats = sim.stats();
    expect(stats.mids).toEqual({ unique: total, duplicated: 0, extraAcceptances: 0 });
    expect(stats.accepted.sms).toBe(total);
    const counts = await countsByStatus(sys.db, seeded.orderId);
    expect((counts.submitted ?? 0) + (counts.delivered ?? 0)).toBe(total);
    expect(summary).toMatchObject({ outcome: 'completed', charged: total });
    // Those accepted before the crash but unrecorded were adopted under the carrier's own SID.
    const adopted = await sys
      .db('messages')
      .whereIn(
        'id',
        submitting.map((m) => m.id),
      )
      .select('id', 'carrier_id');
    const bySid = new Map(sim.records({ channel: 'sms' }).map((r) => [r.mid, r.carrierId]));
    expect(adopted.filter((m) => bySid.get(String(m.id)) !== m.carrier_id)).toEqual([]);
  });
});
