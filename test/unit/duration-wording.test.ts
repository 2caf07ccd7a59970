import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { durationWords } from '../../domain/duration-wording';
import { TERMS_2026_01, type TermsPolicy } from '../../domain/terms-policy';

describe('durationWords', () => {
  it('When the duration is 7 calendar days, then it reads as the terms write it', () => {
    expect(durationWords({ unit: 'calendarDaysEnd', amount: 7 })).toBe('seven (7) calendar days');
  });
  it('When the amount is 1, then the unit is singular', () => {
    expect(durationWords({ unit: 'months', amount: 1 })).toBe('one (1) month');
    expect(durationWords({ unit: 'calendarDaysEnd', amount: 1 })).toBe('one (1) calendar day');
    expect(durationWords({ unit: 'years', amount: 1 })).toBe('one (1) year');
  });
  it('When the amount needs a hyphen, a hundred or a thousand, then the words are English', () => {
    expect(durationWords({ unit: 'hours', amount: 36 })).toBe('thirty-six (36) hours');
    expect(durationWords({ unit: 'calendarDaysEnd', amount: 20 })).toBe('twenty (20) calendar days');
    expect(durationWords({ unit: 'calendarDaysEnd', amount: 105 })).toBe('one hundred and five (105) calendar days');
    expect(durationWords({ unit: 'hours', amount: 1_000 })).toBe('one thousand (1000) hours');
    expect(durationWords({ unit: 'hours', amount: 2_042 })).toBe('two thousand and forty-two (2042) hours');
    expect(durationWords({ unit: 'seconds', amount: 0 })).toBe('zero (0) seconds');
  });
  it('When the amount is a cut-off (negative), then the period is worded without its sign', () => {
    expect(durationWords(TERMS_2026_01.renewalNoticeBeforeExpiry)).toBe('thirty (30) calendar days');
    expect(durationWords(TERMS_2026_01.liabilityCapLookback)).toBe('twelve (12) months');
  });
  it('When the amount is a fraction or too large to word, then it is written in figures', () => {
    expect(durationWords({ unit: 'hours', amount: 0.5 })).toBe('0.5 hours');
    expect(durationWords({ unit: 'seconds', amount: 1_000_000 })).toBe('1000000 seconds');
  });

  // The wording of the launch policy is the wording of the published text, clause by clause.
  const terms = readFileSync(join(__dirname, '..', '..', 'docs', 'terms', '2026-01.txt'), 'utf8').replace(/\s+/g, ' ');
  const verbatim: (keyof TermsPolicy)[] = [
    'formalNoticeCure',
    'dataReturnRequest',
    'invoiceDispute',
    'packValidityAfterLastUse',
    'claimNotice',
    'claimBar',
    'liabilityCapLookback',
    'dataBreachNotification',
  ];
  it.each(verbatim)('When %s of 2026-01 is worded, then the words are those of the terms', (key) => {
    const words = durationWords(TERMS_2026_01[key] as Parameters<typeof durationWords>[0]);
    expect(terms).toContain(words);
  });
});
