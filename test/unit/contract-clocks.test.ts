import { claimIntake } from '../../domain/claim-clocks';
import {
  breachNotificationDeadline,
  cureDeadline,
  currentTermIndex,
  dataReturnRequestDeadline,
  isBreachNotificationLate,
  isCuredInTime,
  noticeAppliesTo,
  packEnd,
  renewalNoticeCutoff,
  termExpiry,
  termsBindingAt,
} from '../../domain/contract-clocks';
import {
  forceMajeureMaySuspend,
  forceMajeureNotificationDeadline,
  forceMajeureTerminationRightAt,
  isForceMajeureTerminationRightOpen,
  isLateNotification,
} from '../../domain/force-majeure-clocks';
import {
  isMaintenanceAnnouncedInTime,
  maintenanceAnnounceBy,
  maintenanceState,
  type MaintenanceWindow,
  retryAfterSeconds,
} from '../../domain/maintenance-clocks';
import { TERMS_2026_01, type TermsPolicy, testTermsPolicy } from '../../domain/terms-policy';

const P = TERMS_2026_01;
const t = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();
const MONTHLY: TermsPolicy = { ...TERMS_2026_01, version: 'monthly', subscriptionTerm: { unit: 'months', amount: 1 } };

describe('3.2 i — termExpiry', () => {
  it('When the Effective Date is 15 January 10:00 Paris, then term n ends on 15 January of year n+1 at 10:00 Paris', () => {
    const eff = t('2026-01-15T09:00:00Z');
    expect(iso(termExpiry(eff, 0, P))).toBe('2027-01-15T09:00:00.000Z');
    expect(iso(termExpiry(eff, 2, P))).toBe('2029-01-15T09:00:00.000Z');
  });
  it('When the Effective Date is in summer (CEST), then every expiry keeps 10:00 Paris', () => {
    expect(iso(termExpiry(t('2026-07-01T08:00:00Z'), 0, P))).toBe('2027-07-01T08:00:00.000Z');
  });
  it('When the Effective Date is 29 February, then expiries are 28 February in common years and 29 February in leap years', () => {
    const eff = t('2028-02-29T09:00:00Z');
    expect(iso(termExpiry(eff, 0, P))).toBe('2029-02-28T09:00:00.000Z');
    expect(iso(termExpiry(eff, 1, P))).toBe('2030-02-28T09:00:00.000Z');
    expect(iso(termExpiry(eff, 3, P))).toBe('2032-02-29T09:00:00.000Z');
    expect(iso(termExpiry(eff, 4, P))).toBe('2033-02-28T09:00:00.000Z');
  });
  it('When terms are monthly from 31 January, then expiries are computed from the Effective Date and do not drift to the 28th', () => {
    const eff = t('2027-01-31T09:00:00Z');
    expect(iso(termExpiry(eff, 0, MONTHLY))).toBe('2027-02-28T09:00:00.000Z');
    expect(iso(termExpiry(eff, 1, MONTHLY))).toBe('2027-03-31T08:00:00.000Z'); // CEST since 28 March
    expect(iso(termExpiry(eff, 2, MONTHLY))).toBe('2027-04-30T08:00:00.000Z');
  });
  it('When the term index is negative or fractional, then it throws', () => {
    expect(() => termExpiry(t('2026-01-15T09:00:00Z'), -1, P)).toThrow(RangeError);
    expect(() => termExpiry(t('2026-01-15T09:00:00Z'), 0.5, P)).toThrow(RangeError);
  });
});

describe('3.2 i — currentTermIndex', () => {
  const eff = t('2026-01-15T09:00:00Z');
  it('When the instant is 1 ms before the first expiry, then it is term 0; at the expiry, term 1', () => {
    expect(currentTermIndex(eff, eff, P)).toBe(0);
    expect(currentTermIndex(eff, t('2027-01-15T08:59:59.999Z'), P)).toBe(0);
    expect(currentTermIndex(eff, t('2027-01-15T09:00:00.000Z'), P)).toBe(1);
  });
  it('When the instant is 14 years later exactly, then it is term 14', () => {
    expect(currentTermIndex(eff, t('2040-01-15T09:00:00Z'), P)).toBe(14);
    expect(currentTermIndex(eff, t('2040-01-15T08:59:59.999Z'), P)).toBe(13);
  });
  it('When the instant is before the Effective Date, then it throws', () => {
    expect(() => currentTermIndex(eff, t('2026-01-15T08:59:59.999Z'), P)).toThrow(RangeError);
  });
});

