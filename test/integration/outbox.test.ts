// The workflow outbox (lib/workflow-clients/outbox.ts, outbox-relay.ts): a start written with its
// fact is never lost. The API here talks to a Temporal on a closed port, so that every kick after
// a commit fails, as if the process had died between its commit and its start; the lifecycle
// worker's relay loop (startSystem runs it, with a working client) must start every kind.
// Real API, Postgres, the dev server and the real lifecycle worker.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { eventually, http, onboard, startSystem, type System } from '../support/system';
import { staffLogin } from '../support/staff';
import { uniqueQueue } from '../support/temporal';
import { terminateAccountOf } from '../../lib/workflow-clients/account';
import { enqueueMaintenance } from '../../lib/workflow-clients/maintenance';
import { outboxBacklog } from '../../lib/workflow-clients/outbox';
import { relayStarts, type RelayDeps } from '../../lib/workflow-clients/outbox-relay';
import {
  accountWorkflowId,
  invoiceWorkflowId,
  subscriptionBillingWorkflowId,
  termsChangeWorkflowId,
  terminationWorkflowId,
} from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';

const REASON = { 'x-access-reason': 'outbox test of a contract case' };
const DAY = 86_400_000;
// No retry interceptor: a start fails at once (connection refused) instead of backing off.
const deadClient = () =>
  new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', interceptors: [] }), namespace: 'default' });

let sys: System;
beforeAll(async () => {
  sys = await startSystem({ apiTemporal: deadClient() });
});
afterAll(async () => {
  await sys?.stop();
});

const outboxRow = (workflowId: string) => sys.db('workflow_outbox').where({ workflow_id: workflowId }).first();

/** The start was written, its kick failed, and the relay loop started it; the workflow carries its search attributes. */
async function expectRelayed(workflowId: string, workflowType: string, caseKind?: string) {
  const row = await eventually(
    () => outboxRow(workflowId),
    (r) => r?.done_at != null,
    30_000,
  );
  expect(row).toMatchObject({ workflow_type: workflowType, outcome: 'started' });
  expect(row.attempts).toBeGreaterThanOrEqual(2); // the kick's failed attempt, then the relay's
  const d = await sys.client.workflow.getHandle(workflowId).describe();
  expect(d.type).toBe(workflowType);
  if (caseKind) expect(d.typedSearchAttributes.get(SA.CaseKind)).toBe(caseKind);
}

