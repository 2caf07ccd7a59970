import {
  addCalendarDays,
  addCalendarMonths,
  addCalendarYears,
  addHours,
  calendarDaysBetween,
  endOfCalendarDaysAfter,
  parisDate,
  startOfNextParisMonth,
  startOfParisDay,
} from '../../domain/calendar';

const t = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('parisDate', () => {
  it('When an instant is 1 ms before Paris midnight, then it is still the previous Paris date', () => {
    expect(parisDate(t('2026-01-31T22:59:59.999Z'))).toBe('2026-01-31');
  });
  it('When an instant is at Paris midnight (UTC still the day before), then it is the new Paris date', () => {
    expect(parisDate(t('2026-01-31T23:00:00.000Z'))).toBe('2026-02-01');
    expect(parisDate(t('2026-06-30T22:00:00.000Z'))).toBe('2026-07-01');
  });
  it('When the instant is invalid, then it throws', () => {
    expect(() => parisDate(new Date('nope'))).toThrow(RangeError);
  });
});

describe('endOfCalendarDaysAfter', () => {
  it('When 7 calendar days run from a summer afternoon, then the period ends at 00:00 Paris on D+8', () => {
    expect(iso(endOfCalendarDaysAfter(t('2026-06-10T16:00:00Z'), 7))).toBe('2026-06-17T22:00:00.000Z');
  });
  it('When the start is late in the Paris evening or just after Paris midnight, then the Paris date counts', () => {
    // 2026-06-10 23:30 CEST = 21:30Z: Paris date 10 June.
    expect(iso(endOfCalendarDaysAfter(t('2026-06-10T21:30:00Z'), 7))).toBe('2026-06-17T22:00:00.000Z');
    // 2026-06-11 00:30 CEST = 2026-06-10T22:30Z: Paris date 11 June, one day later.
    expect(iso(endOfCalendarDaysAfter(t('2026-06-10T22:30:00Z'), 7))).toBe('2026-06-18T22:00:00.000Z');
  });
  it('When the period spans the last Sunday of March (CET→CEST), then it still ends at Paris midnight', () => {
    // Friday 27 March 2026 15:00 CET; day 7 = Friday 3 April; end = 4 April 00:00 CEST.
    expect(iso(endOfCalendarDaysAfter(t('2026-03-27T14:00:00Z'), 7))).toBe('2026-04-03T22:00:00.000Z');
  });
  it('When the period spans the last Sunday of October (CEST→CET), then it still ends at Paris midnight', () => {
    // Friday 23 October 2026 15:00 CEST; day 7 = 30 October; end = 31 October 00:00 CET.
    expect(iso(endOfCalendarDaysAfter(t('2026-10-23T13:00:00Z'), 7))).toBe('2026-10-30T23:00:00.000Z');
  });
  it('When the amount is 0, then the period ends at the end of the same Paris day', () => {
    expect(iso(endOfCalendarDaysAfter(t('2026-10-25T10:00:00Z'), 0))).toBe('2026-10-25T23:00:00.000Z');
  });
  it('When the amount is -30, then the result is 00:00 Paris on (date - 29)', () => {
    expect(iso(endOfCalendarDaysAfter(t('2027-01-15T09:00:00Z'), -30))).toBe('2026-12-16T23:00:00.000Z');
  });
  it('When the amount is not whole, then it throws', () => {
    expect(() => endOfCalendarDaysAfter(t('2026-01-01T00:00:00Z'), 1.5)).toThrow(RangeError);
  });
});