describe('3.2 i — renewalNoticeCutoff and noticeAppliesTo', () => {
  const eff = t('2026-01-15T09:00:00Z');
  it('When the expiry is 15 January 2027 10:00 Paris, then the cut-off is 17 December 2026 00:00 Paris', () => {
    expect(iso(renewalNoticeCutoff(t('2027-01-15T09:00:00Z'), P))).toBe('2026-12-16T23:00:00.000Z');
  });
  it('When a notice is received on the cut-off day (16 December 23:59:59 Paris), then the contract ends at the current expiry', () => {
    const end = noticeAppliesTo({ effectiveDate: eff, noticeReceivedAt: t('2026-12-16T22:59:59Z'), policy: P });
    expect(iso(end)).toBe('2027-01-15T09:00:00.000Z');
  });
  it('When a notice is received the day after (17 December 00:00:00 Paris), then the contract ends at the next expiry', () => {
    const end = noticeAppliesTo({ effectiveDate: eff, noticeReceivedAt: t('2026-12-16T23:00:00Z'), policy: P });
    expect(iso(end)).toBe('2028-01-15T09:00:00.000Z');
  });
  it('When a notice is received on the Effective Date, then it applies to the first expiry', () => {
    expect(iso(noticeAppliesTo({ effectiveDate: eff, noticeReceivedAt: eff, policy: P }))).toBe(
      '2027-01-15T09:00:00.000Z',
    );
  });
  it('When a notice is received during the third term before its cut-off, then it applies to the third expiry', () => {
    const end = noticeAppliesTo({ effectiveDate: eff, noticeReceivedAt: t('2028-06-01T10:00:00Z'), policy: P });
    expect(iso(end)).toBe('2029-01-15T09:00:00.000Z');
  });
  it('When the 30-day period contains the March DST weekend, then the cut-off is still Paris midnight', () => {
    // Expiry 20 April 2027 10:00 CEST; last day that counts 21 March; cut-off 22 March 00:00 CET.
    const effApril = t('2026-04-20T08:00:00Z');
    expect(iso(renewalNoticeCutoff(termExpiry(effApril, 0, P), P))).toBe('2027-03-21T23:00:00.000Z');
    const inTime = noticeAppliesTo({ effectiveDate: effApril, noticeReceivedAt: t('2027-03-21T22:59:59Z'), policy: P });
    const late = noticeAppliesTo({ effectiveDate: effApril, noticeReceivedAt: t('2027-03-21T23:00:00Z'), policy: P });
    expect(iso(inTime)).toBe('2027-04-20T08:00:00.000Z');
    expect(iso(late)).toBe('2028-04-20T08:00:00.000Z');
  });
  it('When the policy is in seconds, then a notice 1 ms before the cut-off ends the current term and one at it the next', () => {
    const tp = testTermsPolicy('test-renewal');
    const e = t('2026-01-01T00:00:00Z');
    expect(
      iso(noticeAppliesTo({ effectiveDate: e, noticeReceivedAt: t('2026-01-01T00:00:49.999Z'), policy: tp })),
    ).toBe('2026-01-01T00:01:00.000Z');
    expect(iso(noticeAppliesTo({ effectiveDate: e, noticeReceivedAt: t('2026-01-01T00:00:50Z'), policy: tp }))).toBe(
      '2026-01-01T00:02:00.000Z',
    );
  });
});

describe('3.2 ii — packEnd', () => {
  it('When the last use is 29 February 2028 10:00 Paris, then the Pack ends 28 February 2029 10:00 Paris', () => {
    expect(iso(packEnd(t('2028-02-29T09:00:00Z'), P))).toBe('2029-02-28T09:00:00.000Z');
  });
  it('When the last use is in summer, then the Pack ends one year later at the same Paris time', () => {
    expect(iso(packEnd(t('2026-08-10T14:30:00Z'), P))).toBe('2027-08-10T14:30:00.000Z');
  });
});

