// 3.2 i — Subscription term. Rule (domain/contract-clocks.ts): term n expires at Effective Date
// + (n+1) years; a notice is in time for that expiry iff received before 00:00 Paris on
// (expiry date − 29), i.e. at least 30 calendar days before; a later notice applies to the
// following expiry. The contract is in force iff now < expiry.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TERMS_2026_01 } from '../../domain/terms-policy';
import { renewalNoticeCutoff, termExpiry } from '../../domain/contract-clocks';
import { SA } from '../../workflows/search-attributes';
import { clockStateQuery, giveTerminationNotice } from '../../workflows/messages';
import { testWorker, timeSkippingEnv, uniqueQueue } from '../support/temporal';
import { contractFakes, finished, keepHistory, until } from './support/contract-fakes';
import { subscriptionTermWorkflowId } from '../../workflows/ids';

const TICK = 1000;

describe('subscription term clock (3.2 i)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When a termination notice is received one tick before the 30-day cut-off, then the contract ends at this expiry; one tick after, it renews once and ends at the next expiry', async () => {
    const taskQueue = uniqueQueue('term');
    const t0 = new Date(await env.currentTimeMs());
    const acct = (id: string) => ({
      accountId: id,
      termsVersion: TERMS_2026_01.version,
      policy: TERMS_2026_01,
      effectiveDate: t0.toISOString(),
      formula: 'subscription' as const,
      status: 'active' as const,
    });
    const a = `in-time-${taskQueue}`;
    const b = `late-${taskQueue}`;
    const fakes = contractFakes(env, [acct(a), acct(b)]);
    const worker = await testWorker(env, { taskQueue, activities: fakes.activities });
    await worker.runUntil(async () => {
      const ha = await env.client.workflow.start('subscriptionTermWorkflow', {
        taskQueue,
        workflowId: subscriptionTermWorkflowId(a),
        args: [{ accountId: a }],
      });
      const hb = await env.client.workflow.start('subscriptionTermWorkflow', {
        taskQueue,
        workflowId: subscriptionTermWorkflowId(b),
        args: [{ accountId: b }],
      });
      const expiry0 = termExpiry(t0, 0, TERMS_2026_01);
      const expiry1 = termExpiry(t0, 1, TERMS_2026_01);
      const cutoff = renewalNoticeCutoff(expiry0, TERMS_2026_01);
      await until(() => fakes.deadline(ha.workflowId, 'subscription_term_expiry', 'term-0'), Boolean);
      expect(fakes.deadline(ha.workflowId, 'renewal_notice_cutoff', 'term-0')).toMatchObject({
        dueAt: cutoff.toISOString(),
        state: 'open',
        clause: '3.2 i',
        accountId: a,
      });
      expect((await ha.query(clockStateQuery)).nextDeadline).toBe(cutoff.toISOString());
      expect((await ha.describe()).typedSearchAttributes.get(SA.NextDeadline)?.toISOString()).toBe(
        cutoff.toISOString(),
      );

      await env.sleep(cutoff.getTime() - (await env.currentTimeMs()) - TICK);
      const inTime = await ha.executeUpdate(giveTerminationNotice, { args: [{ givenBy: 'user' }] });
      expect(inTime.appliesAt).toBe(expiry0.toISOString());
      await env.sleep(2 * TICK);
      const late = await hb.executeUpdate(giveTerminationNotice, { args: [{ givenBy: 'user' }] });
      expect(new Date(late.receivedAt).getTime()).toBeGreaterThanOrEqual(cutoff.getTime());
      expect(late.appliesAt).toBe(expiry1.toISOString());
      await until(
        () => fakes.deadline(hb.workflowId, 'renewal_notice_cutoff', 'term-0')?.state,
        (s) => s === 'closed',
      );
      expect(fakes.deadline(ha.workflowId, 'renewal_notice_cutoff', 'term-0')).toMatchObject({
        state: 'closed',
        outcome: 'notice_received',
      });
      expect(fakes.deadline(hb.workflowId, 'renewal_notice_cutoff', 'term-0')).toMatchObject({
        state: 'closed',
        outcome: 'passed_without_notice',
      });

      // One tick before expiry the contract is in force; one tick after, A has ended.
      await env.sleep(expiry0.getTime() - (await env.currentTimeMs()) - TICK);
      expect(fakes.called('terminateAccountFor')).toHaveLength(0);
      await env.sleep(2 * TICK);
      const ended = await finished(ha);
      expect(ended.state).toBe('ended');
      const terms = fakes.called('terminateAccountFor');
      expect(terms.map((c) => [c.args.accountId, c.args.clause])).toEqual([[a, '3.2 i']]);
      expect(terms[0].at).toBeGreaterThanOrEqual(expiry0.getTime());
      expect(fakes.deadline(ha.workflowId, 'subscription_term_expiry', 'term-0')).toMatchObject({
        state: 'closed',
        outcome: 'ended_by_notice',
      });

      // B renewed (recorded), and its late notice ends it at the next expiry.
      await until(
        () => fakes.called('recordContractEvidence').filter((c) => c.args.kind === 'subscription_renewed'),
        (x) => x.length === 1,
      );
      expect(
        fakes.called('recordContractEvidence').find((c) => c.args.kind === 'subscription_renewed')!.args,
      ).toMatchObject({
        accountId: b,
        payload: { termIndex: 1, from: expiry0.toISOString(), to: expiry1.toISOString() },
      });
      expect(fakes.deadline(hb.workflowId, 'subscription_term_expiry', 'term-0')).toMatchObject({
        state: 'closed',
        outcome: 'renewed',
      });
      const hbLatest = env.client.workflow.getHandle(hb.workflowId);
      await until(() => fakes.deadline(hb.workflowId, 'subscription_term_expiry', 'term-1'), Boolean);
      // The carried notice is in time for term 1: its cut-off closes at once as notice received.
      await until(
        () => fakes.deadline(hb.workflowId, 'renewal_notice_cutoff', 'term-1')?.state,
        (s) => s === 'closed',
      );
      expect(fakes.deadline(hb.workflowId, 'renewal_notice_cutoff', 'term-1')).toMatchObject({
        state: 'closed',
        outcome: 'notice_received',
      });
      const bEnd = await hbLatest.result();
      expect(bEnd.state).toBe('ended');
      const bTerm = fakes.called('terminateAccountFor').find((c) => c.args.accountId === b)!;
      expect(bTerm.at).toBeGreaterThanOrEqual(expiry1.getTime());
      await keepHistory('subscription-term', ha);
    });
  });

  test('When no notice is ever given, then the term renews every year by continue-as-new, each renewal recorded, for several years', async () => {
    const taskQueue = uniqueQueue('term-years');
    const t0 = new Date(await env.currentTimeMs());
    const id = `years-${taskQueue}`;
    const fakes = contractFakes(env, [
      {
        accountId: id,
        termsVersion: TERMS_2026_01.version,
        policy: TERMS_2026_01,
        effectiveDate: t0.toISOString(),
        formula: 'subscription',
        status: 'active',
      },
    ]);
    const worker = await testWorker(env, { taskQueue, activities: fakes.activities });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start('subscriptionTermWorkflow', {
        taskQueue,
        workflowId: subscriptionTermWorkflowId(id),
        args: [{ accountId: id }],
      });
      const firstRun = (await h.describe()).runId;
      const expiry2 = termExpiry(t0, 2, TERMS_2026_01);
      // One tick before the third expiry: two renewals; one tick after: three.
      await env.sleep(expiry2.getTime() - (await env.currentTimeMs()) - TICK);
      const renewals = () =>
        fakes
          .called('recordContractEvidence')
          .filter((c) => c.args.kind === 'subscription_renewed')
          .map((c) => c.args.payload.termIndex);
      expect(await until(renewals, (r) => r.length === 2)).toEqual([1, 2]);
      await env.sleep(2 * TICK);
      expect(await until(renewals, (r) => r.length === 3)).toEqual([1, 2, 3]);
      const latest = env.client.workflow.getHandle(h.workflowId);
      const desc = await latest.describe();
      expect(desc.runId).not.toBe(firstRun);
      expect(desc.status.name).toBe('RUNNING');
      const state = await latest.query(clockStateQuery);
      expect(state.details.termIndex).toBe(3);
      expect(state.details.expiry).toBe(termExpiry(t0, 3, TERMS_2026_01).toISOString());
      expect(fakes.called('terminateAccountFor')).toHaveLength(0);
      // Ended by the contract's end, not terminated (see force-majeure.test.ts).
      await latest.signal('contractTerminated', { clause: '10.1' });
      expect((await finished(latest)).state).toBe('ended');
    });
  });
});
