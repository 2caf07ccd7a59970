import {
  FRANCE_MARKETING_SMS_POLICY as FR,
  isSendAllowed,
  nextAllowedInstant,
  quietHoursApply,
  type QuietHoursPolicy,
} from '../../domain/quiet-hours';

const at = (iso: string) => new Date(iso);

describe('isSendAllowed (France, marketing SMS)', () => {
  it('When it is 20:00:00.000 in Paris on a Tuesday, then sending is not allowed; 19:59:59.999 is', () => {
    expect(isSendAllowed(at('2025-06-10T20:00:00.000+02:00'), FR)).toBe(false);
    expect(isSendAllowed(at('2025-06-10T19:59:59.999+02:00'), FR)).toBe(true);
  });

  it('When it is 07:59:59 in Paris, then not allowed; at 08:00:00 exactly, allowed', () => {
    expect(isSendAllowed(at('2025-06-10T07:59:59.000+02:00'), FR)).toBe(false);
    expect(isSendAllowed(at('2025-06-10T07:59:59.999+02:00'), FR)).toBe(false);
    expect(isSendAllowed(at('2025-06-10T08:00:00.000+02:00'), FR)).toBe(true);
  });

  it('When the UTC time is inside the window but Paris time is not (winter, UTC+1), then Paris time rules', () => {
    // 19:30Z in January is 20:30 in Paris.
    expect(isSendAllowed(at('2025-01-14T19:30:00Z'), FR)).toBe(false);
    // 07:30Z in January is 08:30 in Paris.
    expect(isSendAllowed(at('2025-01-14T07:30:00Z'), FR)).toBe(true);
  });

  it('When it is a Sunday at noon, then sending is not allowed; Saturday noon is', () => {
    expect(isSendAllowed(at('2025-06-15T12:00:00+02:00'), FR)).toBe(false);
    expect(isSendAllowed(at('2025-06-14T12:00:00+02:00'), FR)).toBe(true);
  });

  it.each([
    ['14 July (Monday)', '2025-07-14T12:00:00+02:00'],
    ['1 May (Thursday)', '2025-05-01T12:00:00+02:00'],
    ['Easter Monday', '2025-04-21T12:00:00+02:00'],
    ['Christmas (Thursday)', '2025-12-25T12:00:00+01:00'],
  ])('When it is %s at noon, then sending is not allowed', (_name, iso) => {
    expect(isSendAllowed(at(iso), FR)).toBe(false);
  });

  it('When it is the day after a holiday at noon, then sending is allowed', () => {
    expect(isSendAllowed(at('2025-07-15T12:00:00+02:00'), FR)).toBe(true);
    expect(isSendAllowed(at('2025-04-22T12:00:00+02:00'), FR)).toBe(true);
  });

  it("When a 7-day policy meets an observance (Mothers' Day) and a public holiday (Whit Monday), then only the public holiday closes", () => {
    const everyDay: QuietHoursPolicy = { ...FR, days: [1, 2, 3, 4, 5, 6, 7] };
    expect(isSendAllowed(at('2025-05-25T12:00:00+02:00'), everyDay)).toBe(true);
    expect(isSendAllowed(at('2025-06-09T12:00:00+02:00'), everyDay)).toBe(false); // Whit Monday is public
  });
});

