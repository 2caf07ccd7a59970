// Shared plumbing of the contract's clocks: activity proxies, deadline register writes, search
// attributes kept current, and racing an event against a deadline.
import { condition, proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ContractActivities } from '../activities/contract';
import type { DeadlineActivities } from '../activities/deadlines';
import type { DeadlineRecord } from '../lib/deadlines';
import { SA } from './search-attributes';

export const acts = proxyActivities<ContractActivities & DeadlineActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Workflow time as a Date (deterministic: the workflow clock). */
export const nowDate = () => new Date(Date.now());

/**
 * Waits until `ready()` or `deadline`, whichever first. Returns true iff ready() held before the
 * deadline. A deadline already past is not waited for.
 */
export async function raceDeadline(ready: () => boolean, deadline: Date): Promise<boolean> {
  const ms = deadline.getTime() - Date.now();
  if (ms <= 0) return ready();
  return condition(ready, ms);
}

export async function deadline(d: Omit<DeadlineRecord, 'dueAt'> & { dueAt: Date }): Promise<void> {
  await acts.recordDeadline({ ...d, dueAt: d.dueAt.toISOString() });
}

/** Sets AccountId, CaseKind, ContractState and NextDeadline (null clears it). */
export function searchAttributes(o: {
  accountId?: string | null;
  caseKind: string;
  state: string;
  next: Date | null;
}): void {
  const pairs: SearchAttributeUpdatePair[] = [
    { key: SA.CaseKind, value: o.caseKind },
    { key: SA.ContractState, value: o.state },
    { key: SA.NextDeadline, value: o.next },
  ];
  if (o.accountId) pairs.push({ key: SA.AccountId, value: o.accountId });
  upsertSearchAttributes(pairs);
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
