// 6.4.3 — Maintenance window (id `maintenance:<windowId>`): a scheduled window is announced to
// Users by e-mail in advance (the policy's notice, flagged if late); an emergency window skips
// the notice and is marked as such. The API answers 503 with Retry-After while a window is in
// progress (api/maintenance.ts reads maintenance_windows); this workflow keeps the window's state.
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { maintenanceAnnounceBy } from '../domain/contract-clocks';
import { cancelMaintenance, clockStateQuery, type ClockState } from './messages';
import { acts, deadline, iso, nowDate, raceDeadline, searchAttributes } from './clock-support';

export interface MaintenanceInput {
  windowId: string;
  startsAt: string;
  endsAt: string;
  emergency: boolean;
  termsVersion: string;
}

const CLAUSE = '6.4.3';

export async function maintenanceWorkflow(input: MaintenanceInput): Promise<ClockState> {
  const { windowId, emergency } = input;
  const workflowId = workflowInfo().workflowId;
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  let state = 'scheduled';
  let cancelled = false;
  let announcedAt: Date | null = null;
  let announcedInTime: boolean | null = null;
  const view = (): ClockState => ({
    kind: 'maintenance',
    accountId: null,
    state,
    nextDeadline: state === 'scheduled' ? iso(startsAt) : state === 'in_progress' ? iso(endsAt) : null,
    details: {
      windowId,
      emergency,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      announcedAt: iso(announcedAt),
      announcedInTime,
    },
  });
  setHandler(clockStateQuery, view);
  setHandler(cancelMaintenance, () => {
    cancelled = true;
  });

  searchAttributes({ caseKind: emergency ? 'maintenance_emergency' : 'maintenance', state, next: startsAt });
  if (!emergency) {
    const policy = await acts.loadTermsPolicy({ version: input.termsVersion });
    const announceBy = maintenanceAnnounceBy({ startsAt, endsAt, emergency }, policy);
    await acts.announceMaintenance({ windowId });
    announcedAt = nowDate();
    announcedInTime = announcedAt.getTime() <= announceBy.getTime();
    await deadline({
      workflowId,
      kind: 'maintenance_announcement',
      accountId: null,
      clause: CLAUSE,
      dueAt: announceBy,
      state: announcedInTime ? 'closed' : 'missed',
      outcome: announcedInTime ? 'announced' : 'announced_late',
    });
  }
  await deadline({
    workflowId,
    kind: 'maintenance_window_start',
    accountId: null,
    clause: CLAUSE,
    dueAt: startsAt,
    state: 'open',
  });
  await acts.setMaintenanceState({ windowId, state });
  await raceDeadline(() => cancelled, startsAt);
  if (!cancelled) {
    state = 'in_progress';
    searchAttributes({ caseKind: emergency ? 'maintenance_emergency' : 'maintenance', state, next: endsAt });
    await deadline({
      workflowId,
      kind: 'maintenance_window_start',
      accountId: null,
      clause: CLAUSE,
      dueAt: startsAt,
      state: 'closed',
      outcome: 'started',
    });
    await acts.setMaintenanceState({ windowId, state });
    await raceDeadline(() => cancelled, endsAt);
  } else {
    await deadline({
      workflowId,
      kind: 'maintenance_window_start',
      accountId: null,
      clause: CLAUSE,
      dueAt: startsAt,
      state: 'closed',
      outcome: 'cancelled',
    });
  }
  state = cancelled ? 'cancelled' : 'over';
  await acts.setMaintenanceState({ windowId, state });
  searchAttributes({ caseKind: emergency ? 'maintenance_emergency' : 'maintenance', state, next: null });
  return view();
}
