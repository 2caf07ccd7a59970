// 10.2 / Annex 2.4 — After termination (id `termination:<accountId>`): the other clocks of the
// account stop; the User may ask for its data within the policy's period (7 calendar days
// after a 10.1 termination; we give the same window after every termination, in the User's
// favour — a CHOICE); on request the full export is written for the User to collect (30 days, then
// deleted); then the account's personal data is destroyed (legally required billing records kept)
// and destruction is confirmed in writing.
import {
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { dataReturnRequestDeadline } from '../domain/contract-clocks';
import type { BillingActivities } from '../activities/billing';
import type { ContractActivities } from '../activities/contract';
import { clockStateQuery, contractTerminated, requestDataReturn, type ClockState } from './messages';
import { packValidityWorkflowId, subscriptionTermWorkflowId } from './ids';
import { acts, deadline, iso, nowDate, raceDeadline, searchAttributes } from './clock-support';
import { failure, FailureType } from './failures';

export interface TerminationInput {
  accountId: string;
  clause: string;
  terminatedAt: string;
}

const CLAUSE = '10.2';

const billing = proxyActivities<Pick<BillingActivities, 'endSubscriptionBilling'>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const KIND = 'data_return_request';
/** The data return writes the full export for collection, then deletes it when the window ends. */
const RETURN_PATCH = 'data-return-full-export';
const returnActs = proxyActivities<Pick<ContractActivities, 'returnAccountData'>>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function terminationWorkflow({ accountId, clause, terminatedAt }: TerminationInput): Promise<ClockState> {
  const workflowId = workflowInfo().workflowId;
  let state = 'closing_clocks';
  let requestedAt: Date | null = null;
  let requestBy: Date | null = null;
  let returned: { availableUntil: string } | null = null;
  const view = (): ClockState => ({
    kind: 'termination',
    accountId,
    state,
    nextDeadline: state === 'return_window_open' ? iso(requestBy) : null,
    details: { clause, terminatedAt, dataReturnRequestBy: iso(requestBy), dataReturnRequestedAt: iso(requestedAt) },
  });
  setHandler(clockStateQuery, view);
  setHandler(
    requestDataReturn,
    () => {
      requestedAt = nowDate();
      return view();
    },
    {
      validator: (_input) => {
        if (state !== 'return_window_open' || requestedAt)
          throw failure(
            FailureType.DataReturnWindowClosed,
            `the data-return window is ${requestedAt ? 'already used' : 'closed'}`,
          );
      },
    },
  );

  // The account's running clocks stop with the contract (absent ones are fine).
  for (const id of [subscriptionTermWorkflowId(accountId), packValidityWorkflowId(accountId)]) {
    try {
      await getExternalWorkflowHandle(id).signal(contractTerminated, { clause });
    } catch {
      /* not running */
    }
  }
  // 7.1.1: a Subscription ended early, for any reason, owes the rest of the annual period's fees.
  // Every termination starts this workflow, so the billing cycle is ended here, at the
  // termination instant (idempotent; a Pack account has no cycle and the activity is a no-op).
  if (patched('termination-ends-subscription-billing')) {
    await billing.endSubscriptionBilling({ accountId, endAt: terminatedAt, reason: `termination (${clause})` });
  }

  const { policy } = await acts.loadContract({ accountId });
  requestBy = dataReturnRequestDeadline(new Date(terminatedAt), policy);
  state = 'return_window_open';
  searchAttributes({ accountId, caseKind: 'termination', state, next: requestBy });
  await deadline({ workflowId, kind: KIND, accountId, clause: CLAUSE, dueAt: requestBy, state: 'open' });

  const requested = await raceDeadline(() => requestedAt !== null, requestBy);
  await deadline({
    workflowId,
    kind: KIND,
    accountId,
    clause: CLAUSE,
    dueAt: requestBy,
    state: 'closed',
    outcome: requested ? 'requested' : 'no_request',
  });
  if (requested) {
    state = 'returning_data';
    searchAttributes({ accountId, caseKind: 'termination', state, next: null });
    // The full export can take long (millions of messages): its own timeout, with heartbeats.
    if (patched(RETURN_PATCH)) returned = await returnActs.returnAccountData({ accountId });
    else await acts.returnAccountData({ accountId });
  }
  state = 'destroying_data';
  searchAttributes({ accountId, caseKind: 'termination', state, next: null });
  const { noticeKey } = await acts.destroyAccountData({ accountId });
  await acts.sendContractNotice({
    key: noticeKey,
    accountId,
    kind: 'destruction_confirmation',
    clause: 'Annex 2.4',
    subject: 'Confirmation of the destruction of your data',
    text: 'Your personal data has been destroyed.',
  });
  state = 'data_destroyed';
  searchAttributes({ accountId, caseKind: 'termination', state, next: null });
  // Annex 2.4: the returned copy, held for the User to collect, is the last one; it goes at the
  // end of its collection window.
  if (returned && patched(RETURN_PATCH)) {
    const until = new Date(returned.availableUntil);
    await sleep(Math.max(0, until.getTime() - nowDate().getTime()));
    await acts.deleteReturnedExport({ accountId });
  }
  return view();
}
