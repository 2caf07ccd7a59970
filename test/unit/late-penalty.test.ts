import {
  daysLate,
  LEGAL_INTEREST_RATES,
  LegalRateMissingError,
  LegalRateTableError,
  latePenalty,
  RECOVERY_INDEMNITY_CENTS,
  type LegalRateEntry,
} from '../../domain/late-penalty';

/** Instant of a Paris wall-clock time given with its UTC offset, e.g. paris('2025-12-15T10:00', '+01:00'). */
const paris = (local: string, offset: '+01:00' | '+02:00'): Date => new Date(`${local}:00${offset}`);

describe('days late', () => {
  const due = paris('2025-12-15T10:00', '+01:00'); // 09:00 UTC

  it('When paid 1 ms before the due instant, then 0 days late, no interest, no indemnity', () => {
    const p = latePenalty({ amountDueCents: 100000, dueAt: due, paidAt: new Date(due.getTime() - 1) });
    expect(p).toEqual({ daysLate: 0, interestCents: 0, indemnityCents: 0, totalCents: 0, perSemester: [] });
  });

  it('When paid exactly at the due instant, then 0 days late', () => {
    expect(daysLate(due, due)).toBe(0);
  });

  it('When paid after the due instant but on the same Paris date (23:59:59.999), then 0 days late and no indemnity', () => {
    const lastMsOfDueDate = new Date('2025-12-15T22:59:59.999Z'); // 23:59:59.999 Paris
    const p = latePenalty({ amountDueCents: 100000, dueAt: due, paidAt: lastMsOfDueDate });
    expect(p.daysLate).toBe(0);
    expect(p.indemnityCents).toBe(0);
  });

  it('When paid at 00:00 Paris the next day, then 1 day late, with 1 day of interest and the 40 € indemnity', () => {
    const p = latePenalty({ amountDueCents: 100000, dueAt: due, paidAt: new Date('2025-12-15T23:00:00Z') });
    expect(p.daysLate).toBe(1);
    // 100000 × 3 × 2.76 % / 365 = 22.68… → 23
    expect(p.interestCents).toBe(23);
    expect(p.indemnityCents).toBe(4000);
    expect(p.totalCents).toBe(4023);
  });

  it('When the late days span the spring DST change, then they are Paris calendar days', () => {
    const dueSpring = paris('2026-03-28T12:00', '+01:00');
    expect(daysLate(dueSpring, paris('2026-03-30T00:30', '+02:00'))).toBe(2); // 29 and 30 March
    expect(daysLate(dueSpring, new Date('2026-03-29T21:59:59.999Z'))).toBe(1); // 23:59:59.999 CEST on the 29th
  });
});

describe('interest across the 2025 S2 → 2026 S1 boundary', () => {
  const dueAt = paris('2025-12-20T12:00', '+01:00');
  const paidAt = paris('2026-01-10T09:00', '+01:00');

  it('When 1 000 € is paid 21 days late (11 days of 2025 S2, 10 days of 2026 S1), then interest is 4.65 € and per-semester details are exact', () => {
    const p = latePenalty({ amountDueCents: 100000, dueAt, paidAt });
    // 2025-S2: 100000 × 3 × 276 × 11 / 3 650 000 = 249.534…
    // 2026-S1: 100000 × 3 × 262 × 10 / 3 650 000 = 215.342…
    // sum 464.876… → 465
    expect(p).toEqual({
      daysLate: 21,
      interestCents: 465,
      indemnityCents: 4000,
      totalCents: 4465,
      perSemester: [
        {
          semester: '2025-S2',
          rateBp: 276,
          penaltyRateBp: 828,
          from: '2025-12-21',
          to: '2025-12-31',
          days: 11,
          daysInYear: 365,
          interestCents: 250,
        },
        {
          semester: '2026-S1',
          rateBp: 262,
          penaltyRateBp: 786,
          from: '2026-01-01',
          to: '2026-01-10',
          days: 10,
          daysInYear: 365,
          interestCents: 215,
        },
      ],
    });
  });

  it('When each semester share would round down but their exact sum rounds up, then interest is rounded once on the sum (474, not 473)', () => {
    const p = latePenalty({ amountDueCents: 101870, dueAt, paidAt });
    // 101870 × 9108 / 3 650 000 = 254.2005… ; 101870 × 7860 / 3 650 000 = 219.3693… ; sum 473.5699… → 474
    expect(p.interestCents).toBe(474);
    expect(p.perSemester.map((s) => s.interestCents)).toEqual([254, 219]);
  });

  it('When the invoice is still unpaid, then asOf gives the penalty accrued so far under the same rule', () => {
    expect(latePenalty({ amountDueCents: 100000, dueAt, asOf: paidAt })).toEqual(
      latePenalty({ amountDueCents: 100000, dueAt, paidAt }),
    );
  });
});

