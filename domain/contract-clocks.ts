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
//
// Other clause groups: 11 force majeure (force-majeure-clocks.ts), 9 / 1.4 liability claims
// (claim-clocks.ts), 6.4.3 maintenance (maintenance-clocks.ts).
import { assertInstant } from './clock-instants';
import { applyDuration, type Duration, type TermsPolicy } from './terms-policy';

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
export function noticeAppliesTo(args: { effectiveDate: Date; noticeReceivedAt: Date; policy: TermsPolicy }): Date {
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

// Re-exported for the workflows and routes that import the clocks from here.
export {
  forceMajeureMaySuspend,
  forceMajeureNotificationDeadline,
  forceMajeureTerminationRightAt,
  isLateNotification,
  type ForceMajeureParty,
  type ObligationKind,
} from './force-majeure-clocks';
export { claimIntake } from './claim-clocks';
export { maintenanceAnnounceBy } from './maintenance-clocks';