describe('workflow outbox: a start written with its fact is started although the kick failed', () => {
  const staff = async (roles: Parameters<typeof staffLogin>[1]) => {
    const s = await staffLogin(sys, roles);
    return (method: string, path: string, body?: unknown) =>
      http(sys.baseUrl, method, path, { token: s.token, body, headers: REASON });
  };

  test('When an account registers while Temporal is unreachable, then it is registered and its lifecycle and subscription billing workflows are started by the relay', async () => {
    const a = await onboard(sys);
    expect(await sys.db('subscriptions').where({ account_id: a.accountId }).first()).toBeDefined();
    await expectRelayed(accountWorkflowId(a.accountId), 'accountLifecycleWorkflow');
    await expectRelayed(
      subscriptionBillingWorkflowId(a.accountId),
      'subscriptionBillingWorkflow',
      'subscription_billing',
    );
  });

  const kinds: [string, (a: Awaited<ReturnType<typeof onboard>>) => Promise<[string, string, string]>][] = [
    [
      'a formal notice (10.1)',
      async (a) => {
        const res = await (
          await staff(['compliance'])
        )('POST', `/v1/staff/accounts/${a.accountId}/formal-notices`, {
          breach: 'Unpaid invoices and spam complaints',
        });
        expect(res.status).toBe(201);
        expect(await sys.db('contract_cases').where({ id: res.body.caseId }).first()).toBeDefined();
        return [res.body.workflowId, 'formalNoticeWorkflow', 'formal_notice'];
      },
    ],
    [
      'a force majeure declared by the User (11)',
      async (a) => {
        const res = await http(sys.baseUrl, 'POST', '/v1/force-majeure', {
          token: a.apiKey,
          body: {
            startedAt: new Date(Date.now() - 3_600_000).toISOString(),
            description: 'Flood',
            obligations: ['payment'],
          },
        });
        expect(res.status).toBe(201);
        expect(await sys.db('contract_cases').where({ id: res.body.caseId }).first()).toBeDefined();
        return [res.body.workflowId, 'forceMajeureWorkflow', 'force_majeure'];
      },
    ],
    [
      'a terms change (3.3)',
      async (a) => {
        const version = `t-${randomUUID().slice(0, 8)}`;
        const res = await (
          await staff(['admin'])
        )('POST', '/v1/staff/terms-versions', {
          version,
          textSha256: 'b'.repeat(64),
          accountIds: [a.accountId],
        });
        expect(res.status).toBe(201);
        expect(res.body.accountsNotified).toBe(1);
        expect(await sys.db('terms_versions').where({ version }).first()).toBeDefined();
        return [termsChangeWorkflowId(version, a.accountId), 'termsChangeWorkflow', 'terms_change'];
      },
    ],
    [
      'a personal-data breach (Annex 2.3.3)',
      async (a) => {
        const res = await (
          await staff(['compliance'])
        )('POST', '/v1/staff/data-breaches', {
          accountIds: [a.accountId],
          awareAt: new Date(Date.now() - 3_600_000).toISOString(),
          description: 'Backup bucket exposed',
        });
        expect(res.status).toBe(201);
        expect(await sys.db('contract_cases').where({ id: res.body.caseId }).first()).toBeDefined();
        return [res.body.workflowId, 'dataBreachWorkflow', 'data_breach'];
      },
    ],
    [
      'a maintenance window (6.4.3)',
      async () => {
        const op = await staff(['operations']);
        // Far ahead, and cancelled at once: other test files share this database and its API's 503.
        const startsAt = new Date(Date.now() + 300 * DAY);
        const res = await op('POST', '/v1/staff/maintenance-windows', {
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
          reason: 'outbox test',
        });
        expect(res.status).toBe(201);
        expect(await sys.db('maintenance_windows').where({ id: res.body.id }).first()).toBeDefined();
        expect((await op('DELETE', `/v1/staff/maintenance-windows/${res.body.id}`)).status).toBe(204);
        return [res.body.workflowId, 'maintenanceWorkflow', 'maintenance'];
      },
    ],
  ];
  test.each(kinds)(
    'When staff or the User open %s while Temporal is unreachable, then the fact is committed and the relay starts its workflow',
    async (_kind, act) => {
      const a = await onboard(sys);
      const [workflowId, type, caseKind] = await act(a);
      await expectRelayed(workflowId, type, caseKind);
    },
  );

  test('When a Pack is bought while Temporal is unreachable, then its invoice is issued and the relay starts its workflow', async () => {
    const a = await onboard(sys, { account: { formula: 'pack' } });
    const res = await http(sys.baseUrl, 'POST', '/v1/billing/packs', { token: a.apiKey, body: { pack: 'pack-100' } });
    expect(res.status).toBe(201);
    await expectRelayed(invoiceWorkflowId(res.body.id), 'invoiceWorkflow', 'invoice');
  });

  test("When the account workflow projects a termination and nobody starts the end-of-contract workflow, then the projection's outbox row is relayed", async () => {
    const a = await onboard(sys);
    await eventually(
      () => sys.db('accounts').where({ id: a.accountId }).first('lifecycle_started_at'),
      (r) => r.lifecycle_started_at !== null,
      30_000,
    );
    // What terminateAccountNow does first; the process dies before its own start of the workflow.
    await terminateAccountOf(sys.client, a.accountId, { clause: '10.3', reason: 'test', by: { type: 'system' } });
    const row = await outboxRow(terminationWorkflowId(a.accountId));
    expect(row).toMatchObject({ workflow_type: 'terminationWorkflow' });
    expect(row.args[0]).toMatchObject({ accountId: a.accountId, clause: '10.3' });
    await eventually(
      () => outboxRow(terminationWorkflowId(a.accountId)),
      (r) => r.done_at != null,
      30_000,
    );
    expect((await sys.client.workflow.getHandle(terminationWorkflowId(a.accountId)).describe()).type).toBe(
      'terminationWorkflow',
    );
  });
});