describe('recovery indemnity', () => {
  it('When an invoice is a whole year late, then the 40 € indemnity is counted exactly once', () => {
    const p = latePenalty({
      amountDueCents: 1_000_000,
      dueAt: paris('2025-03-01T10:00', '+01:00'),
      paidAt: paris('2026-03-01T10:00', '+01:00'),
    });
    expect(p.daysLate).toBe(365);
    expect(p.perSemester.map((s) => [s.semester, s.days])).toEqual([
      ['2025-S1', 121],
      ['2025-S2', 184],
      ['2026-S1', 60],
    ]);
    // 1 000 000 × 3 × (371 × 121 + 276 × 184 + 262 × 60) / 3 650 000 = 91 557.53… → 91 558
    expect(p.interestCents).toBe(91558);
    expect(p.indemnityCents).toBe(RECOVERY_INDEMNITY_CENTS);
    expect(RECOVERY_INDEMNITY_CENTS).toBe(4000);
    expect(p.totalCents).toBe(91558 + 4000);
  });

  it('When nothing is due, then there is no penalty at all', () => {
    const p = latePenalty({
      amountDueCents: 0,
      dueAt: paris('2025-03-01T10:00', '+01:00'),
      paidAt: paris('2025-06-01T10:00', '+02:00'),
    });
    expect(p).toEqual({ daysLate: 0, interestCents: 0, indemnityCents: 0, totalCents: 0, perSemester: [] });
  });
});

describe('rate table', () => {
  it('When a late day falls in a semester missing from the table, then a typed error names that semester', () => {
    const run = () =>
      latePenalty({
        amountDueCents: 100000,
        dueAt: paris('2026-06-25T10:00', '+02:00'),
        asOf: paris('2026-07-02T10:00', '+02:00'),
      });
    expect(run).toThrow(LegalRateMissingError);
    expect(run).toThrow('2026-S2');
    try {
      run();
    } catch (e) {
      expect((e as LegalRateMissingError).semester).toBe('2026-S2');
    }
  });

  it('When the late days start before the table, then the error names the earlier semester', () => {
    expect(() =>
      latePenalty({
        amountDueCents: 100,
        dueAt: paris('2024-12-30T10:00', '+01:00'),
        paidAt: paris('2025-01-05T10:00', '+01:00'),
      }),
    ).toThrow(expect.objectContaining({ semester: '2024-S2' }));
  });

  it('When the table is extended from data, then the previously missing semester is used', () => {
    const table: LegalRateEntry[] = [...LEGAL_INTEREST_RATES, { semester: '2026-S2', rateBp: 300 }];
    const p = latePenalty({
      amountDueCents: 100000,
      dueAt: paris('2026-06-25T10:00', '+02:00'),
      asOf: paris('2026-07-02T10:00', '+02:00'),
      table,
    });
    expect(p.perSemester.map((s) => [s.semester, s.days])).toEqual([
      ['2026-S1', 5],
      ['2026-S2', 2],
    ]);
    // 100000 × 3 × (262 × 5 + 300 × 2) / 3 650 000 = 156.99 → 157
    expect(p.interestCents).toBe(157);
  });

  it('When the default table is read, then it holds the published rates in basis points', () => {
    expect(LEGAL_INTEREST_RATES).toEqual([
      { semester: '2025-S1', rateBp: 371 },
      { semester: '2025-S2', rateBp: 276 },
      { semester: '2026-S1', rateBp: 262 },
    ]);
  });

  it('When the table lists a semester twice or a malformed one, then it is rejected', () => {
    const base = {
      amountDueCents: 1,
      dueAt: paris('2025-03-01T10:00', '+01:00'),
      paidAt: paris('2025-03-02T10:00', '+01:00'),
    };
    expect(() =>
      latePenalty({ ...base, table: [...LEGAL_INTEREST_RATES, { semester: '2025-S1', rateBp: 1 }] }),
    ).toThrow(LegalRateTableError);
    expect(() => latePenalty({ ...base, table: [{ semester: '2025-S3' as never, rateBp: 1 }] })).toThrow(
      LegalRateTableError,
    );
    expect(() => latePenalty({ ...base, table: [{ semester: '2025-S1', rateBp: 3.5 }] })).toThrow(LegalRateTableError);
  });
});

