import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { timeSkippingEnv, testWorker, uniqueQueue } from '../support/temporal';
import { keepHistory } from './support/contract-fakes';
import {
  accountStateQuery,
  liftSuspension,
  suspendAccount,
  terminateAccount,
  AccountState,
  type AccountSendState,
} from '../../workflows/messages';
import { accountWorkflowId } from '../../workflows/ids';

describe('account lifecycle workflow', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('When suspensions are added and lifted, then the account is suspended exactly while one holds, and each change is projected in order', async () => {
    const projected: { state: AccountState; event?: Record<string, unknown> }[] = [];
    // What the campaigns are told, and the projection version stored when they are (never before it).
    const told: (AccountSendState & { projectedVersion: number })[] = [];
    const taskQueue = uniqueQueue('account');
    const worker = await testWorker(env, {
      taskQueue,
      activities: {
        async projectAccountState(x: { state: AccountState; event?: Record<string, unknown> }) {
          projected.push(structuredClone(x));
        },
        async signalAccountCampaigns({ state }: { accountId: string; state: AccountSendState }) {
          told.push({ ...state, projectedVersion: projected[projected.length - 1].state.stateVersion });
          return { signalled: 1 };
        },
      },
    });
    await worker.runUntil(async () => {
      const h = await env.client.workflow.start('accountLifecycleWorkflow', {
        taskQueue,
        workflowId: accountWorkflowId(taskQueue),
        args: [{ accountId: 'acc-1', termsVersion: '2026-01' }],
      });
      const by = { type: 'system' as const };
      expect(
        (
          await h.executeUpdate(suspendAccount, {
            args: [{ kind: 'late_payment', ref: 'inv-1', reason: 'unpaid', by }],
          })
        ).status,
      ).toBe('suspended');
      expect(
        (await h.executeUpdate(suspendAccount, { args: [{ kind: 'breach', ref: 'case-1', reason: 'spam', by }] }))
          .status,
      ).toBe('suspended');
      // Repeating a suspension changes nothing.
      const again = await h.executeUpdate(suspendAccount, {
        args: [{ kind: 'breach', ref: 'case-1', reason: 'spam', by }],
      });
      expect(again.suspensions).toHaveLength(2);
      expect(
        (await h.executeUpdate(liftSuspension, { args: [{ kind: 'late_payment', ref: 'inv-1', by }] })).status,
      ).toBe('suspended');
      expect((await h.executeUpdate(liftSuspension, { args: [{ kind: 'breach', ref: 'case-1', by }] })).status).toBe(
        'active',
      );
      expect((await h.query(accountStateQuery)).status).toBe('active');
      const final = await h.executeUpdate(terminateAccount, { args: [{ clause: '10.1', reason: 'not cured', by }] });
      expect(final.status).toBe('terminated');
      // Termination is final: the workflow completes with the terminated state.
      const result = await h.result();
      expect(result.status).toBe('terminated');
      expect((await h.describe()).status.name).toBe('COMPLETED');
      await keepHistory('account-holds-campaigns', h);
    });
    expect(projected.map((p) => [p.state.status, p.state.stateVersion, p.event?.event ?? 'initial'])).toEqual([
      ['active', 0, 'initial'],
      ['suspended', 1, 'suspension'],
      ['suspended', 2, 'suspension'],
      ['suspended', 3, 'suspension_lifted'],
      ['active', 4, 'suspension_lifted'],
      ['terminated', 5, 'termination'],
    ]);
    // The campaigns hear of each change of status, not of a second suspension reason nor of a lift
    // that leaves one holding, and only once the account row has it (pages read that row).
    expect(told).toEqual([
      { status: 'suspended', stateVersion: 1, projectedVersion: 1 },
      { status: 'active', stateVersion: 4, projectedVersion: 4 },
      { status: 'terminated', stateVersion: 5, clause: '10.1', projectedVersion: 5 },
    ]);
  });
});