describe('nextAllowedInstant (France, marketing SMS)', () => {
  it('When sending is allowed, then the same instant is returned', () => {
    const now = at('2025-06-10T10:15:00+02:00');
    expect(nextAllowedInstant(now, FR)).toEqual(now);
  });

  it('When it is 20:00 exactly on a Tuesday, then the next instant is Wednesday 08:00 Paris', () => {
    expect(nextAllowedInstant(at('2025-06-10T20:00:00+02:00'), FR).toISOString()).toBe('2025-06-11T06:00:00.000Z');
  });

  it('When it is 07:59:59 on a Tuesday, then the next instant is 08:00 the same day', () => {
    expect(nextAllowedInstant(at('2025-06-10T07:59:59+02:00'), FR).toISOString()).toBe('2025-06-10T06:00:00.000Z');
  });

  it('When it is Saturday 20:00, then the next instant is Monday 08:00', () => {
    expect(nextAllowedInstant(at('2025-06-14T20:00:00+02:00'), FR).toISOString()).toBe('2025-06-16T06:00:00.000Z');
  });

  it('When it is Saturday 20:00 before the March DST change, then Monday 08:00 is in summer time (06:00Z)', () => {
    // 29 March 2025 is CET (+01:00); clocks go forward on Sunday 30 March.
    expect(nextAllowedInstant(at('2025-03-29T20:00:00+01:00'), FR).toISOString()).toBe('2025-03-31T06:00:00.000Z');
  });

  it('When it is Saturday 20:00 before the October DST change, then Monday 08:00 is in winter time (07:00Z)', () => {
    // 25 October 2025 is CEST (+02:00); clocks go back on Sunday 26 October.
    expect(nextAllowedInstant(at('2025-10-25T20:00:00+02:00'), FR).toISOString()).toBe('2025-10-27T07:00:00.000Z');
  });

  it('When it is Sunday 13 July, then Monday 14 July is skipped and the next instant is Tuesday 15 July 08:00', () => {
    expect(nextAllowedInstant(at('2025-07-13T15:00:00+02:00'), FR).toISOString()).toBe('2025-07-15T06:00:00.000Z');
  });

  it('When it is Saturday evening before Easter, then Sunday and Easter Monday are skipped', () => {
    expect(nextAllowedInstant(at('2025-04-19T20:30:00+02:00'), FR).toISOString()).toBe('2025-04-22T06:00:00.000Z');
  });

  it('When it is the evening of 30 April, then 1 May is skipped and the next instant is 2 May 08:00', () => {
    expect(nextAllowedInstant(at('2025-04-30T21:00:00+02:00'), FR).toISOString()).toBe('2025-05-02T06:00:00.000Z');
  });

  it("When it is New Year's Eve 20:00, then 1 January (next year) is skipped", () => {
    expect(nextAllowedInstant(at('2025-12-31T20:00:00+01:00'), FR).toISOString()).toBe('2026-01-02T07:00:00.000Z');
  });

  it('When sampled across a whole year, then the result is always allowed, never earlier, and starts a window', () => {
    const step = 37 * 60_000 + 13_000; // not a divisor of an hour, to hit many minutes
    const wrong: string[] = [];
    for (let t = Date.parse('2025-01-01T00:00:00Z'); t < Date.parse('2026-01-01T00:00:00Z'); t += step) {
      const next = nextAllowedInstant(new Date(t), FR);
      const startsWindow = next.getTime() === t || !isSendAllowed(new Date(next.getTime() - 1), FR);
      if (!isSendAllowed(next, FR) || next.getTime() < t || !startsWindow) wrong.push(new Date(t).toISOString());
    }
    expect(wrong).toEqual([]);
  });

  it('When a custom policy (Mon–Fri 09:00–18:00, no holidays) is given, then it is followed', () => {
    const policy: QuietHoursPolicy = {
      countries: ['BE'],
      zone: 'Europe/Brussels',
      days: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '18:00',
      holidayCountry: null,
      holidayTypes: ['public'],
    };
    expect(isSendAllowed(at('2025-07-14T12:00:00+02:00'), policy)).toBe(true); // not a holiday here
    expect(isSendAllowed(at('2025-07-12T12:00:00+02:00'), policy)).toBe(false); // Saturday
    expect(nextAllowedInstant(at('2025-07-11T18:00:00+02:00'), policy).toISOString()).toBe('2025-07-14T07:00:00.000Z');
  });

  it('When a policy allows no day, then it is an error rather than an endless search', () => {
    expect(() => nextAllowedInstant(at('2025-07-11T22:00:00+02:00'), { ...FR, days: [] })).toThrow(RangeError);
  });
});

describe('quietHoursApply', () => {
  it.each([
    [{ purpose: 'marketing', channel: 'sms', country: 'FR' }, true],
    [{ purpose: 'marketing', channel: 'sms', country: 'fr' }, true],
    [{ purpose: 'transactional', channel: 'sms', country: 'FR' }, false],
    [{ purpose: 'marketing', channel: 'email', country: 'FR' }, false],
    [{ purpose: 'marketing', channel: 'sms', country: 'DE' }, false],
    [{ purpose: 'marketing', channel: 'sms', country: null }, false],
  ] as const)('When the message is %j, then the rule applies: %s', (message, expected) => {
    expect(quietHoursApply(message, FR)).toBe(expected);
  });
});
