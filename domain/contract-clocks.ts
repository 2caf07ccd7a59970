// The contract's clocks as pure rules (ToS 3.2–11, 12; docs/contract.md): instants and a TermsPolicy in, instants and
// decisions out. No I/O, no Node built-ins, no clock reading: workflows race durable timers
// against events using the deadlines computed here.
//
// Boundary conventions (each function restates the one it uses):
// - "deadline" (exclusive): the first instant that is LATE. In time iff `at < deadline`.
//   Calendar-day periods end at 00:00 Paris after their last day (see calendar.ts).
// - "…At" for a right or a binding effect: it is open / in force iff `at >= instant`.
// - Contract end (`termExpiry`, `packEnd`): the contract is in force iff `at < end`.
// - User claims (9 / 1.4) are the one exception: the period's end instant itself is still in time
//   (in time iff `at <= end`). The terms are an adhesion contract drafted by the platform, read
//   in the User's favour at the boundary (art. 1190 Code civil).
import { addHours } from './calendar';
import { applyDuration, type Duration, type TermsPolicy } from './terms-policy';

function assertInstant(name: string, d: Date): void {
  if (!(d instanceof Date) || !Number.isFinite(d.getTime())) {
    throw new RangeError(`${name}: invalid instant ${String(d)}`);
  }
}

function scale(d: Duration, k: number): Duration {
  return { unit: d.unit, amount: d.amount * k } as Duration;
}

// ---------------------------------------------------------------------------------------------
// 3.2 i — Subscription term

/**
 * 3.2 i: "In the event of a Subscription, the T&Cs have an annual term from the Effective date.
 * At the end of this initial Subscription period, the T&Cs are automatically renewed for
 * identical successive periods".
 *
 * Rule: term n (0 = initial) ends at effectiveDate + (n+1) × subscriptionTerm, computed from the
 * Effective Date every time (never by chaining), same Paris wall-clock time. 31 January stays
 * 31 January every year. A 29 February Effective Date expires on 28 February in common years
 * and on 29 February in leap years (clamping, as art. 641 CPC; no drift to 28 February for
 * ever). The contract is in force iff `at < expiry`; the next term starts at that instant.
 */
export function termExpiry(effectiveDate: Date, termIndex: number, policy: TermsPolicy): Date {
  assertInstant('effectiveDate', effectiveDate);
  if (!Number.isInteger(termIndex) || termIndex < 0) {
    throw new RangeError(`termIndex must be a whole number >= 0, got ${termIndex}`);
  }
  return applyDuration(effectiveDate, scale(policy.subscriptionTerm, termIndex + 1));
}

/**
 * Index of the Subscription term in progress at `at` (0 = initial term):
 * termExpiry(n-1) <= at < termExpiry(n), with termExpiry(-1) = effectiveDate.
 */
export function currentTermIndex(effectiveDate: Date, at: Date, policy: TermsPolicy): number {
  assertInstant('at', at);
  const first = termExpiry(effectiveDate, 0, policy).getTime();
  const start = effectiveDate.getTime();
  if (at.getTime() < start) throw new RangeError('instant before the Effective Date');
  if (first <= start) throw new RangeError('subscriptionTerm must be positive');
  // Estimate from the first term's length, then correct (term lengths vary by a few days).
  let n = Math.max(0, Math.floor((at.getTime() - start) / (first - start)) - 1);
  while (n > 0 && termExpiry(effectiveDate, n - 1, policy).getTime() > at.getTime()) n--;
  while (termExpiry(effectiveDate, n, policy).getTime() <= at.getTime()) n++;
  return n;
}

/**
 * 3.2 i: "unless terminated by either Party by email by acknowledgment of receipt thirty (30)
 * days before the expiration of the current Subscription period."
 *
 * Rule: the notice must be RECEIVED at least 30 calendar days before the Paris date of the
 * expiry: the last day that counts is (expiry date − 30). Returns the exclusive cut-off,
 * 00:00 Paris on (expiry date − 29): a notice received at cut-off − 1 ms is in time, at the
 * cut-off it is not (it then applies to the next expiry).
 */
