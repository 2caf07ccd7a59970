// 11 — Force majeure (id `force-majeure:<caseId>`): declared by either party with its start;
// the declaration is the notification (late if 7 calendar days after the start: flagged); the
// affected obligations are suspended while it lasts (never payment, never the User's prepaid
// Services); 1 month after the notification a termination right opens for both parties,
// exercised by an API call with immediate effect and no compensation.
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  forceMajeureMaySuspend,
  forceMajeureNotificationDeadline,
  forceMajeureTerminationRightAt,
  isLateNotification,
  type ForceMajeureParty,
  type ObligationKind,
} from '../domain/contract-clocks';
import {
  clockStateQuery,
  endForceMajeure,
  exerciseForceMajeureTermination,
  type Actor,
  type ClockState,
} from './messages';
import { acts, deadline, iso, nowDate, raceDeadline, searchAttributes } from './clock-support';
import { failure, FailureType } from './failures';

export interface ForceMajeureInput {
  caseId: string;
  accountId: string;
  declaredBy: ForceMajeureParty;
  startedAt: string;
  description: string;
  obligations: ObligationKind[];
  by: Actor;
}

const CLAUSE = '11';

export async function forceMajeureWorkflow(input: ForceMajeureInput): Promise<ClockState> {
  const { caseId, accountId, declaredBy } = input;
  const workflowId = workflowInfo().workflowId;
  const startedAt = new Date(input.startedAt);
  const notifiedAt = nowDate();
  const { policy } = await acts.loadContract({ accountId });
  const notifyBy = forceMajeureNotificationDeadline(startedAt, policy);
  const late = isLateNotification(startedAt, notifiedAt, policy);
  const rightAt = forceMajeureTerminationRightAt(notifiedAt, policy);
  const suspended = input.obligations.filter((o) => forceMajeureMaySuspend({ obligation: o, invokedBy: declaredBy }));
  const notSuspended = input.obligations.filter((o) => !suspended.includes(o));
  let state = 'in_progress';
  let endedAt: Date | null = null;
  let exercised: { by: Actor; party: ForceMajeureParty; at: Date } | null = null;
  const view = (): ClockState => ({
    kind: 'force_majeure',
    accountId,
    state,
    nextDeadline: state === 'in_progress' ? iso(rightAt) : null,
    details: {
      caseId,
      declaredBy,
      startedAt: input.startedAt,
      notifiedAt: iso(notifiedAt),
      notificationDeadline: iso(notifyBy),
      lateNotification: late,
      suspendedObligations: suspended,
      notSuspendedObligations: notSuspended,
      terminationRightAt: iso(rightAt),
      endedAt: iso(endedAt),
      terminationExercisedBy: exercised?.party ?? null,
    },
  });
  setHandler(clockStateQuery, view);
  setHandler(
    endForceMajeure,
    async ({ by }) => {
      endedAt = nowDate();
      await acts.recordContractEvidence({
        key: `force-majeure-ended:${caseId}`,
        accountId,
        caseId,
        kind: 'force_majeure_ended',
        actor: by,
        payload: { clause: CLAUSE, endedAt: endedAt.toISOString() },
      });
      return view();
    },
    {
      validator: (_input) => {
        if (endedAt || (state !== 'in_progress' && state !== 'right_open'))
          throw failure(FailureType.CaseClosed, `the force majeure case is ${state}`);
      },
    },
  );
  setHandler(
    exerciseForceMajeureTermination,
    ({ by, party }) => {
      exercised = { by, party, at: nowDate() };
      return view();
    },
    {
      validator: (_input) => {
        if (state !== 'right_open' || exercised || endedAt) {
          const ended = endedAt ? ' and the force majeure has ended' : '';
          throw failure(
            FailureType.TerminationRightNotOpen,
            `the termination right opens at ${rightAt.toISOString()}${ended}`,
          );
        }
      },
    },
  );

  searchAttributes({ accountId, caseKind: 'force_majeure', state, next: rightAt });
  // The notification itself: in time, or late (flagged).
  await deadline({
    workflowId,
    kind: 'force_majeure_notification',
    accountId,
    clause: CLAUSE,
    dueAt: notifyBy,
    state: late ? 'missed' : 'closed',
    outcome: late ? 'notified_late' : 'notified_in_time',
  });
  await acts.sendContractNotice({
    key: `force-majeure:${caseId}`,
    accountId,
    caseId,
    kind: declaredBy === 'platform' ? 'force_majeure_notification' : 'force_majeure_acknowledgment',
    clause: CLAUSE,
    subject:
      declaredBy === 'platform'
        ? 'Force majeure notification'
        : 'Acknowledgment of receipt of your force majeure notification',
    text:
      `${declaredBy === 'platform' ? 'We notify you of' : 'We received your notification of'} a case of force majeure (article 11) that began on ${input.startedAt}: ${input.description}\n` +
      `Suspended while it lasts: ${suspended.join(', ') || 'none'}. Not suspended: ${notSuspended.join(', ') || 'none'} (payment obligations and prepaid Services are never suspended at the User's request).\n` +
      `If it continues beyond ${rightAt.toISOString()}, either party may terminate with immediate effect.`,
    payload: {
      declaredBy,
      startedAt: input.startedAt,
      notifiedAt: notifiedAt.toISOString(),
      lateNotification: late,
      suspended,
      notSuspended,
    },
  });
  await deadline({
    workflowId,
    kind: 'force_majeure_termination_right',
    accountId,
    clause: CLAUSE,
    dueAt: rightAt,
    state: 'open',
  });
  await acts.updateCase({
    caseId,
    state,
    details: {
      notifiedAt: notifiedAt.toISOString(),
      lateNotification: late,
      suspendedObligations: suspended,
      terminationRightAt: rightAt.toISOString(),
    },
  });

  const endedEarly = await raceDeadline(() => endedAt !== null, rightAt);
  if (endedEarly) {
    state = 'ended';
    await deadline({
      workflowId,
      kind: 'force_majeure_termination_right',
      accountId,
      clause: CLAUSE,
      dueAt: rightAt,
      state: 'closed',
      outcome: 'ended_before_right',
    });
    await acts.updateCase({ caseId, state, closed: true, details: { endedAt: iso(endedAt) } });
    searchAttributes({ accountId, caseKind: 'force_majeure', state, next: null });
    return view();
  }
  state = 'right_open';
  searchAttributes({ accountId, caseKind: 'force_majeure', state, next: null });
  await deadline({
    workflowId,
    kind: 'force_majeure_termination_right',
    accountId,
    clause: CLAUSE,
    dueAt: rightAt,
    state: 'closed',
    outcome: 'right_opened',
  });
  await acts.updateCase({ caseId, state });
  await condition(() => endedAt !== null || exercised !== null);
  if (exercised) {
    const x: { by: Actor; party: ForceMajeureParty; at: Date } = exercised;
    state = 'terminated';
    await acts.recordContractEvidence({
      key: `force-majeure-termination:${caseId}`,
      accountId,
      caseId,
      kind: 'force_majeure_termination',
      actor: x.by,
      payload: { clause: CLAUSE, party: x.party, at: x.at.toISOString(), compensation: 'none' },
    });
    await acts.terminateAccountFor({
      accountId,
      clause: CLAUSE,
      reason: `force majeure beyond one month (case ${caseId}), terminated by the ${x.party}`,
      by: x.by,
    });
  } else {
    state = 'ended';
  }
  await acts.updateCase({ caseId, state, closed: true, details: { endedAt: iso(endedAt) } });
  searchAttributes({ accountId, caseKind: 'force_majeure', state, next: null });
  return view();
}
