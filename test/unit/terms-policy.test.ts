import { applyDuration, CURRENT_TERMS_VERSION, TERMS_2026_01, testTermsPolicy } from '../../domain/terms-policy';

const t = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('applyDuration', () => {
  it('When the unit is calendarDaysEnd 15, then the result is 00:00 Paris after day 15', () => {
    expect(iso(applyDuration(t('2026-10-20T08:00:00Z'), { unit: 'calendarDaysEnd', amount: 15 }))).toBe(
      '2026-11-04T23:00:00.000Z',
    );
  });
  it('When the unit is calendarDaysEnd -30, then the cut-off is 00:00 Paris on (date - 29)', () => {
    const cutoff = applyDuration(t('2027-01-15T09:00:00Z'), TERMS_2026_01.renewalNoticeBeforeExpiry);
    expect(iso(cutoff)).toBe('2026-12-16T23:00:00.000Z');
  });
  it('When the unit is months, then it clamps to the month end', () => {
    expect(iso(applyDuration(t('2026-03-31T08:00:00Z'), { unit: 'months', amount: -1 }))).toBe(
      '2026-02-28T09:00:00.000Z',
    );
  });
  it('When the unit is years, then 29 February becomes 28 February', () => {
    expect(iso(applyDuration(t('2028-02-29T09:00:00Z'), { unit: 'years', amount: 1 }))).toBe(
      '2029-02-28T09:00:00.000Z',
    );
  });
  it('When the unit is hours, then it is an instant rule', () => {
    expect(iso(applyDuration(t('2026-10-24T12:00:00Z'), { unit: 'hours', amount: 36 }))).toBe(
      '2026-10-26T00:00:00.000Z',
    );
  });
  it('When the unit is seconds, then it adds exactly that many seconds', () => {
    expect(iso(applyDuration(t('2026-01-01T00:00:00Z'), { unit: 'seconds', amount: 7 }))).toBe(
      '2026-01-01T00:00:07.000Z',
    );
    expect(iso(applyDuration(t('2026-01-01T00:00:00Z'), { unit: 'seconds', amount: -10 }))).toBe(
      '2025-12-31T23:59:50.000Z',
    );
  });
  it('When the amount is not finite, then it throws', () => {
    expect(() => applyDuration(t('2026-01-01T00:00:00Z'), { unit: 'seconds', amount: Infinity })).toThrow(RangeError);
  });
});

describe('TERMS_2026_01', () => {
  it('When the current version is looked up, then it is 2026-01 with the contract figures', () => {
    expect(CURRENT_TERMS_VERSION).toBe('2026-01');
    expect(TERMS_2026_01.version).toBe('2026-01');
    expect(TERMS_2026_01.formalNoticeCure).toEqual({ unit: 'calendarDaysEnd', amount: 7 });
    expect(TERMS_2026_01.dataBreachNotification).toEqual({ unit: 'hours', amount: 36 });
    expect(TERMS_2026_01.maintenanceNoticeHours).toBe(48);
  });
});

describe('testTermsPolicy', () => {
  it('When built without overrides, then every duration is in seconds', () => {
    const p = testTermsPolicy('test-a');
    expect(p.version).toBe('test-a');
    expect(p.formalNoticeCure).toEqual({ unit: 'seconds', amount: 7 });
    expect(p.subscriptionTerm).toEqual({ unit: 'seconds', amount: 60 });
    expect(p.renewalNoticeBeforeExpiry).toEqual({ unit: 'seconds', amount: -10 });
    expect(p.maintenanceNoticeHours).toBe(2 / 3600);
  });
  it('When an override is a number, then it is seconds; when a Duration, then it is kept as is', () => {
    const p = testTermsPolicy('test-b', {
      formalNoticeCure: 3,
      claimBar: { unit: 'years', amount: 2 },
      maintenanceNoticeHours: 1,
    });
    expect(p.formalNoticeCure).toEqual({ unit: 'seconds', amount: 3 });
    expect(p.claimBar).toEqual({ unit: 'years', amount: 2 });
    expect(p.maintenanceNoticeHours).toBe(1);
  });
  it('When asked to reuse the real version, then it throws', () => {
    expect(() => testTermsPolicy('2026-01')).toThrow('may not reuse');
  });
});
