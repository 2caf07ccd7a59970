// In-memory activities for the contract clocks' time-skipping tests: they record what the
// workflows asked for (deadlines, notices, evidence, account acts) so the tests can pin each
// deadline one tick before and one tick after. Only the workflow logic is under test here; the
// real activities run against Postgres in test/integration/contract-*.test.ts.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TermsPolicy } from '../../../domain/terms-policy';
import type { DeadlineRecord } from '../../../lib/deadlines';
import { failureTypeOf, type FailureType } from '../../../workflows/failures';
import { accountWorkflowId, packValidityWorkflowId, subscriptionTermWorkflowId } from '../../../workflows/ids';

export interface FakeAccount {
  accountId: string;
  termsVersion: string;
  policy: TermsPolicy;
  effectiveDate: string;
  formula: 'subscription' | 'pack';
  status: 'active' | 'suspended' | 'terminated';
}

// Workflows left running (a failed test) would hold the shared time-skipping server's clock for
// the next test file on this jest worker: after each test, every clock a test touched ends.
const touched: { env: TestWorkflowEnvironment; ids: Set<string> }[] = [];
afterEach(async () => {
  for (const { env, ids } of touched.splice(0)) {
    for (const id of ids) {
      const h = env.client.workflow.getHandle(id);
      const d = await h.describe().catch(() => null);
      if (d?.status.name === 'RUNNING') await h.terminate('test cleanup').catch(() => undefined);
    }
  }
});

export function contractFakes(env: TestWorkflowEnvironment, accounts: FakeAccount[], policies: TermsPolicy[] = []) {
  const ids = new Set<string>();
  touched.push({ env, ids });
  for (const a of accounts)
    ids
      .add(subscriptionTermWorkflowId(a.accountId))
      .add(packValidityWorkflowId(a.accountId))
      .add(accountWorkflowId(a.accountId));
  const byId = new Map(accounts.map((a) => [a.accountId, { ...a }]));
  const deadlines = new Map<string, DeadlineRecord>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each fake activity's own input; tests read fields
  const calls: { name: string; at: number; args: any }[] = [];
  const log = async (name: string, args: unknown) => {
    const wid = (args as { workflowId?: string })?.workflowId;
    if (wid) ids.add(wid);
    calls.push({ name, at: await env.currentTimeMs(), args });
  };
  const activities = {
    async loadContract({ accountId }: { accountId: string }) {
      const a = byId.get(accountId);
      if (!a) throw new Error(`no account ${accountId}`);
      return { ...a, dataDestroyed: false };
    },
    // No Order in these fakes; test/workflows/pack-validity.test.ts runs the real one on Postgres.
    async lastUseOfServices(_: { accountId: string }) {
      return { lastUseAt: null as string | null };
    },
    async loadTermsPolicy({ version }: { version: string }) {
      const p = [...policies, ...accounts.map((a) => a.policy)].find((x) => x.version === version);
      if (!p) throw new Error(`no policy ${version}`);
      return p;
    },
    async recordDeadline(d: DeadlineRecord) {
      deadlines.set(`${d.workflowId}|${d.kind}|${d.subject ?? ''}`, { ...d, dueAt: new Date(d.dueAt).toISOString() });
      await log('recordDeadline', d);
    },
    async sendContractNotice(n: { key: string; kind: string }) {
      await log('sendContractNotice', n);
      return { noticeId: `notice-${n.key}`, recipients: ['owner@example.test'], alreadySent: false };
    },
    async recordContractEvidence(e: { key: string; kind: string }) {
      await log('recordContractEvidence', e);
      return true;
    },
    async updateCase(c: unknown) {
      await log('updateCase', c);
    },
    async liftSuspensionFor(s: { accountId: string }) {
      await log('liftSuspensionFor', s);
    },
    async terminateAccountFor(t: { accountId: string; clause: string }) {
      await log('terminateAccountFor', t);
      const a = byId.get(t.accountId);
      if (a) a.status = 'terminated';
      return { terminatedAt: new Date(await env.currentTimeMs()).toISOString() };
    },
    async bindTermsVersion(b: { accountId: string; version: string }) {
      await log('bindTermsVersion', b);
      const a = byId.get(b.accountId);
      if (a) a.termsVersion = b.version;
    },
    async returnAccountData(r: unknown) {
      await log('returnAccountData', r);
      return { bytes: 1, availableUntil: new Date((await env.currentTimeMs()) + 30 * 24 * 3600 * 1000).toISOString() };
    },
    async deleteReturnedExport(d: { accountId: string }) {
      await log('deleteReturnedExport', d);
      return { deleted: 1 };
    },
    async endSubscriptionBilling(e: { accountId: string; endAt: string; reason: string }) {
      await log('endSubscriptionBilling', e);
    },
    async destroyAccountData({ accountId }: { accountId: string }) {
      await log('destroyAccountData', { accountId });
      return { noticeKey: `destruction:${accountId}` };
    },
    async setMaintenanceState(m: unknown) {
      await log('setMaintenanceState', m);
    },
    async announceMaintenance(m: unknown) {
      await log('announceMaintenance', m);
      return { recipients: 1 };
    },
  };
  return {
    activities,
    calls,
    deadlines,
    deadline: (workflowId: string, kind: string, subject = '') => deadlines.get(`${workflowId}|${kind}|${subject}`),
    called: (name: string) => calls.filter((c) => c.name === name),
    account: (id: string) => byId.get(id)!,
  };
}