describe('3.3 — termsBindingAt', () => {
  it('When notified on 31 January 2027 10:00 Paris (common year), then the terms bind on 28 February 10:00 Paris', () => {
    expect(iso(termsBindingAt(t('2027-01-31T09:00:00Z'), P))).toBe('2027-02-28T09:00:00.000Z');
  });
  it('When notified on 31 January 2028 10:00 Paris (leap year), then the terms bind on 29 February 10:00 Paris', () => {
    expect(iso(termsBindingAt(t('2028-01-31T09:00:00Z'), P))).toBe('2028-02-29T09:00:00.000Z');
  });
  it('When the month contains the March DST change, then the Paris wall clock is kept (one hour less in UTC)', () => {
    expect(iso(termsBindingAt(t('2026-03-10T09:00:00Z'), P))).toBe('2026-04-10T08:00:00.000Z');
  });
});

describe('10.1 — cureDeadline / isCuredInTime', () => {
  it('When the notice is sent 10 June 18:00 Paris, then cure on day 7 at 23:59:59 is in time and on day 8 at 00:00:00 is late', () => {
    const d = cureDeadline(t('2026-06-10T16:00:00Z'), P);
    expect(iso(d)).toBe('2026-06-17T22:00:00.000Z');
    expect(isCuredInTime(t('2026-06-17T21:59:59Z'), d)).toBe(true);
    expect(isCuredInTime(t('2026-06-17T22:00:00Z'), d)).toBe(false);
  });
  it('When the 7 days contain the last Sunday of March, then the deadline is 00:00 CEST on day 8', () => {
    const d = cureDeadline(t('2026-03-27T14:00:00Z'), P);
    expect(iso(d)).toBe('2026-04-03T22:00:00.000Z');
    expect(isCuredInTime(t('2026-04-03T21:59:59.999Z'), d)).toBe(true);
    expect(isCuredInTime(t('2026-04-03T22:00:00.000Z'), d)).toBe(false);
  });
  it('When the 7 days contain the last Sunday of October, then the deadline is 00:00 CET on day 8', () => {
    const d = cureDeadline(t('2026-10-23T13:00:00Z'), P);
    expect(iso(d)).toBe('2026-10-30T23:00:00.000Z');
    expect(isCuredInTime(t('2026-10-30T22:59:59Z'), d)).toBe(true);
    expect(isCuredInTime(t('2026-10-30T23:00:00Z'), d)).toBe(false);
  });
  it('When the policy is in seconds, then the cure deadline is exactly 7 s after the notice', () => {
    const d = cureDeadline(t('2026-01-01T00:00:00Z'), testTermsPolicy('test-cure'));
    expect(iso(d)).toBe('2026-01-01T00:00:07.000Z');
    expect(isCuredInTime(t('2026-01-01T00:00:06.999Z'), d)).toBe(true);
    expect(isCuredInTime(t('2026-01-01T00:00:07.000Z'), d)).toBe(false);
  });
});

describe('10.2 — dataReturnRequestDeadline', () => {
  it('When terminated on 20 October 08:00 Paris, then a request is in time until 27 October 23:59:59.999 Paris (CET)', () => {
    expect(iso(dataReturnRequestDeadline(t('2026-10-20T06:00:00Z'), P))).toBe('2026-10-27T23:00:00.000Z');
  });
});

describe('11 — force majeure', () => {
  const started = t('2026-10-20T06:00:00Z'); // 20 October 08:00 CEST
  it('When force majeure appears 20 October, then the notification deadline is 28 October 00:00 CET', () => {
    expect(iso(forceMajeureNotificationDeadline(started, P))).toBe('2026-10-27T23:00:00.000Z');
  });
  it('When notified on day 7 at 23:59:59 Paris, then it is not late; on day 8 at 00:00:00, then it is late', () => {
    expect(isLateNotification(started, t('2026-10-27T22:59:59Z'), P)).toBe(false);
    expect(isLateNotification(started, t('2026-10-27T23:00:00Z'), P)).toBe(true);
  });
  it('When notified 30 September 12:00 Paris, then the termination right opens 30 October 12:00 Paris: closed 1 s before, open at +0', () => {
    const notified = t('2026-09-30T10:00:00Z');
    expect(iso(forceMajeureTerminationRightAt(notified, P))).toBe('2026-10-30T11:00:00.000Z');
    expect(isForceMajeureTerminationRightOpen(notified, t('2026-10-30T10:59:59Z'), P)).toBe(false);
    expect(isForceMajeureTerminationRightOpen(notified, t('2026-10-30T11:00:00Z'), P)).toBe(true);
  });
  it('When notified 31 January 2028, then the termination right opens 29 February 2028 at the same Paris time', () => {
    expect(iso(forceMajeureTerminationRightAt(t('2028-01-31T15:00:00Z'), P))).toBe('2028-02-29T15:00:00.000Z');
  });
  it.each([
    ['user', 'payment', false],
    ['platform', 'payment', false],
    ['user', 'prepaid_services', false],
    ['platform', 'prepaid_services', true],
    ['platform', 'service_delivery', true],
    ['user', 'service_delivery', true],
    ['platform', 'support', true],
    ['platform', 'data_return', true],
    ['platform', 'personal_data_breach_notification', false],
  ] as const)(
    'When force majeure is invoked by the %s for obligation %s, then suspension allowed is %s',
    (invokedBy, obligation, expected) => {
      expect(forceMajeureMaySuspend({ obligation, invokedBy })).toBe(expected);
    },
  );
});

