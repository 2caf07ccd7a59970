import {
  assertCents,
  centsToDecimal,
  divRoundHalfUp,
  e4ToCentsDown,
  e4ToCentsUp,
  e4ToDecimal,
  formatEur,
  formatEurE4,
  isCents,
  MoneyError,
  mulDivRoundHalfUp,
  negate,
  subtract,
  sum,
  add,
} from '../../domain/money';
import { prng, intIn } from '../support/prng';

/** Independent reference: truncating division, then bump the magnitude when |remainder| ≥ |d|/2. */
function referenceRound(n: bigint, d: bigint): bigint {
  let q = n / d;
  const r = n % d;
  const absR = r < 0n ? -r : r;
  const absD = d < 0n ? -d : d;
  if (2n * absR >= absD) q += n < 0n !== d < 0n ? -1n : 1n;
  return q;
}

describe('assertCents', () => {
  it.each([0, 1, -1, 123456, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])(
    'When the amount is %p, then it is accepted',
    (v) => {
      expect(() => assertCents(v)).not.toThrow();
      expect(isCents(v)).toBe(true);
    },
  );

  it.each([1.5, 0.1, NaN, Infinity, -Infinity, 2 ** 53, '100', null, undefined])(
    'When the amount is %p, then it is rejected',
    (v) => {
      expect(() => assertCents(v)).toThrow(MoneyError);
      expect(isCents(v)).toBe(false);
    },
  );
});

