// Annex 2.3.3 — Personal-data breach (id `data-breach:<caseId>`): the affected Users are
// notified within 36 hours of awareness (the policy's duration, an instant rule). The deadline
// is tracked per account; when it passes without the notification it is flagged (missed), and
// the notification is still owed and tracked until sent.
import { condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { breachNotificationDeadline, isBreachNotificationLate } from '../domain/contract-clocks';
import { clockStateQuery, notifyDataBreach, type Actor, type ClockState } from './messages';
import { acts, deadline, iso, nowDate, raceDeadline, searchAttributes } from './clock-support';
import { failure, FailureType } from './failures';

export interface DataBreachInput {
  caseId: string;
  accountIds: string[];
  awareAt: string;
  description: string;
}

const CLAUSE = 'Annex 2.3.3';
const KIND = 'data_breach_notification';

export async function dataBreachWorkflow({
  caseId,
  accountIds,
  awareAt,
  description,
}: DataBreachInput): Promise<ClockState> {
  const workflowId = workflowInfo().workflowId;
  const aware = new Date(awareAt);
  const due = new Map<string, { by: Date; policy: Awaited<ReturnType<typeof acts.loadContract>>['policy'] }>();
  for (const accountId of accountIds) {
    const { policy } = await acts.loadContract({ accountId });
    due.set(accountId, { by: breachNotificationDeadline(aware, policy), policy });
  }
  const earliest = new Date(Math.min(...[...due.values()].map((d) => d.by.getTime())));
  let state = 'awaiting_notification';
  let notification: { summary: string; by: Actor; at: Date } | null = null;
  let overdue = false;
  const view = (): ClockState => ({
    kind: 'data_breach',
    accountId: accountIds.length === 1 ? accountIds[0] : null,
    state,
    nextDeadline: state === 'awaiting_notification' ? iso(earliest) : null,
    details: {
      caseId,
      awareAt,
      notificationDeadline: iso(earliest),
      overdue,
      notifiedAt: iso(notification?.at),
      accounts: accountIds.length,
    },
  });
  setHandler(clockStateQuery, view);
  setHandler(
    notifyDataBreach,
    ({ summary, by }) => {
      notification = { summary, by, at: nowDate() };
      return view();
    },
    {
      validator: (_input) => {
        if (notification) throw failure(FailureType.AlreadyNotified, 'the Users were already notified');
      },
    },
  );

  searchAttributes({
    accountId: accountIds.length === 1 ? accountIds[0] : null,
    caseKind: 'data_breach',
    state,
    next: earliest,
  });
  for (const [accountId, d] of due) {
    await deadline({
      workflowId,
      kind: KIND,
      subject: accountId,
      accountId,
      clause: CLAUSE,
      dueAt: d.by,
      state: 'open',
    });
  }
  const inTime = await raceDeadline(() => notification !== null, earliest);
  if (!inTime) {
    // Flag the miss at once; the notification is still owed.
    overdue = true;
    state = 'notification_overdue';
    searchAttributes({ caseKind: 'data_breach', state, next: null });
    for (const [accountId, d] of due) {
      await deadline({
        workflowId,
        kind: KIND,
        subject: accountId,
        accountId,
        clause: CLAUSE,
        dueAt: d.by,
        state: 'missed',
        outcome: 'overdue',
      });
    }
    await acts.updateCase({ caseId, state, details: { overdue: true } });
    await condition(() => notification !== null);
  }
  const n: { summary: string; by: Actor; at: Date } = notification!;
  for (const [accountId, d] of due) {
    await acts.sendContractNotice({
      key: `data-breach:${caseId}:${accountId}`,
      accountId,
      caseId,
      kind: 'data_breach_notification',
      clause: CLAUSE,
      subject: 'Personal data breach notification',
      text: `We inform you, as processor (Annex 2.3.3), of a personal data breach we became aware of on ${awareAt}.\n${n.summary}`,
      payload: { awareAt, description, notifiedAt: n.at.toISOString() },
    });
    const late = isBreachNotificationLate(aware, n.at, d.policy);
    await deadline({
      workflowId,
      kind: KIND,
      subject: accountId,
      accountId,
      clause: CLAUSE,
      dueAt: d.by,
      state: late ? 'missed' : 'closed',
      outcome: late ? 'notified_late' : 'notified',
    });
  }
  state = 'notified';
  await acts.updateCase({ caseId, state, closed: true, details: { notifiedAt: n.at.toISOString(), late: overdue } });
  searchAttributes({ caseKind: 'data_breach', state, next: null });
  return view();
}