export function renewalNoticeCutoff(expiry: Date, policy: TermsPolicy): Date {
  assertInstant('expiry', expiry);
  return applyDuration(expiry, policy.renewalNoticeBeforeExpiry);
}

/**
 * 3.2 i (and 3.3: a User refusing new terms terminates "in accordance with Article 3.2 (i)").
 *
 * Rule: the contract ends at the first term expiry, from the term in progress at receipt
 * onwards, whose cut-off (`renewalNoticeCutoff`) is strictly after `noticeReceivedAt`: the
 * current term's expiry if received before its cut-off, otherwise the next one.
 */
export function noticeAppliesTo(args: {
  effectiveDate: Date;
  noticeReceivedAt: Date;
  policy: TermsPolicy;
}): Date {
  const { effectiveDate, noticeReceivedAt, policy } = args;
  let n = currentTermIndex(effectiveDate, noticeReceivedAt, policy);
  for (let guard = 0; guard < 10_000; guard++, n++) {
    const expiry = termExpiry(effectiveDate, n, policy);
    if (noticeReceivedAt.getTime() < renewalNoticeCutoff(expiry, policy).getTime()) return expiry;
  }
  throw new RangeError('renewal notice period never fits in a term: check the policy');
}

// ---------------------------------------------------------------------------------------------
// 3.2 ii — Pack

/**
 * 3.2 ii: "In the event of a Pack, the CGS remain in force until the expiry of a period of one
 * (1) year from the last use of the Services by the User."
 *
 * Rule: end = lastUseAt + 1 year, same Paris wall-clock time (29 February → 28 February).
 * In force iff `at < end`. Every later use moves the end: call again with the new last use.
 */
export function packEnd(lastUseAt: Date, policy: TermsPolicy): Date {
  assertInstant('lastUseAt', lastUseAt);
  return applyDuration(lastUseAt, policy.packValidityAfterLastUse);
}

// ---------------------------------------------------------------------------------------------
// 3.3 — Terms change

/**
 * 3.3: "The modifications will be notified to the User by e-mail and will enter into force (1)
 * month after the sending of the notification."
 *
 * Rule: binds at the same Paris wall-clock time on the same-numbered day of the next month,
 * clamped to the month's end (notified 31 January 10:00 → 28 February 10:00, 29 February in a
 * leap year). The new version binds iff `at >= termsBindingAt`.
 */
export function termsBindingAt(notificationSentAt: Date, policy: TermsPolicy): Date {
  assertInstant('notificationSentAt', notificationSentAt);
  return applyDuration(notificationSentAt, policy.termsChangeTakesEffect);
}

// ---------------------------------------------------------------------------------------------
// 10.1 — Formal notice

/**
 * 10.1: "In the event of a serious and/or repeated breach by the User … not repaired within
 * seven (7) calendar days of a formal notice to remedy it notified by e-mail with
 * acknowledgment of receipt, Octopush may automatically terminate the T&Cs".
 *
 * Rule: the notice is sent on Paris date D; the cure period ends at the end of D+7. Returns
 * the exclusive deadline 00:00 Paris on D+8. Counted from the instant passed in (the sending:
 * 10.1 "notified by e-mail"); weekends, holidays and DST changes do not move it.
 */
export function cureDeadline(noticeSentAt: Date, policy: TermsPolicy): Date {
  assertInstant('noticeSentAt', noticeSentAt);
  return applyDuration(noticeSentAt, policy.formalNoticeCure);
}

/** 10.1: cured in time iff `curedAt < deadline` (deadline from `cureDeadline`). */
export function isCuredInTime(curedAt: Date, deadline: Date): boolean {
  assertInstant('curedAt', curedAt);
  assertInstant('deadline', deadline);
  return curedAt.getTime() < deadline.getTime();
}

// ---------------------------------------------------------------------------------------------
// 10.2 — Data return

/**
 * 10.2: "if the T&Cs are terminated under the conditions of Article 10.1, to ask Octopush,
 * within seven (7) calendar days of the termination of the T&Cs, to return its Data to it."
 *
 * Rule: termination on Paris date D → exclusive deadline 00:00 Paris on D+8; a request is in
 * time iff `requestedAt < deadline`.
 */