/** Polls until `ok` (workflow tests: activities complete asynchronously after a timer fires). */
export async function until<T>(fn: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let v: T | undefined;
    try {
      v = await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
    } // e.g. a query before the handler is set
    if ((v !== undefined && ok(v)) || Date.now() > end) return v as T;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Keeps one recorded history per workflow type in test/replay/histories (written when absent,
 * or always with RECORD_HISTORIES=1), replayed by test/replay/replay.test.ts.
 */
export async function keepHistory(name: string, handle: WorkflowHandle): Promise<void> {
  const file = join(__dirname, '..', '..', 'replay', 'histories', `${name}.json`);
  if (existsSync(file) && process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  // Plain JSON of the proto (the SDK's historyToJSON trips over jest's module registry); read
  // back with History.fromObject in the replay test.
  const obj = temporal.api.history.v1.History.toObject(
    temporal.api.history.v1.History.decode(temporal.api.history.v1.History.encode(history).finish()),
    { longs: String, bytes: String, defaults: false },
  );
  writeFileSync(file, JSON.stringify({ workflowId: handle.workflowId, history: obj }, null, 1));
}

/**
 * Waits for a workflow to complete WITHOUT `result()`: awaiting a result lets the time-skipping
 * server jump to the next timer of any workflow, which would move the other clocks of a test.
 * Returns its final clock state (query on the closed workflow).
 */
export async function finished(handle: WorkflowHandle): Promise<import('../../../workflows/messages').ClockState> {
  const d = await until(
    () => handle.describe(),
    (x) => x.status.name !== 'RUNNING',
  );
  if (d.status.name !== 'COMPLETED') throw new Error(`${handle.workflowId} ended ${d.status.name}`);
  return handle.query('clockState');
}

/** Expects an update to be refused by its validator with this failure type (carried as cause). */
export async function refusedWith(p: Promise<unknown>, type: FailureType): Promise<void> {
  const err = await p.then(
    () => null,
    (e: Error & { cause?: Error }) => e,
  );
  if (!err) throw new Error(`expected a refusal ${type}, the update was accepted`);
  const got = failureTypeOf(err.cause);
  if (got !== type)
    throw new Error(
      `expected a refusal ${type}, got: ${got ?? 'no known type'} ${err.message} ${err.cause?.message ?? ''}`,
    );
}
