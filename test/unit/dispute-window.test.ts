import { canDispute, disputeDeadline, isDeemedAccepted } from '../../domain/dispute-window';
import { TERMS_2026_01, type TermsPolicy } from '../../domain/terms-policy';

const policy = TERMS_2026_01;

describe('dispute window (15 calendar days, Europe/Paris)', () => {
  it('When the invoice is made available on 20 March 2026 (CET) and the window ends after the spring DST change, then the deadline is 00:00 CEST on 5 April', () => {
    const madeAvailableAt = new Date('2026-03-20T15:00:00+01:00');
    const deadline = disputeDeadline(madeAvailableAt, policy);
    expect(deadline.toISOString()).toBe('2026-04-04T22:00:00.000Z'); // end of 4 April in Paris (UTC+2)
    expect(canDispute(madeAvailableAt, new Date(deadline.getTime() - 1000), policy)).toEqual({ ok: true, deadline });
    expect(canDispute(madeAvailableAt, new Date(deadline.getTime() - 1), policy)).toEqual({ ok: true, deadline });
    expect(canDispute(madeAvailableAt, deadline, policy)).toEqual({ ok: false, refused: 'deemed_accepted', deadline });
    expect(canDispute(madeAvailableAt, new Date(deadline.getTime() + 1000), policy)).toEqual({
      ok: false,
      refused: 'deemed_accepted',
      deadline,
    });
  });

  it('When made available late on 20 October 2026 (CEST) and the window ends after the autumn DST change, then the deadline is 00:00 CET on 5 November', () => {
    const madeAvailableAt = new Date('2026-10-20T23:30:00+02:00');
    const deadline = disputeDeadline(madeAvailableAt, policy);
    expect(deadline.toISOString()).toBe('2026-11-04T23:00:00.000Z');
    expect(canDispute(madeAvailableAt, new Date('2026-11-04T22:59:59Z'), policy).ok).toBe(true);
    expect(canDispute(madeAvailableAt, new Date('2026-11-04T23:00:01Z'), policy)).toMatchObject({
      ok: false,
      refused: 'deemed_accepted',
    });
  });

  it('When made available at 00:00 or at 23:59:59 Paris on the same date, then the deadline is the same (calendar days, not 24 h blocks)', () => {
    const early = disputeDeadline(new Date('2026-01-10T00:00:00+01:00'), policy);
    const late = disputeDeadline(new Date('2026-01-10T23:59:59+01:00'), policy);
    expect(early).toEqual(late);
    expect(early.toISOString()).toBe('2026-01-25T23:00:00.000Z'); // 00:00 Paris on 26 January
  });

  it('When made available at 23:30 UTC (already the next day in Paris), then days count from the Paris date', () => {
    // 2026-01-10T23:30Z is 00:30 on 11 January in Paris
    expect(disputeDeadline(new Date('2026-01-10T23:30:00Z'), policy).toISOString()).toBe('2026-01-26T23:00:00.000Z');
  });

  it('When a dispute is dated before the invoice was made available, then it is refused as not yet available', () => {
    const madeAvailableAt = new Date('2026-01-10T12:00:00Z');
    expect(canDispute(madeAvailableAt, new Date('2026-01-10T11:59:59Z'), policy)).toMatchObject({
      ok: false,
      refused: 'not_yet_available',
    });
  });

  it('When the terms version has another dispute duration, then the policy’s duration is used', () => {
    const thirty: TermsPolicy = {
      ...policy,
      version: 'test-30',
      invoiceDispute: { unit: 'calendarDaysEnd', amount: 30 },
    };
    expect(disputeDeadline(new Date('2026-01-10T12:00:00Z'), thirty).toISOString()).toBe('2026-02-09T23:00:00.000Z');
  });

  it('When decided on a known deadline (the invoice workflow, the API fallback), then 1 ms before it is in time and at it the invoice is deemed accepted', () => {
    const deadline = new Date('2026-01-25T23:00:00.000Z');
    expect(isDeemedAccepted(deadline, new Date(deadline.getTime() - 1))).toBe(false);
    expect(isDeemedAccepted(deadline, deadline)).toBe(true);
    expect(isDeemedAccepted(deadline, new Date(deadline.getTime() + 1))).toBe(true);
  });
});
