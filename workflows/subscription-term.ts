// 3.2 i — Subscription term (id `subscription-term:<accountId>`). One run per term: the
// renewal-notice cut-off and the expiry are durable timers; at expiry the contract renews (a
// new run, continue-as-new, the renewal recorded as evidence) or ends if a termination notice
// received before the cut-off applies to this expiry. A notice received after the cut-off
// applies to the following expiry (carried across the renewal).
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { noticeAppliesTo, renewalNoticeCutoff, termExpiry, currentTermIndex } from '../domain/contract-clocks';
import {
  clockStateQuery,
  contractTerminated,
  giveTerminationNotice,
  type ClockState,
  type TerminationNoticeInput,
} from './messages';
import { acts, deadline, iso, nowDate, raceDeadline, searchAttributes } from './clock-support';
import { failure, FailureType } from './failures';

export interface SubscriptionTermInput {
  accountId: string;
  /** Term in progress (0 = initial); carried across continue-as-new. */
  termIndex?: number;
  /** A notice received earlier that applies to a later expiry. */
  notice?: { receivedAt: string; appliesAt: string; givenBy: 'user' | 'platform' } | null;
}

const CLAUSE = '3.2 i';

export async function subscriptionTermWorkflow(input: SubscriptionTermInput): Promise<ClockState> {
  const { accountId } = input;
  const workflowId = workflowInfo().workflowId;
  const contract = await acts.loadContract({ accountId });
  const effective = new Date(contract.effectiveDate);
  const policy = contract.policy;
  const n = input.termIndex ?? currentTermIndex(effective, nowDate(), policy);
  const expiry = termExpiry(effective, n, policy);
  const cutoff = renewalNoticeCutoff(expiry, policy);
  let notice = input.notice ?? null;
  let terminated = contract.status === 'terminated';
  let state = terminated ? 'ended' : 'running';

  const view = (): ClockState => ({
    kind: 'subscription_term',
    accountId,
    state,
    nextDeadline: state !== 'running' ? null : iso(Date.now() < cutoff.getTime() ? cutoff : expiry),
    details: {
      termIndex: n,
      expiry: iso(expiry),
      renewalNoticeCutoff: iso(cutoff),
      notice,
      termsVersion: contract.termsVersion,
    },
  });
  setHandler(clockStateQuery, view);
  setHandler(contractTerminated, () => {
    terminated = true;
  });
  setHandler(
    giveTerminationNotice,
    async (t: TerminationNoticeInput) => {
      if (notice) return { receivedAt: notice.receivedAt, appliesAt: notice.appliesAt, termIndex: n };
      const receivedAt = nowDate();
      const appliesAt = noticeAppliesTo({ effectiveDate: effective, noticeReceivedAt: receivedAt, policy });
      notice = { receivedAt: receivedAt.toISOString(), appliesAt: appliesAt.toISOString(), givenBy: t.givenBy };
      await acts.recordContractEvidence({
        key: `termination-notice:${accountId}`,
        accountId,
        kind: 'termination_notice_received',
        actor: { type: t.givenBy === 'user' ? 'member' : 'staff', id: t.actorId },
        payload: {
          clause: CLAUSE,
          givenBy: t.givenBy,
          receivedAt: notice.receivedAt,
          appliesAt: notice.appliesAt,
          noticeId: t.noticeId ?? null,
          inTimeForCurrentTerm: appliesAt.getTime() === expiry.getTime(),
        },
      });
      // The acknowledgment of receipt the clause requires, sent by the platform (evidence).
      await acts.sendContractNotice({
        key: `termination-notice-ack:${accountId}`,
        accountId,
        kind: 'termination_notice_acknowledgment',
        clause: CLAUSE,
        subject: 'Acknowledgment of receipt of your termination notice',
        text: `We received the termination notice (${t.givenBy === 'user' ? 'given by you' : 'given by the platform'}) on ${notice.receivedAt}. Under article 3.2 (i) the contract ends on ${notice.appliesAt}.`,
        payload: { receivedAt: notice.receivedAt, appliesAt: notice.appliesAt },
      });
      return { receivedAt: notice.receivedAt, appliesAt: notice.appliesAt, termIndex: n };
    },
    {
      validator: (_input) => {
        if (terminated || state !== 'running')
          throw failure(FailureType.ContractEnded, 'the contract has already ended');
      },
    },
  );

  if (terminated) return view();

  const sub = `term-${n}`;
  searchAttributes({
    accountId,
    caseKind: 'subscription_term',
    state: 'running',
    next: Date.now() < cutoff.getTime() ? cutoff : expiry,
  });
  await deadline({
    workflowId,
    kind: 'renewal_notice_cutoff',
    subject: sub,
    accountId,
    clause: CLAUSE,
    dueAt: cutoff,
    state: 'open',
  });
  await deadline({
    workflowId,
    kind: 'subscription_term_expiry',
    subject: sub,
    accountId,
    clause: CLAUSE,
    dueAt: expiry,
    state: 'open',
  });

  const noticeForThisTerm = () => notice !== null && new Date(notice.appliesAt).getTime() === expiry.getTime();
  if (Date.now() < cutoff.getTime()) {
    await raceDeadline(() => terminated || noticeForThisTerm(), cutoff);
    if (!terminated) {
      await deadline({
        workflowId,
        kind: 'renewal_notice_cutoff',
        subject: sub,
        accountId,
        clause: CLAUSE,
        dueAt: cutoff,
        state: 'closed',
        outcome: noticeForThisTerm() ? 'notice_received' : 'passed_without_notice',
      });
      searchAttributes({
        accountId,
        caseKind: 'subscription_term',
        state: noticeForThisTerm() ? 'ending' : 'running',
        next: expiry,
      });
    }
  }
  await raceDeadline(() => terminated, expiry);
  await condition(allHandlersFinished);

  if (terminated) {
    state = 'ended';
    await deadline({
      workflowId,
      kind: 'renewal_notice_cutoff',
      subject: sub,
      accountId,
      clause: CLAUSE,
      dueAt: cutoff,
      state: 'closed',
      outcome: 'account_terminated',
    });
    await deadline({
      workflowId,
      kind: 'subscription_term_expiry',
      subject: sub,
      accountId,
      clause: CLAUSE,
      dueAt: expiry,
      state: 'closed',
      outcome: 'account_terminated',
    });
    searchAttributes({ accountId, caseKind: 'subscription_term', state: 'ended', next: null });
    return view();
  }
  if (noticeForThisTerm()) {
    state = 'ended';
    await acts.terminateAccountFor({
      accountId,
      clause: CLAUSE,
      reason: `termination notice received ${notice!.receivedAt}, effective at term expiry`,
      by: { type: 'system' },
    });
    await deadline({
      workflowId,
      kind: 'subscription_term_expiry',
      subject: sub,
      accountId,
      clause: CLAUSE,
      dueAt: expiry,
      state: 'closed',
      outcome: 'ended_by_notice',
    });
    searchAttributes({ accountId, caseKind: 'subscription_term', state: 'ended', next: null });
    return view();
  }
  // Renewal for an identical period (3.2 i), recorded.
  const nextExpiry = termExpiry(effective, n + 1, policy);
  await acts.recordContractEvidence({
    key: `subscription-renewed:${accountId}:${n + 1}`,
    accountId,
    kind: 'subscription_renewed',
    payload: {
      clause: CLAUSE,
      termIndex: n + 1,
      from: expiry.toISOString(),
      to: nextExpiry.toISOString(),
      termsVersion: contract.termsVersion,
    },
  });
  await deadline({
    workflowId,
    kind: 'subscription_term_expiry',
    subject: sub,
    accountId,
    clause: CLAUSE,
    dueAt: expiry,
    state: 'closed',
    outcome: 'renewed',
  });
  await condition(allHandlersFinished);
  return continueAsNew<typeof subscriptionTermWorkflow>({ accountId, termIndex: n + 1, notice });
}