describe('9 / 1.4 — claimIntake', () => {
  const eventAt = t('2026-01-31T09:00:00Z'); // 31 January 10:00 Paris
  const base = { eventAt, paymentsReceived: [], policy: P };
  it('When the claim is notified exactly 1 month after the event, then it is accepted', () => {
    const r = claimIntake({ ...base, notifiedAt: t('2026-02-28T09:00:00Z') });
    expect(r.accepted).toBe(true);
    expect(r.refusal).toBeUndefined();
    expect(iso(r.noticeDeadline)).toBe('2026-02-28T09:00:00.000Z');
    expect(iso(r.barredAt)).toBe('2028-01-31T09:00:00.000Z');
    expect(iso(r.capWindowStart)).toBe('2025-01-31T09:00:00.000Z');
  });
  it('When the claim is notified 1 month and 1 second after the event, then it is refused as notice_late', () => {
    const r = claimIntake({ ...base, notifiedAt: t('2026-02-28T09:00:01Z') });
    expect(r).toMatchObject({ accepted: false, refusal: 'notice_late' });
  });
  it('When the claim is notified exactly 2 years after, then notice_late; 1 ms later, then time_barred', () => {
    expect(claimIntake({ ...base, notifiedAt: t('2028-01-31T09:00:00.000Z') }).refusal).toBe('notice_late');
    expect(claimIntake({ ...base, notifiedAt: t('2028-01-31T09:00:00.001Z') }).refusal).toBe('time_barred');
  });
  it('When a payment was received exactly 12 months before the event, then it counts in the cap; 1 ms earlier, then not', () => {
    const r = claimIntake({
      ...base,
      notifiedAt: t('2026-02-01T09:00:00Z'),
      paymentsReceived: [
        { at: t('2025-01-31T08:59:59.999Z'), amountCents: 500 },
        { at: t('2025-01-31T09:00:00.000Z'), amountCents: 1000 },
        { at: t('2025-06-01T10:00:00.000Z'), amountCents: 300 },
        { at: t('2026-01-31T09:00:00.000Z'), amountCents: 200 },
        { at: t('2026-01-31T09:00:00.001Z'), amountCents: 4000 },
      ],
    });
    expect(r.accepted).toBe(true);
    expect(r.capCents).toBe(1500);
  });
  it('When the event is 29 February 2028, then the cap window starts 28 February 2027 and notice ends 29 March 2028 (CEST)', () => {
    const r = claimIntake({ ...base, eventAt: t('2028-02-29T09:00:00Z'), notifiedAt: t('2028-03-01T09:00:00Z') });
    expect(iso(r.capWindowStart)).toBe('2027-02-28T09:00:00.000Z');
    expect(iso(r.noticeDeadline)).toBe('2028-03-29T08:00:00.000Z');
    expect(iso(r.barredAt)).toBe('2030-02-28T09:00:00.000Z');
  });
  it('When refunds exceed payments in the window, then the cap is 0', () => {
    const r = claimIntake({
      ...base,
      notifiedAt: t('2026-02-01T09:00:00Z'),
      paymentsReceived: [
        { at: t('2025-06-01T10:00:00Z'), amountCents: 1000 },
        { at: t('2025-07-01T10:00:00Z'), amountCents: -1500 },
      ],
    });
    expect(r.capCents).toBe(0);
  });
  it('When the claim predates the event or an amount is not whole cents, then it throws', () => {
    expect(() => claimIntake({ ...base, notifiedAt: t('2026-01-31T08:59:59Z') })).toThrow(RangeError);
    expect(() =>
      claimIntake({
        ...base,
        notifiedAt: t('2026-02-01T09:00:00Z'),
        paymentsReceived: [{ at: t('2025-06-01T10:00:00Z'), amountCents: 10.5 }],
      }),
    ).toThrow(RangeError);
  });
});

