// 10.1 — Formal notice (id `formal-notice:<caseId>`): staff open a breach case; the formal
// notice is e-mailed with an acknowledgment-of-receipt link; a cure within 7 calendar days of
// sending closes the case; otherwise the contract is terminated at the User's fault,
// automatically.
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { cureDeadline } from '../domain/contract-clocks';
import { durationWords } from '../domain/duration-wording';
import { clockStateQuery, cureBreach, noticeAcknowledged, type Actor, type ClockState } from './messages';
import { acts, deadline, iso, nowDate, raceDeadline, searchAttributes } from './clock-support';
import { failure, FailureType } from './failures';

export interface FormalNoticeInput {
  caseId: string;
  accountId: string;
  breach: string;
  openedBy: Actor;
}

const CLAUSE = '10.1';
const KIND = 'formal_notice_cure';

export async function formalNoticeWorkflow({
  caseId,
  accountId,
  breach,
  openedBy,
}: FormalNoticeInput): Promise<ClockState> {
  const workflowId = workflowInfo().workflowId;
  const { policy } = await acts.loadContract({ accountId });
  let state = 'notifying';
  let sentAt: Date | null = null;
  let cureBy: Date | null = null;
  let curedAt: Date | null = null;
  let acknowledgedAt: string | null = null;
  let noticeId: string | null = null;
  const view = (): ClockState => ({
    kind: 'formal_notice',
    accountId,
    state,
    nextDeadline: state === 'awaiting_cure' ? iso(cureBy) : null,
    details: {
      caseId,
      breach,
      noticeId,
      sentAt: iso(sentAt),
      cureBy: iso(cureBy),
      curedAt: iso(curedAt),
      acknowledgedAt,
    },
  });
  setHandler(clockStateQuery, view);
  setHandler(noticeAcknowledged, ({ at }) => {
    acknowledgedAt ??= at;
  });
  setHandler(
    cureBreach,
    async ({ by, note }) => {
      curedAt = nowDate();
      await acts.recordContractEvidence({
        key: `breach-cured:${caseId}`,
        accountId,
        caseId,
        kind: 'breach_cured',
        actor: by,
        payload: { clause: CLAUSE, curedAt: curedAt.toISOString(), cureBy: iso(cureBy), note: note ?? null },
      });
      return view();
    },
    {
      validator: (_input) => {
        if (state !== 'awaiting_cure' || curedAt)
          throw failure(FailureType.CaseNotAwaitingCure, `the case is ${curedAt ? 'cured' : state}`);
      },
    },
  );

  searchAttributes({ accountId, caseKind: 'formal_notice', state, next: null });
  const notice = await acts.sendContractNotice({
    key: `formal-notice:${caseId}`,
    accountId,
    caseId,
    kind: 'formal_notice',
    clause: CLAUSE,
    acknowledgment: true,
    subject: 'Formal notice to remedy a breach of the terms of service',
    text:
      `Formal notice (article 10.1). Breach: ${breach}\n` +
      `You must remedy it within ${durationWords(policy.formalNoticeCure)} of this notice. ` +
      'Failing that, the contract will be terminated at your fault, automatically.',
    payload: { breach, openedBy },
  });
  noticeId = notice.noticeId;
  sentAt = nowDate();
  cureBy = cureDeadline(sentAt, policy);
  state = 'awaiting_cure';
  searchAttributes({ accountId, caseKind: 'formal_notice', state, next: cureBy });
  await deadline({ workflowId, kind: KIND, accountId, clause: CLAUSE, dueAt: cureBy, state: 'open' });
  await acts.updateCase({ caseId, state, details: { noticeId, sentAt: iso(sentAt), cureBy: iso(cureBy) } });

  const cured = await raceDeadline(() => curedAt !== null, cureBy);
  if (cured) {
    state = 'cured';
    await deadline({
      workflowId,
      kind: KIND,
      accountId,
      clause: CLAUSE,
      dueAt: cureBy,
      state: 'closed',
      outcome: 'cured',
    });
    await acts.updateCase({ caseId, state, closed: true, details: { curedAt: iso(curedAt) } });
    // A suspension taken for this breach (6.3.4, ref = case id) ends with the cure.
    await acts.liftSuspensionFor({ accountId, kind: 'breach', ref: caseId, by: { type: 'system' } });
  } else {
    state = 'terminated';
    await deadline({
      workflowId,
      kind: KIND,
      accountId,
      clause: CLAUSE,
      dueAt: cureBy,
      state: 'missed',
      outcome: 'not_cured_terminated',
    });
    await acts.terminateAccountFor({
      accountId,
      clause: CLAUSE,
      reason: `breach not remedied within the cure period (case ${caseId})`,
      by: { type: 'system' },
    });
    await acts.updateCase({ caseId, state, closed: true });
  }
  searchAttributes({ accountId, caseKind: 'formal_notice', state, next: null });
  return view();
}
