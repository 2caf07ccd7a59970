// 3.2 ii — Pack validity (id `pack-validity:<accountId>`): the terms stay in force until 1 year
// after the last use of the Services. Every Order (signal `orderPlaced`) pushes the end back;
// when the end comes without a use, the contract ends. Before any Order the year runs from the
// Effective Date (the account's opening is its first use of the platform — a CHOICE).
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
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
    kind: 'pack_validity', accountId, state, nextDeadline: state === 'in_force' ? iso(packEnd(lastUse, policy)) : null,
    details: { lastUseAt: iso(lastUse), orders, termsVersion: contract.termsVersion },
  });
  setHandler(clockStateQuery, view);
  setHandler(contractTerminated, () => { terminated = true; });
  setHandler(orderPlaced, () => {
    if (state !== 'in_force') return;
    lastUse = nowDate();
    orders += 1;
    used = true;
  });
  if (terminated) return view();

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
    const woke = await raceDeadline(() => used || terminated, end);
    if (terminated) {
      state = 'ended';
      await deadline({ workflowId, kind: KIND, accountId, clause: CLAUSE, dueAt: packEnd(lastUse, policy), state: 'closed', outcome: 'account_terminated' });
      searchAttributes({ accountId, caseKind: 'pack_validity', state: 'ended', next: null });
      return view();
    }
    if (woke) {
      if (workflowInfo().continueAsNewSuggested) {
        await condition(allHandlersFinished);
        return continueAsNew<typeof packValidityWorkflow>({ accountId, lastUseAt: lastUse.toISOString(), orders });
      }
      continue;
    }
    // A year (the policy's period) without use: the contract ends.
    state = 'ended';
    await acts.terminateAccountFor({ accountId, clause: CLAUSE, reason: `no use of the Services since ${lastUse.toISOString()}`, by: { type: 'system' } });
    await deadline({ workflowId, kind: KIND, accountId, clause: CLAUSE, dueAt: end, state: 'closed', outcome: 'expired' });
    searchAttributes({ accountId, caseKind: 'pack_validity', state: 'ended', next: null });
    return view();
  }
}