describe('outbox relay', () => {
  /** A start on a queue nobody polls: started, never run. */
  const enqueue = async () => {
    const windowId = randomUUID();
    const start = await sys.db.transaction((trx) =>
      enqueueMaintenance(
        trx,
        { LIFECYCLE_TASK_QUEUE: uniqueQueue('nobody') },
        {
          windowId,
          startsAt: new Date(Date.now() + 300 * DAY).toISOString(),
          endsAt: new Date(Date.now() + 301 * DAY).toISOString(),
          emergency: false,
          termsVersion: '2026-01',
        },
      ),
    );
    return start.workflowId;
  };

  test('When two relays race on the same row, then the workflow is started once and the row is done once; a row whose done was lost counts as done', async () => {
    const workflowId = await enqueue();
    const other = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }) });
    try {
      const results = await Promise.all(
        [sys.client, other].map((temporal) => relayStarts({ db: sys.db, temporal }, { workflowIds: [workflowId] })),
      );
      expect(results.reduce((n, r) => n + r.started, 0)).toBe(1);
      expect(results.reduce((n, r) => n + r.alreadyStarted + r.failed, 0)).toBe(0);
      const row = await outboxRow(workflowId);
      expect(row).toMatchObject({ outcome: 'started', attempts: 1, last_error: null });
      const handle = sys.client.workflow.getHandle(workflowId);
      const { runId } = await handle.describe();

      // The relay crashed after its start, before its commit: the next one finds the workflow.
      await sys
        .db('workflow_outbox')
        .where({ workflow_id: workflowId })
        .update({ done_at: null, outcome: null, next_attempt_at: sys.db.fn.now() });
      expect(await relayStarts({ db: sys.db, temporal: other }, { workflowIds: [workflowId] })).toMatchObject({
        claimed: 1,
        started: 0,
        alreadyStarted: 1,
      });
      expect(await outboxRow(workflowId)).toMatchObject({ outcome: 'already_started', attempts: 2 });
      expect((await handle.describe()).runId).toBe(runId);
      await handle.terminate('test over');
    } finally {
      await other.connection.close();
    }
  });

  test('When a start fails, then it is logged at warn, the row records the attempt and its error, backs off, counts in the backlog, and is started after the backoff', async () => {
    const workflowId = await enqueue();
    const warned: [Record<string, unknown>, string][] = [];
    const logger = { warn: (o: Record<string, unknown>, m: string) => warned.push([o, m]), info: () => undefined };
    const failed = await relayStarts(
      { db: sys.db, temporal: deadClient(), logger: logger as unknown as RelayDeps['logger'] },
      { workflowIds: [workflowId] },
    );
    expect(failed).toMatchObject({ claimed: 1, failed: 1, started: 0 });
    expect(warned).toEqual([
      [
        expect.objectContaining({ workflowId, attempts: 1, retryInS: 1 }),
        'workflow start failed; the outbox relay retries it',
      ],
    ]);
    const row = await outboxRow(workflowId);
    expect(row).toMatchObject({ attempts: 1, done_at: null });
    expect(row.last_error).toEqual(expect.any(String));
    expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(Date.now());
    // Backing off: not claimed again before its next attempt.
    expect(await relayStarts({ db: sys.db, temporal: sys.client }, { workflowIds: [workflowId] })).toMatchObject({
      claimed: 0,
    });
    const backlog = await outboxBacklog(sys.db);
    expect(backlog.pending).toBeGreaterThanOrEqual(1);
    expect(backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(0);

    await sys.db('workflow_outbox').where({ workflow_id: workflowId }).update({ next_attempt_at: sys.db.fn.now() });
    expect(await relayStarts({ db: sys.db, temporal: sys.client }, { workflowIds: [workflowId] })).toMatchObject({
      started: 1,
    });
    expect(await outboxRow(workflowId)).toMatchObject({ outcome: 'started', attempts: 2, last_error: null });
    await sys.client.workflow.getHandle(workflowId).terminate('test over');
  });
});
