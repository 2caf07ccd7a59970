// 3.2 ii — Pack validity (id `pack-validity:<accountId>`): the terms stay in force until 1 year
// after the last use of the Services. A use is an Order placed (a single send or a campaign
// start). Postgres is the source of truth (activity `lastUseOfServices`: the account's latest
// `orders.created_at`), so the send path makes no Temporal call. When the end comes, the workflow
// reads the last use: a later one moves the end (register `pack_validity_end`) and it sleeps
// again; only a full period without use ends the contract. It also re-reads it every 30 days
// (RECHECK_MS), so the register's due date is never more than 30 days stale. Before any Order the
// year runs from the Effective Date (the account's opening is its first use — a CHOICE); an Order
// accepted after the end but before the read still counts (CHOICE, in the User's favour). The
// signal `orderPlaced` has no production sender; it still moves the end (recorded histories).
// Patch `pack-validity-last-use-from-db`: a run started before it reads Postgres from its next end.
import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { packEnd } from '../domain/contract-clocks';
import { clockStateQuery, contractTerminated, orderPlaced, type ClockState } from './messages';
import { acts, deadline, iso, nowDate, raceDeadline, searchAttributes } from './clock-support';

export interface PackValidityInput {
  accountId: string;
  /** Carried across continue-as-new. */
  lastUseAt?: string;
  orders?: number;
}

const CLAUSE = '3.2 ii';
const KIND = 'pack_validity_end';
const PATCH = 'pack-validity-last-use-from-db';
/** The register's due date lags the last use by at most this much (staff read it). */
const RECHECK_MS = 30 * 86_400_000;

export async function packValidityWorkflow(input: PackValidityInput): Promise<ClockState> {
  const { accountId } = input;
  const workflowId = workflowInfo().workflowId;
  const contract = await acts.loadContract({ accountId });
  const policy = contract.policy;
  let lastUse = new Date(input.lastUseAt ?? contract.effectiveDate);
  let orders = input.orders ?? 0;
  let used = false;
  let terminated = contract.status === 'terminated';
  let state = terminated ? 'ended' : 'in_force';

  const view = (): ClockState => ({
    kind: 'pack_validity',
    accountId,
    state,
    nextDeadline: state === 'in_force' ? iso(packEnd(lastUse, policy)) : null,
    details: { lastUseAt: iso(lastUse), orders, termsVersion: contract.termsVersion },
  });
  setHandler(clockStateQuery, view);
  setHandler(contractTerminated, () => {
    terminated = true;
  });
  setHandler(orderPlaced, () => {
    if (state !== 'in_force') return;
    lastUse = nowDate();
    orders += 1;
    used = true;
  });
  if (terminated) return view();

  // The latest Order in Postgres moves the last use forward (never back: a signal may be later).
  const refresh = async () => {
    const { lastUseAt } = await acts.lastUseOfServices({ accountId });
    if (lastUseAt && new Date(lastUseAt).getTime() > lastUse.getTime()) lastUse = new Date(lastUseAt);
  };
  let fromDb = patched(PATCH);
  if (fromDb) await refresh();

  // The register is rewritten when the end moves by a meaningful step, not on every Order of a
  // busy account: at most one write per hour of movement (per 1% of the period for test policies).
  let recordedEnd: Date | null = null;
  for (;;) {
    const end = packEnd(lastUse, policy);
    const step = Math.min(3_600_000, (end.getTime() - lastUse.getTime()) / 100);
    if (!recordedEnd || end.getTime() - recordedEnd.getTime() >= step) {
      searchAttributes({ accountId, caseKind: 'pack_validity', state: 'in_force', next: end });
      await deadline({ workflowId, kind: KIND, accountId, clause: CLAUSE, dueAt: end, state: 'open' });
      recordedEnd = end;
    }
    used = false;
    const wake = fromDb ? new Date(Math.min(end.getTime(), Date.now() + RECHECK_MS)) : end;
    const woke = await raceDeadline(() => used || terminated, wake);
    if (!woke && !terminated) {
      // A run started before the patch decides here, live, when its end comes.
      if (!fromDb) fromDb = patched(PATCH);
      if (fromDb) await refresh();
    }
    if (terminated) {
      state = 'ended';
      await deadline({
        workflowId,
        kind: KIND,
        accountId,
        clause: CLAUSE,
        dueAt: packEnd(lastUse, policy),
        state: 'closed',
        outcome: 'account_terminated',
      });
      searchAttributes({ accountId, caseKind: 'pack_validity', state: 'ended', next: null });
      return view();
    }
    // In force iff now < end (packEnd): a use found at the recheck or at the end keeps it going.
    if (woke || (fromDb && nowDate().getTime() < packEnd(lastUse, policy).getTime())) {
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        return continueAsNew<typeof packValidityWorkflow>({ accountId, lastUseAt: lastUse.toISOString(), orders });
      }
      continue;
    }
    // A year (the policy's period) without use: the contract ends.
    state = 'ended';
    await acts.terminateAccountFor({
      accountId,
      clause: CLAUSE,
      reason: `no use of the Services since ${lastUse.toISOString()}`,
      by: { type: 'system' },
    });
    await deadline({
      workflowId,
      kind: KIND,
      accountId,
      clause: CLAUSE,
      dueAt: packEnd(lastUse, policy),
      state: 'closed',
      outcome: 'expired',
    });
    searchAttributes({ accountId, caseKind: 'pack_validity', state: 'ended', next: null });
    return view();
  }
}