export function dataReturnRequestDeadline(terminatedAt: Date, policy: TermsPolicy): Date {
  assertInstant('terminatedAt', terminatedAt);
  return applyDuration(terminatedAt, policy.dataReturnRequest);
}

// ---------------------------------------------------------------------------------------------
// 11 — Force majeure

/**
 * 11: "provided that the Party being affected by the case of force majeure informs the other
 * Party by e-mail with acknowledgment of receipt within seven (7) days from the appearance of
 * the case of force majeure".
 *
 * Rule: "7 days" read as calendar days (docs/contract.md, reading the terms): appearance on
 * Paris date D → exclusive deadline 00:00 Paris on D+8.
 */
export function forceMajeureNotificationDeadline(startedAt: Date, policy: TermsPolicy): Date {
  assertInstant('startedAt', startedAt);
  return applyDuration(startedAt, policy.forceMajeureNotification);
}

/** 11: late iff `notifiedAt >= forceMajeureNotificationDeadline(startedAt)`. */
export function isLateNotification(startedAt: Date, notifiedAt: Date, policy: TermsPolicy): boolean {
  assertInstant('notifiedAt', notifiedAt);
  return notifiedAt.getTime() >= forceMajeureNotificationDeadline(startedAt, policy).getTime();
}

/**
 * 11: "if the impossibility to perform or the delay in performance continues beyond a period of
 * one (1) month from the aforementioned notification, each of the Parties may terminate the
 * T&Cs with immediate effect by written notification".
 *
 * Rule: notification + 1 month, same Paris wall-clock time, clamped to the month's end. The
 * right is open iff `at >= rightAt` and the force majeure still persists (the caller's fact).
 */
export function forceMajeureTerminationRightAt(notifiedAt: Date, policy: TermsPolicy): Date {
  assertInstant('notifiedAt', notifiedAt);
  return applyDuration(notifiedAt, policy.forceMajeureTerminationRight);
}

/** 11: the termination right is open at `at` iff `at >= forceMajeureTerminationRightAt`. */
export function isForceMajeureTerminationRightOpen(
  notifiedAt: Date,
  at: Date,
  policy: TermsPolicy,
): boolean {
  assertInstant('at', at);
  return at.getTime() >= forceMajeureTerminationRightAt(notifiedAt, policy).getTime();
}

export type ObligationKind =
  | 'service_delivery'
  | 'support'
  | 'maintenance'
  | 'data_return'
  | 'payment'
  | 'prepaid_services'
  | 'personal_data_breach_notification';

export type ForceMajeureParty = 'user' | 'platform';

/**
 * 11: "The execution of the obligations under the CGS is suspended as long as the case of force
 * majeure persists." … "the User will not be able to claim a case of force majeure in respect
 * of his financial obligations or the impossibility of benefiting from the Services that he
 * would have paid in advance."
 *
 * Rule: suspended while it lasts, except:
 * - 'payment': never (the User's financial obligations; by either party's invocation).
 * - 'prepaid_services': not when invoked by the User (no extension or refund of prepaid
 *   Services); when the platform is the affected party, delivering them is suspended.
 * - 'personal_data_breach_notification': never. CHOICE to confirm with counsel: a statutory
 *   duty (GDPR art. 33(2), Annex 2.3.3) that a contract clause cannot suspend.
 */