describe('addCalendarDays', () => {
  it('When a day is added across the spring DST change, then the Paris wall clock is kept (23 h later)', () => {
    expect(iso(addCalendarDays(t('2026-03-28T11:00:00Z'), 1))).toBe('2026-03-29T10:00:00.000Z');
  });
  it('When a day is added across the autumn DST change, then the Paris wall clock is kept (25 h later)', () => {
    expect(iso(addCalendarDays(t('2026-10-24T10:00:00Z'), 1))).toBe('2026-10-25T11:00:00.000Z');
  });
  it('When a day is removed landing in the spring gap (02:30), then the time moves forward to 03:30 CEST', () => {
    expect(iso(addCalendarDays(t('2026-03-30T00:30:00Z'), -1))).toBe('2026-03-29T01:30:00.000Z');
  });
  it('When a day is removed landing on an ambiguous 02:30 in October, then the earlier instant is taken', () => {
    // 26 Oct 02:30 CET (01:30Z) − 1 day → 25 Oct 02:30, first occurrence (+02:00) = 00:30Z.
    expect(iso(addCalendarDays(t('2026-10-26T01:30:00Z'), -1))).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('addCalendarMonths', () => {
  it('When one month is added to 31 January in a common year, then it is 28 February same wall clock', () => {
    expect(iso(addCalendarMonths(t('2027-01-31T09:00:00Z'), 1))).toBe('2027-02-28T09:00:00.000Z');
  });
  it('When one month is added to 31 January in a leap year, then it is 29 February same wall clock', () => {
    expect(iso(addCalendarMonths(t('2028-01-31T09:00:00Z'), 1))).toBe('2028-02-29T09:00:00.000Z');
  });
  it('When a month is added across the spring DST change, then the Paris wall clock is kept', () => {
    // 15 March 10:00 CET → 15 April 10:00 CEST.
    expect(iso(addCalendarMonths(t('2026-03-15T09:00:00Z'), 1))).toBe('2026-04-15T08:00:00.000Z');
  });
  it('When the target is an ambiguous 02:30 reached from September (CEST), then the earlier instant is taken', () => {
    expect(iso(addCalendarMonths(t('2026-09-25T00:30:00Z'), 1))).toBe('2026-10-25T00:30:00.000Z');
  });
  it('When the target is an ambiguous 02:30 reached from November (CET), then the earlier instant is still taken', () => {
    // Plain luxon gave 01:30Z here (kept the +01:00 offset of the start): fixed.
    expect(iso(addCalendarMonths(t('2026-11-25T01:30:00Z'), -1))).toBe('2026-10-25T00:30:00.000Z');
  });
  it('When the target 02:30 falls in the spring gap, then it moves forward to 03:30 CEST from either side', () => {
    expect(iso(addCalendarMonths(t('2026-01-29T01:30:00Z'), 2))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(addCalendarMonths(t('2026-04-29T00:30:00Z'), -1))).toBe('2026-03-29T01:30:00.000Z');
  });
  it('When 12 months are removed from 29 February, then it is 28 February of the previous year', () => {
    expect(iso(addCalendarMonths(t('2028-02-29T09:00:00Z'), -12))).toBe('2027-02-28T09:00:00.000Z');
  });
  it('When the months are not whole, then it throws', () => {
    expect(() => addCalendarMonths(t('2026-01-01T00:00:00Z'), 0.5)).toThrow(RangeError);
  });
});

describe('addCalendarYears', () => {
  it('When a year is added to 29 February, then it is 28 February; 4 years, then 29 February again', () => {
    expect(iso(addCalendarYears(t('2028-02-29T09:00:00Z'), 1))).toBe('2029-02-28T09:00:00.000Z');
    expect(iso(addCalendarYears(t('2028-02-29T09:00:00Z'), 4))).toBe('2032-02-29T09:00:00.000Z');
  });
  it('When a year is added to a summer instant, then the Paris wall clock is kept', () => {
    expect(iso(addCalendarYears(t('2026-07-14T08:00:00Z'), 1))).toBe('2027-07-14T08:00:00.000Z');
  });
});

describe('addHours', () => {
  it('When 36 hours are added across the spring DST change, then it is exactly 36 real hours', () => {
    expect(iso(addHours(t('2026-03-28T11:00:00Z'), 36))).toBe('2026-03-29T23:00:00.000Z');
  });
  it('When the hours are not finite, then it throws', () => {
    expect(() => addHours(t('2026-03-28T11:00:00Z'), Number.NaN)).toThrow(RangeError);
  });
});

describe('startOfParisDay / startOfNextParisMonth', () => {
  it('When the day is the autumn DST Sunday, then its start is 00:00 CEST (22:00Z the day before)', () => {
    expect(iso(startOfParisDay(t('2026-10-25T12:00:00Z')))).toBe('2026-10-24T22:00:00.000Z');
  });
  it('When the instant is in March, then the next month starts at 1 April 00:00 CEST', () => {
    expect(iso(startOfNextParisMonth(t('2026-03-15T12:00:00Z')))).toBe('2026-03-31T22:00:00.000Z');
  });
  it('When the instant is 1 ms before November in Paris, then the next month starts 1 ms later', () => {
    expect(iso(startOfNextParisMonth(t('2026-10-31T22:59:59.999Z')))).toBe('2026-10-31T23:00:00.000Z');
  });
});

describe('calendarDaysBetween', () => {
  it('When b is on the next Paris date across the spring change, then it is 1; one tick later, 2', () => {
    const a = t('2026-03-28T12:00:00Z');
    expect(calendarDaysBetween(a, t('2026-03-29T21:59:59.999Z'))).toBe(1);
    expect(calendarDaysBetween(a, t('2026-03-29T22:00:00.000Z'))).toBe(2);
  });
  it('When b is before a, then it is negative', () => {
    expect(calendarDaysBetween(t('2026-10-30T12:00:00Z'), t('2026-10-23T12:00:00Z'))).toBe(-7);
  });
});
