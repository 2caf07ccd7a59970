// 9 (1.4) — Liability claims as a pure rule (ToS 9, 1.4; docs/contract.md): whether a User's
// claim is in time (one month to notify, two years before it is barred) and its cap (the price
// paid over the twelve months before the event). Unlike the other clocks, the period's end
// instant itself is still in time: the terms are read in the User's favour (art. 1190 C. civ.).
import { assertInstant } from './clock-instants';
import { applyDuration, type TermsPolicy } from './terms-policy';

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
  const refusal = t > barredAt.getTime() ? 'time_barred' : t > noticeDeadline.getTime() ? 'notice_late' : undefined;
  return refusal
    ? { accepted: false, refusal, noticeDeadline, barredAt, capWindowStart, capCents }
    : { accepted: true, noticeDeadline, barredAt, capWindowStart, capCents };
}