describe('Annex 2.3.3 — personal-data breach', () => {
  const aware = t('2026-03-28T11:00:00Z'); // Saturday 12:00 CET, DST change the next night
  it('When aware on the Saturday before the March change, then the deadline is exactly 36 real hours later', () => {
    expect(iso(breachNotificationDeadline(aware, P))).toBe('2026-03-29T23:00:00.000Z');
  });
  it('When notified at hour 35, then not late; at hour 37, then late', () => {
    expect(isBreachNotificationLate(aware, t('2026-03-29T22:00:00Z'), P)).toBe(false);
    expect(isBreachNotificationLate(aware, t('2026-03-30T00:00:00Z'), P)).toBe(true);
  });
  it('When notified at 36 h − 1 ms, then not late; at 36 h exactly, then late', () => {
    expect(isBreachNotificationLate(aware, t('2026-03-29T22:59:59.999Z'), P)).toBe(false);
    expect(isBreachNotificationLate(aware, t('2026-03-29T23:00:00.000Z'), P)).toBe(true);
  });
  it('When aware on the Saturday before the October change, then the deadline is 36 real hours, not wall-clock hours', () => {
    // 24 Oct 12:00 CEST + 36 h = 25 Oct 23:00 CET (wall-clock arithmetic would say 26 Oct 00:00).
    expect(iso(breachNotificationDeadline(t('2026-10-24T10:00:00Z'), P))).toBe('2026-10-25T22:00:00.000Z');
  });
});

describe('6.4.3 — maintenance', () => {
  const w: MaintenanceWindow = {
    startsAt: t('2026-05-10T00:00:00Z'),
    endsAt: t('2026-05-10T02:00:00Z'),
    emergency: false,
    announcedAt: t('2026-05-08T00:00:00Z'),
  };
  it('When at 1 ms before the start, then scheduled; at the start, then in progress', () => {
    expect(maintenanceState(w, t('2026-05-09T23:59:59.999Z'))).toBe('scheduled');
    expect(maintenanceState(w, t('2026-05-10T00:00:00.000Z'))).toBe('in_progress');
  });
  it('When at 1 ms before the end, then in progress; at the end, then over', () => {
    expect(maintenanceState(w, t('2026-05-10T01:59:59.999Z'))).toBe('in_progress');
    expect(maintenanceState(w, t('2026-05-10T02:00:00.000Z'))).toBe('over');
  });
  it('When in progress, then Retry-After is the seconds left rounded up; outside, then null', () => {
    expect(retryAfterSeconds(w, t('2026-05-10T00:00:00.000Z'))).toBe(7200);
    expect(retryAfterSeconds(w, t('2026-05-10T01:59:58.500Z'))).toBe(2);
    expect(retryAfterSeconds(w, t('2026-05-10T01:59:59.999Z'))).toBe(1);
    expect(retryAfterSeconds(w, t('2026-05-10T02:00:00.000Z'))).toBeNull();
    expect(retryAfterSeconds(w, t('2026-05-09T23:59:59.999Z'))).toBeNull();
  });
  it('When announced exactly 48 h before, then in time; 1 ms later, then not', () => {
    expect(iso(maintenanceAnnounceBy(w, P))).toBe('2026-05-08T00:00:00.000Z');
    expect(isMaintenanceAnnouncedInTime(w, P)).toBe(true);
    expect(isMaintenanceAnnouncedInTime({ ...w, announcedAt: t('2026-05-08T00:00:00.001Z') }, P)).toBe(false);
  });
  it('When the 48 h span the March DST change, then they are real hours', () => {
    const spring = { ...w, startsAt: t('2026-03-30T08:00:00Z'), endsAt: t('2026-03-30T09:00:00Z') };
    expect(iso(maintenanceAnnounceBy(spring, P))).toBe('2026-03-28T08:00:00.000Z');
  });
  it('When never announced, then a scheduled window is not in time but an emergency window is', () => {
    expect(isMaintenanceAnnouncedInTime({ ...w, announcedAt: undefined }, P)).toBe(false);
    expect(isMaintenanceAnnouncedInTime({ ...w, announcedAt: undefined, emergency: true }, P)).toBe(true);
  });
  it('When the window ends before it starts, then it throws', () => {
    expect(() => maintenanceState({ ...w, endsAt: w.startsAt }, w.startsAt)).toThrow(RangeError);
  });
});
