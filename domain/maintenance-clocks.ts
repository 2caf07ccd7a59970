// 6.4.3 — Maintenance windows as pure rules (ToS 6.4.3; docs/contract.md): a window's state at
// an instant, the Retry-After of the 503 answered during it, and the latest instant a scheduled
// window must be announced by (emergency windows need no announcement).
import { addHours } from './calendar';
import { assertInstant } from './clock-instants';
import type { TermsPolicy } from './terms-policy';

export interface MaintenanceWindow {
  startsAt: Date;
  /** Exclusive: the platform is available again at `endsAt`. */
  endsAt: Date;
  /** Emergency maintenance needs no advance information (6.4.3). */
  emergency: boolean;
  /** When Users were informed; absent if they never were. */
  announcedAt?: Date;
}

export type MaintenanceState = 'scheduled' | 'in_progress' | 'over';

function assertWindow(w: MaintenanceWindow): void {
  assertInstant('window.startsAt', w.startsAt);
  assertInstant('window.endsAt', w.endsAt);
  if (w.endsAt.getTime() <= w.startsAt.getTime()) throw new RangeError('window ends before it starts');
}

/**
 * 6.4.3: "Octopush reserves the right to suspend access to the Platform and/or the Services for
 * the purpose of scheduled maintenance interventions".
 *
 * Rule: 'scheduled' iff at < startsAt; 'in_progress' iff startsAt <= at < endsAt; 'over' iff
 * at >= endsAt.
 */
export function maintenanceState(window: MaintenanceWindow, at: Date): MaintenanceState {
  assertWindow(window);
  assertInstant('at', at);
  if (at.getTime() < window.startsAt.getTime()) return 'scheduled';
  if (at.getTime() < window.endsAt.getTime()) return 'in_progress';
  return 'over';
}

/**
 * Retry-After for the 503 answered during a window: whole seconds until `endsAt`, rounded up
 * (at least 1). null when the window is not in progress (no 503 to answer).
 */
export function retryAfterSeconds(window: MaintenanceWindow, at: Date): number | null {
  if (maintenanceState(window, at) !== 'in_progress') return null;
  return Math.max(1, Math.ceil((window.endsAt.getTime() - at.getTime()) / 1000));
}

/**
 * 6.4.3: "of which the User will be informed in advance, except in an emergency".
 *
 * Rule: a scheduled window is announced at least `policy.maintenanceNoticeHours` real hours
 * before it starts (48 in TERMS_2026_01 — an OPERATIONAL CHOICE, the terms say only "in
 * advance"). Returns the latest announcement instant, inclusive: announced exactly 48 h before
 * is in time.
 */
export function maintenanceAnnounceBy(window: MaintenanceWindow, policy: TermsPolicy): Date {
  assertWindow(window);
  return addHours(window.startsAt, -policy.maintenanceNoticeHours);
}

/** 6.4.3: emergency windows always comply; others iff announcedAt <= maintenanceAnnounceBy. */
export function isMaintenanceAnnouncedInTime(window: MaintenanceWindow, policy: TermsPolicy): boolean {
  if (window.emergency) return true;
  if (!window.announcedAt) return false;
  assertInstant('window.announcedAt', window.announcedAt);
  return window.announcedAt.getTime() <= maintenanceAnnounceBy(window, policy).getTime();
}