describe('leap years', () => {
  const table: LegalRateEntry[] = [
    { semester: '2027-S2', rateBp: 300 },
    { semester: '2028-S1', rateBp: 300 },
    { semester: '2028-S2', rateBp: 300 },
  ];

  it('When a late day belongs to 2028, then a day is 1/366 of a year (900 cents, not 902 as with 365)', () => {
    const p = latePenalty({
      amountDueCents: 3_660_000,
      dueAt: paris('2028-01-01T10:00', '+01:00'),
      paidAt: paris('2028-01-02T10:00', '+01:00'),
      table,
    });
    // 3 660 000 × 3 × 300 / (10 000 × 366) = 900 exactly; with 365: 902.47
    expect(p.interestCents).toBe(900);
    expect(p.perSemester[0].daysInYear).toBe(366);
  });

  it('When an invoice is late for the whole leap year 2028 (366 days), then interest is exactly 3 × rate × amount', () => {
    const p = latePenalty({
      amountDueCents: 100000,
      dueAt: paris('2027-12-31T10:00', '+01:00'),
      paidAt: paris('2028-12-31T10:00', '+01:00'),
      table,
    });
    expect(p.daysLate).toBe(366);
    expect(p.interestCents).toBe(9000); // 100000 × 9 %
  });

  it('When late days straddle 31 Dec 2027 → 1 Jan 2028, then each day uses its own year length', () => {
    const p = latePenalty({
      amountDueCents: 3_650_000,
      dueAt: paris('2027-12-30T10:00', '+01:00'),
      paidAt: paris('2028-01-01T10:00', '+01:00'),
      table,
    });
    // 31 Dec 2027: 3 650 000 × 900 / 3 650 000 = 900 ; 1 Jan 2028: 3 650 000 × 900 / 3 660 000 = 897.54… ; sum 1797.54 → 1798
    expect(p.perSemester.map((s) => [s.semester, s.days, s.daysInYear])).toEqual([
      ['2027-S2', 1, 365],
      ['2028-S1', 1, 366],
    ]);
    expect(p.interestCents).toBe(1798);
  });
});

describe('input validation', () => {
  it('When both paidAt and asOf (or neither) are given, or the amount is negative, then it throws', () => {
    const dueAt = paris('2025-03-01T10:00', '+01:00');
    expect(() => latePenalty({ amountDueCents: 1, dueAt, paidAt: dueAt, asOf: dueAt } as never)).toThrow(RangeError);
    expect(() => latePenalty({ amountDueCents: 1, dueAt } as never)).toThrow(RangeError);
    expect(() => latePenalty({ amountDueCents: -1, dueAt, paidAt: dueAt })).toThrow(RangeError);
    expect(() => latePenalty({ amountDueCents: 1.5, dueAt, paidAt: dueAt })).toThrow();
  });
});