export function forceMajeureMaySuspend(args: {
  obligation: ObligationKind;
  invokedBy: ForceMajeureParty;
}): boolean {
  switch (args.obligation) {
    case 'payment':
    case 'personal_data_breach_notification':
      return false;
    case 'prepaid_services':
      return args.invokedBy !== 'user';
    case 'service_delivery':
    case 'support':
    case 'maintenance':
    case 'data_return':
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// 9 (1.4) — Liability claims

export interface ClaimIntake {
  accepted: boolean;
  refusal?: 'notice_late' | 'time_barred';
  /** Last instant a claim notice is in time (inclusive). */
  noticeDeadline: Date;
  /** End of the 2-year period; a claim notified strictly after it is time-barred. */
  barredAt: Date;
  /** First instant of the cap look-back window (inclusive); the window ends at the event. */
  capWindowStart: Date;
  capCents: number;
}

/**
 * 9 / 1.4: "it will be up to the User to inform Octopush in writing within one (1) month of the
 * event in question." … "Octopush's liability will be limited … at the price paid by the User
 * for the last twelve (12) months preceding the triggering event." … "The liability of
 * Octopush can no longer be engaged after the expiry of a period of two (2) years from the
 * occurrence of the event giving rise to liability."
 *
 * Rules (boundaries in the User's favour, art. 1190 C. civ.):
 * - noticeDeadline = event + 1 month (Paris wall clock, clamped); in time iff notifiedAt <= it.
 * - barredAt = event + 2 years; time-barred iff notifiedAt > barredAt. 'time_barred' wins over
 *   'notice_late' when both apply.
 * - cap = sum of payments received with event − 12 months <= at <= event (both bounds
 *   inclusive), never below 0. The cap is computed even when the claim is refused.
 */
export function claimIntake(args: {
  eventAt: Date;
  notifiedAt: Date;
  paymentsReceived: ReadonlyArray<{ at: Date; amountCents: number }>;
  policy: TermsPolicy;
}): ClaimIntake {
  const { eventAt, notifiedAt, paymentsReceived, policy } = args;
  assertInstant('eventAt', eventAt);
  assertInstant('notifiedAt', notifiedAt);
  if (notifiedAt.getTime() < eventAt.getTime()) {
    throw new RangeError('claim notified before the event it is about');
  }
  const noticeDeadline = applyDuration(eventAt, policy.claimNotice);
  const barredAt = applyDuration(eventAt, policy.claimBar);
  const capWindowStart = applyDuration(eventAt, policy.liabilityCapLookback);
  if (capWindowStart.getTime() > eventAt.getTime()) {
    throw new RangeError('liabilityCapLookback must look back (negative duration)');
  }
  let sum = 0;
  for (const p of paymentsReceived) {
    assertInstant('payment.at', p.at);
    if (!Number.isSafeInteger(p.amountCents)) {
      throw new RangeError(`amountCents must be a whole number of cents, got ${p.amountCents}`);
    }
    const t = p.at.getTime();
    if (t >= capWindowStart.getTime() && t <= eventAt.getTime()) sum += p.amountCents;
  }
  const capCents = Math.max(0, sum);
  const t = notifiedAt.getTime();
  const refusal =
    t > barredAt.getTime() ? 'time_barred' : t > noticeDeadline.getTime() ? 'notice_late' : undefined;
  return refusal
    ? { accepted: false, refusal, noticeDeadline, barredAt, capWindowStart, capCents }
    : { accepted: true, noticeDeadline, barredAt, capWindowStart, capCents };
}

// ---------------------------------------------------------------------------------------------
// Annex 2.3.3 — Personal-data breach

/**
 * Annex 2.3.3: "As soon as it becomes aware of it and at the latest within thirty-six (36)
 * hours, Octopush notifies the User of any violation of Personal Data".
 *
 * Rule: an instant rule, not a calendar one: awareAt + 36 × 3600 s exactly, DST changes
 * included. Exclusive: a notification at the 36th hour itself is late (our own obligation,
 * read strictly against us).
 */
export function breachNotificationDeadline(awareAt: Date, policy: TermsPolicy): Date {
  assertInstant('awareAt', awareAt);
  return applyDuration(awareAt, policy.dataBreachNotification);
}

/** Annex 2.3.3: late iff `notifiedAt >= breachNotificationDeadline(awareAt)`. */
export function isBreachNotificationLate(awareAt: Date, notifiedAt: Date, policy: TermsPolicy): boolean {
  assertInstant('notifiedAt', notifiedAt);
  return notifiedAt.getTime() >= breachNotificationDeadline(awareAt, policy).getTime();
}

// ---------------------------------------------------------------------------------------------
// 6.4.3 — Maintenance

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