describe('sum / add / subtract / negate', () => {
  it('When summing nothing, then the result is 0', () => {
    expect(sum([])).toBe(0);
  });

  it('When summing integers, then the result is exact', () => {
    expect(sum([1999, 1, -500, 250000])).toBe(251500);
    expect(add(10, 20)).toBe(30);
    expect(subtract(10, 25)).toBe(-15);
  });

  it('When a term is not an integer, then the sum throws and names it', () => {
    expect(() => sum([1, 2.5])).toThrow(/amount #1/);
  });

  it('When the sum leaves the safe-integer range, then it throws instead of losing cents', () => {
    expect(() => sum([Number.MAX_SAFE_INTEGER, 1])).toThrow(MoneyError);
  });

  it('When negating 0, then the result is +0 (never -0)', () => {
    expect(Object.is(negate(0), 0)).toBe(true);
    expect(negate(-42)).toBe(42);
  });
});

describe('mulDivRoundHalfUp', () => {
  it.each([
    [1, 1, 2, 1], // 0.5 → 1
    [3, 1, 2, 2], // 1.5 → 2
    [5, 1, 2, 3], // 2.5 → 3 (not banker's 2)
    [-1, 1, 2, -1], // -0.5 → -1 (away from zero)
    [-3, 1, 2, -2], // -1.5 → -2
    [1, 1, -2, -1], // negative divisor
    [1, 1, 3, 0], // 0.333 → 0
    [2, 1, 3, 1], // 0.666 → 1
    [-2, 1, 3, -1],
    [4999, 1, 10000, 0], // 0.4999 → 0
    [5000, 1, 10000, 1], // 0.5 → 1
    [1, 450, 100, 5], // 1 SMS at 0.0450 € = 4.5 cents → 5
    [12345, 2000, 10000, 2469], // 20 % of 123.45 € = 24.69 €
  ])('When computing %p × %p / %p, then the result is %p', (a, b, c, expected) => {
    expect(mulDivRoundHalfUp(a, b, c)).toBe(expected);
  });

  it('When the result is zero from a negative product, then it is +0', () => {
    expect(Object.is(mulDivRoundHalfUp(-1, 1, 3), 0)).toBe(true);
  });

  it('When the product exceeds 2^53, then the result is still exact (BigInt inside)', () => {
    // As floats, (2^53 - 1) × 10000 / 10000 gives 9007199254740992 (wrong by one).
    expect(mulDivRoundHalfUp(Number.MAX_SAFE_INTEGER, 10000, 10000)).toBe(Number.MAX_SAFE_INTEGER);
    expect(mulDivRoundHalfUp(9_000_000_000_000, 3_000, 7_000)).toBe(3857142857143); // 3 857 142 857 142.857…;
  });

  it('When the divisor is 0 or an argument is fractional, then it throws', () => {
    expect(() => mulDivRoundHalfUp(1, 1, 0)).toThrow(MoneyError);
    expect(() => mulDivRoundHalfUp(1.5, 1, 1)).toThrow(MoneyError);
  });

  it('When the result overflows a safe integer, then it throws', () => {
    expect(() => mulDivRoundHalfUp(Number.MAX_SAFE_INTEGER, 2, 1)).toThrow(MoneyError);
  });

  it('When random operands are drawn, then the result matches an independent reference, is symmetric, and is within half a unit', () => {
    const r = prng(20260101);
    for (let i = 0; i < 5000; i++) {
      const a = intIn(r, -1e12, 1e12);
      const b = intIn(r, -100000, 100000);
      const c = intIn(r, 1, 1000000) * (r() < 0.2 ? -1 : 1);
      const got = mulDivRoundHalfUp(a, b, c);
      expect(BigInt(got)).toBe(referenceRound(BigInt(a) * BigInt(b), BigInt(c)));
      expect(mulDivRoundHalfUp(-a, b, c)).toBe(got === 0 ? 0 : -got);
      // |a·b − got·c| ≤ |c| / 2
      const err = BigInt(a) * BigInt(b) - BigInt(got) * BigInt(c);
      expect(2n * (err < 0n ? -err : err) <= BigInt(Math.abs(c))).toBe(true);
    }
  });

  it('When dividing BigInts directly, then halves go away from zero', () => {
    expect(divRoundHalfUp(25n, 10n)).toBe(3n);
    expect(divRoundHalfUp(-25n, 10n)).toBe(-3n);
    expect(divRoundHalfUp(24n, 10n)).toBe(2n);
    expect(divRoundHalfUp(25n, -10n)).toBe(-3n);
  });
});

describe('e4ToCentsDown / e4ToCentsUp', () => {
  it.each([
    [0, 0, 0],
    [10, 0, 1],
    [99, 0, 1],
    [100, 1, 1],
    [450, 4, 5],
    [14_850, 148, 149],
    [-450, -4, -5],
  ])('When %p e4 are shown in cents, then down is %p and up is %p', (e4, down, up) => {
    expect([e4ToCentsDown(e4), e4ToCentsUp(e4)]).toEqual([down, up]);
    expect(Object.is(e4ToCentsDown(e4), -0)).toBe(false);
  });

  it('When the amount is not a safe integer, then it throws', () => {
    expect(() => e4ToCentsDown(1.5)).toThrow(MoneyError);
    expect(() => e4ToCentsUp(Number.MAX_SAFE_INTEGER + 1)).toThrow(MoneyError);
  });
});

describe('formatEur', () => {
  const NNBSP = '\u202f';
  const NBSP = '\u00a0';

  it.each([
    [123456, `1${NNBSP}234,56${NBSP}€`],
    [-123456, `-1${NNBSP}234,56${NBSP}€`],
    [0, `0,00${NBSP}€`],
    [5, `0,05${NBSP}€`],
    [-5, `-0,05${NBSP}€`],
    [99, `0,99${NBSP}€`],
    [100, `1,00${NBSP}€`],
    [100000000, `1${NNBSP}000${NNBSP}000,00${NBSP}€`],
    [Number.MAX_SAFE_INTEGER, `90${NNBSP}071${NNBSP}992${NNBSP}547${NNBSP}409,91${NBSP}€`],
  ])('When formatting %p cents in fr-FR, then it reads %p', (cents, text) => {
    expect(formatEur(cents)).toBe(text);
  });

  it('When formatting in fr-FR, then the output is what Intl fr-FR gives for the same amounts', () => {
    const intl = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });
    for (const c of [123456, -123456, 0, 7, 1000000, 123456789]) expect(formatEur(c)).toBe(intl.format(c / 100));
  });

  it('When formatting in en, then it reads €1,234.56', () => {
    expect(formatEur(123456, 'en')).toBe('€1,234.56');
    expect(formatEur(-5, 'en')).toBe('-€0.05');
  });

  it('When formatting a sub-cent unit price, then four decimals are shown', () => {
    expect(formatEurE4(450)).toBe(`0,0450${NBSP}€`);
    expect(formatEurE4(12345678)).toBe(`1${NNBSP}234,5678${NBSP}€`);
  });

  it('When formatting a non-integer amount, then it throws', () => {
    expect(() => formatEur(1.5)).toThrow(MoneyError);
  });

  it('When writing machine decimals, then a dot and fixed decimals are used', () => {
    expect(centsToDecimal(123456)).toBe('1234.56');
    expect(centsToDecimal(-5)).toBe('-0.05');
    expect(centsToDecimal(0)).toBe('0.00');
    expect(e4ToDecimal(450)).toBe('0.0450');
  });
});
