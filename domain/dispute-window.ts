// Invoice dispute window (ToS 7.3). No I/O, no Node built-ins: workflows import this module.
//
// Written-down rule: a dispute must reach us "within fifteen calendar days of the invoice being
// made available". With the policy's `invoiceDispute` duration ({ calendarDaysEnd, 15 }) the
// deadline is the exclusive end of the 15th Paris calendar day after the Paris date the invoice
// was made available: 00:00 Europe/Paris on D + 16. A dispute at deadline - 1 ms is in time; at
// the deadline the invoice is deemed accepted. Across a DST change the deadline stays at Paris
// midnight (its UTC offset follows the change).
import { applyDuration, type TermsPolicy } from './terms-policy';

/** Exclusive deadline: a dispute strictly before it is accepted. */
export function disputeDeadline(madeAvailableAt: Date, policy: TermsPolicy): Date {
  if (!(madeAvailableAt instanceof Date) || Number.isNaN(madeAvailableAt.getTime())) {
    throw new RangeError('madeAvailableAt must be a valid Date');
  }
  return applyDuration(madeAvailableAt, policy.invoiceDispute);
}

/**
 * The rule on a known deadline: strictly before it a dispute is in time; at it and after, the
 * invoice is deemed accepted. The invoice workflow decides with it on its clock (deadline from its
 * input), the API's fallback on the deadline stored with the invoice, canDispute below on the policy.
 */
export function isDeemedAccepted(deadline: Date, at: Date): boolean {
  return at.getTime() >= deadline.getTime();
}

export type DisputeDecision =
  | { ok: true; deadline: Date }
  | { ok: false; refused: 'deemed_accepted'; deadline: Date }
  | { ok: false; refused: 'not_yet_available'; deadline: Date };

export function canDispute(madeAvailableAt: Date, at: Date, policy: TermsPolicy): DisputeDecision {
  const deadline = disputeDeadline(madeAvailableAt, policy);
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new RangeError('at must be a valid Date');
  if (at.getTime() < madeAvailableAt.getTime()) return { ok: false, refused: 'not_yet_available', deadline };
  if (isDeemedAccepted(deadline, at)) return { ok: false, refused: 'deemed_accepted', deadline };
  return { ok: true, deadline };
}
