// Money as integer euro cents. No I/O and no Node built-ins: workflows import this module.
//
// Written-down rules:
// - An amount is a `Cents`: a safe integer number of euro cents (negative allowed: credit notes).
//   Every entry point validates; a fraction, NaN, Infinity or a value beyond 2^53 - 1 throws.
// - Rounding is "half-up" in the commercial sense: half away from zero. 0.5 → 1, 1.5 → 2,
//   -0.5 → -1, -1.5 → -2. It is symmetric: round(-x) = -round(x), so a credit note that negates
//   an invoice's lines negates its totals exactly.
// - Products that may exceed 2^53 (quantity × price × rate) are computed with BigInt and
//   divided once, so no float ever touches an amount.
// - Unit prices finer than a cent (SMS at 0.0450 €) are integer ten-thousandths of a euro
//   ("E4"): 1 cent = 100 E4. The prepaid ledger and orders hold E4 too, so a priced message is
//   never free nor dearer than its price; amounts invoiced or paid are cents (an invoice line
//   rounds its E4 amount once, half up: send-pricing.ts e4ToCentsHalfUp).

export type Cents = number;
/** Integer ten-thousandths of a euro (0.0450 € = 450). */
export type PriceE4 = number;

export class MoneyError extends RangeError {
  override name = 'MoneyError';
}

export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Throws unless `value` is a safe integer (a valid amount in cents). */
export function assertCents(value: unknown, label = 'amount'): asserts value is Cents {
  if (!isCents(value)) throw new MoneyError(`${label} must be a safe integer of cents, got ${String(value)}`);
}

function assertSafeInt(value: unknown, label: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new MoneyError(`${label} must be a safe integer, got ${String(value)}`);
  }
}

function toSafeNumber(value: bigint, label: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyError(`${label} overflows a safe integer: ${value.toString()}`);
  }
  return Number(value);
}

/** Sum of amounts; validates each term and the result. Empty sum = 0. */
export function sum(values: readonly Cents[]): Cents {
  let total = 0n;
  values.forEach((v, i) => {
    assertCents(v, `amount #${i}`);
    total += BigInt(v);
  });
  return toSafeNumber(total, 'sum');
}

export function add(a: Cents, b: Cents): Cents {
  return sum([a, b]);
}

export function subtract(a: Cents, b: Cents): Cents {
  assertCents(b, 'subtrahend');
  return sum([a, -b]);
}

export function negate(a: Cents): Cents {
  assertCents(a);
  return a === 0 ? 0 : -a; // never -0
}

/** n / d rounded half away from zero, exact on BigInts. d must not be 0. */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new MoneyError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (2n * abs + d) / (2n * d); // floor(|n|/d + 1/2)
  return negative ? -q : q;
}

/**
 * round(a × b / c), half away from zero; a, b, c safe integers, c ≠ 0. The product is taken in
 * BigInt, so it may exceed 2^53; the result must fit a safe integer.
 * Examples: VAT = mulDivRoundHalfUp(base, rateBp, 10_000); line = mulDivRoundHalfUp(qty, priceE4, 100).
 */
export function mulDivRoundHalfUp(a: number, b: number, c: number): number {
  assertSafeInt(a, 'a');
  assertSafeInt(b, 'b');
  assertSafeInt(c, 'c');
  const r = toSafeNumber(divRoundHalfUp(BigInt(a) * BigInt(b), BigInt(c)), 'result');
  return r === 0 ? 0 : r; // never -0
}

/** E4 → whole cents rounded down (toward zero): what a balance shows without overstating it. */
export function e4ToCentsDown(amountE4: PriceE4): Cents {
  assertSafeInt(amountE4, 'amount');
  const c = (amountE4 - (amountE4 % 100)) / 100; // exact on safe integers
  return c === 0 ? 0 : c; // never -0
}

/** E4 → whole cents rounded up (away from zero): what must be available to cover it. */
export function e4ToCentsUp(amountE4: PriceE4): Cents {
  assertSafeInt(amountE4, 'amount');
  const down = e4ToCentsDown(amountE4);
  return amountE4 % 100 === 0 ? down : down + Math.sign(amountE4);
}

const NNBSP = '\u202f'; // narrow no-break space: fr-FR thousands separator
const NBSP = '\u00a0'; // no-break space before the currency sign

function groupThousands(digits: string, sep: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}

/**
 * Formats with `fractionDigits` decimals an integer amount expressed in 10^-fractionDigits euros.
 * Done by hand (not Intl) so the output does not drift with the ICU version and stays exact
 * beyond 2^53 / 100.
 */
function formatScaled(value: number, fractionDigits: number, locale: EurLocale): string {
  assertSafeInt(value, 'amount');
  const negative = value < 0;
  const s = Math.abs(value)
    .toString()
    .padStart(fractionDigits + 1, '0');
  const intPart = s.slice(0, s.length - fractionDigits);
  const frac = s.slice(s.length - fractionDigits);
  if (locale === 'fr-FR') {
    return `${negative ? '-' : ''}${groupThousands(intPart, NNBSP)},${frac}${NBSP}€`;
  }
  return `${negative ? '-' : ''}€${groupThousands(intPart, ',')}.${frac}`;
}

export type EurLocale = 'fr-FR' | 'en';

/**
 * "1 234,56 €" for 123456 in fr-FR: the thousands separator is U+202F (narrow no-break space)
 * and the space before € is U+00A0, as Intl fr-FR produces; "-1 234,56 €" for negatives.
 * 'en' gives "€1,234.56".
 */
export function formatEur(cents: Cents, locale: EurLocale = 'fr-FR'): string {
  assertCents(cents);
  return formatScaled(cents, 2, locale);
}

/** A unit price in ten-thousandths: 450 → "0,0450 €". */
export function formatEurE4(priceE4: PriceE4, locale: EurLocale = 'fr-FR'): string {
  return formatScaled(priceE4, 4, locale);
}

/** Plain decimal string with a dot, for machine formats (XML): 123456 → "1234.56", -5 → "-0.05". */
export function centsToDecimal(cents: Cents): string {
  assertCents(cents);
  return scaledToDecimal(cents, 2);
}

/** 450 → "0.0450". */
export function e4ToDecimal(priceE4: PriceE4): string {
  return scaledToDecimal(priceE4, 4);
}

function scaledToDecimal(value: number, fractionDigits: number): string {
  assertSafeInt(value, 'amount');
  const s = Math.abs(value)
    .toString()
    .padStart(fractionDigits + 1, '0');
  return `${value < 0 ? '-' : ''}${s.slice(0, s.length - fractionDigits)}.${s.slice(s.length - fractionDigits)}`;
}
