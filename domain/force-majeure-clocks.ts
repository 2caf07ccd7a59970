// 11 — Force majeure as pure rules (ToS 11; docs/contract.md): the notification deadline, the
// termination right one month after the notification, and which obligations a force majeure
// suspends. Boundary conventions as in contract-clocks.ts: a "deadline" is the first instant
// that is LATE; a right is open iff `at >= …At`.
import { assertInstant } from './clock-instants';
import { applyDuration, type TermsPolicy } from './terms-policy';

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
export function isForceMajeureTerminationRightOpen(notifiedAt: Date, at: Date, policy: TermsPolicy): boolean {
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
export function forceMajeureMaySuspend(args: { obligation: ObligationKind; invokedBy: ForceMajeureParty }): boolean {
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
