// VAT: rate history, the B2B treatment for a seller established in France, VAT number and
// SIREN syntax. No I/O and no Node built-ins: workflows import this module.
//
// Written-down rules:
// - Rates are integer basis points (20 % = 2000). A rate history entry applies from 00:00
//   Europe/Paris on its `from` date; the rate applied is the one in force on the Paris date of
//   the invoicing instant (ToS 7.2). A date before a country's first entry is an error
//   (VatRateUnavailableError), never a guess.
// - Treatment (seller in France, services B2B, CGI art. 259-1):
//     buyer in France (Monaco counts as France for VAT)          → French standard rate;
//     buyer in another EU member state with a valid VAT number   → reverse charge, 0 %, category AE;
//     buyer in another EU member state without a valid number    → French standard rate;
//     buyer outside the EU                                      → not subject to French VAT, category O.
//   "Valid" here is the syntax check below, including that the number's prefix is the buyer's
//   country (EL for Greece). Whether the number is live (VIES) is checked at account entry, outside
//   this pure module; an EU buyer whose number fails the syntax check pays French VAT and the
//   treatment says why (reason 'eu_buyer_vat_number_invalid').
import { parisDate } from './calendar';

/** EN 16931 VAT category codes used here: S standard, AE reverse charge, O outside scope. */
type VatCategory = 'S' | 'AE' | 'O';

/** A VAT rate as put on an invoice line. Lines with the same `key` are taxed together. */
export interface VatRate {
  key: string;
  category: VatCategory;
  rateBp: number;
  /** Legal mention printed on the invoice when the rate is an exemption / reverse charge. */
  exemptionReason: string | null;
}

interface VatRateHistoryEntry {
  /** Paris calendar date YYYY-MM-DD from which the rate applies. */
  from: string;
  standardRateBp: number;
}

export type VatRateHistory = Readonly<Record<string, readonly VatRateHistoryEntry[]>>;

/** Dated data: add an entry when a rate changes; entries are sorted by `from`. */
const VAT_RATE_HISTORY: VatRateHistory = {
  FR: [{ from: '2014-01-01', standardRateBp: 2000 }],
};

export const REVERSE_CHARGE_MENTION =
  'Autoliquidation — article 283-2 du CGI / article 196 de la directive 2006/112/CE';
export const OUTSIDE_EU_MENTION = 'TVA non applicable, article 259-1 du CGI';

export const REVERSE_CHARGE_RATE: VatRate = {
  key: 'AE-0',
  category: 'AE',
  rateBp: 0,
  exemptionReason: REVERSE_CHARGE_MENTION,
};

const OUTSIDE_SCOPE_RATE: VatRate = {
  key: 'O-0',
  category: 'O',
  rateBp: 0,
  exemptionReason: OUTSIDE_EU_MENTION,
};

/** ISO 3166-1 alpha-2 codes of the 27 EU member states. */
const EU_MEMBER_STATES: readonly string[] = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
];

/** Countries in the French VAT territory besides FR itself. */
const FRENCH_VAT_TERRITORY = new Set(['FR', 'MC']);

export class VatRateUnavailableError extends Error {
  override name = 'VatRateUnavailableError';
  constructor(
    readonly country: string,
    readonly date: string,
  ) {
    super(`no VAT rate configured for ${country} on ${date}`);
  }
}

export class CountryCodeError extends RangeError {
  override name = 'CountryCodeError';
}

function normalizeCountry(country: string): string {
  const c = country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(c)) throw new CountryCodeError(`not an ISO 3166-1 alpha-2 code: ${JSON.stringify(country)}`);
  return c;
}

export function isEuMemberState(country: string): boolean {
  return EU_MEMBER_STATES.includes(normalizeCountry(country));
}

/** The standard rate of `country` in force on the Paris date of `on`. */
export function standardVatRate(country: string, on: Date, history: VatRateHistory = VAT_RATE_HISTORY): VatRate {
  const c = normalizeCountry(country);
  const date = parisDate(on);
  const entries = history[c] ?? [];
  let found: VatRateHistoryEntry | undefined;
  for (const e of entries) {
    if (e.from <= date && (!found || e.from > found.from)) found = e;
  }
  if (!found) throw new VatRateUnavailableError(c, date);
  return { key: `${c}-S-${found.standardRateBp}`, category: 'S', rateBp: found.standardRateBp, exemptionReason: null };
}

type VatTreatmentReason =
  | 'buyer_in_france'
  | 'eu_buyer_with_vat_number'
  | 'eu_buyer_without_vat_number'
  | 'eu_buyer_vat_number_invalid'
  | 'buyer_outside_eu';

export interface VatTreatment {
  kind: 'french_vat' | 'reverse_charge' | 'outside_scope';
  reason: VatTreatmentReason;
  rate: VatRate;
  /** Mention to print on the invoice (null for French VAT). */
  mention: string | null;
}

export interface VatTreatmentInput {
  buyerCountry: string;
  buyerVatNumber?: string | null;
  /** The invoicing instant: the French rate is the one in force on its Paris date. */
  on: Date;
  history?: VatRateHistory;
}

export function vatTreatment({ buyerCountry, buyerVatNumber, on, history }: VatTreatmentInput): VatTreatment {
  const country = normalizeCountry(buyerCountry);
  const french = (reason: VatTreatmentReason): VatTreatment => ({
    kind: 'french_vat',
    reason,
    rate: standardVatRate('FR', on, history),
    mention: null,
  });
  if (FRENCH_VAT_TERRITORY.has(country)) return french('buyer_in_france');
  if (!EU_MEMBER_STATES.includes(country)) {
    return { kind: 'outside_scope', reason: 'buyer_outside_eu', rate: OUTSIDE_SCOPE_RATE, mention: OUTSIDE_EU_MENTION };
  }
  if (buyerVatNumber == null || buyerVatNumber.trim() === '') return french('eu_buyer_without_vat_number');
  const check = checkVatNumber(buyerVatNumber);
  if (!check.ok || check.country !== country) return french('eu_buyer_vat_number_invalid');
  return {
    kind: 'reverse_charge',
    reason: 'eu_buyer_with_vat_number',
    rate: REVERSE_CHARGE_RATE,
    mention: REVERSE_CHARGE_MENTION,
  };
}

// ---- VAT numbers (syntax only) -------------------------------------------------------------

/** Format of the part after the 2-letter prefix, per EU member state (VIES formats). */
const VAT_FORMATS: Readonly<Record<string, RegExp>> = {
  AT: /^U\d{8}$/,
  BE: /^[01]\d{9}$/,
  BG: /^\d{9,10}$/,
  CY: /^\d{8}[A-Z]$/,
  CZ: /^\d{8,10}$/,
  DE: /^\d{9}$/,
  DK: /^\d{8}$/,
  EE: /^\d{9}$/,
  EL: /^\d{9}$/,
  ES: /^[A-Z0-9]\d{7}[A-Z0-9]$/,
  FI: /^\d{8}$/,
  FR: /^[A-HJ-NP-Z0-9]{2}\d{9}$/,
  HR: /^\d{11}$/,
  HU: /^\d{8}$/,
  IE: /^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$/,
  IT: /^\d{11}$/,
  LT: /^(\d{9}|\d{12})$/,
  LU: /^\d{8}$/,
  LV: /^\d{11}$/,
  MT: /^\d{8}$/,
  NL: /^\d{9}B\d{2}$/,
  PL: /^\d{10}$/,
  PT: /^\d{9}$/,
  RO: /^[1-9]\d{1,9}$/,
  SE: /^\d{10}01$/,
  SI: /^\d{8}$/,
  SK: /^\d{10}$/,
};

export type VatNumberCheck =
  | { ok: true; normalized: string; /** ISO country (GR for the EL prefix). */ country: string }
  | { ok: false; reason: 'unknown_prefix' | 'format' | 'check_key' };

/** Removes spaces, dots and hyphens and upper-cases: "fr 40 303 265 045" → "FR40303265045". */
export function normalizeVatNumber(raw: string): string {
  return raw.replace(/[\s.\-]/g, '').toUpperCase();
}

/**
 * Syntax of an EU VAT number. FR: "FR" + 2 key characters + 9-digit SIREN; when the key is
 * numeric it must equal (12 + 3 × (SIREN mod 97)) mod 97 and the SIREN must pass Luhn; an
 * alphanumeric key (numbers issued without that key) is checked for format only.
 */
export function checkVatNumber(raw: string): VatNumberCheck {
  const n = normalizeVatNumber(raw);
  const prefix = n.slice(0, 2);
  const body = n.slice(2);
  const format = VAT_FORMATS[prefix];
  if (!format) return { ok: false, reason: 'unknown_prefix' };
  if (!format.test(body)) return { ok: false, reason: 'format' };
  if (prefix === 'FR') {
    const key = body.slice(0, 2);
    const siren = body.slice(2);
    if (/^\d{2}$/.test(key)) {
      if (!isValidSiren(siren) || Number(key) !== frenchVatKey(siren)) return { ok: false, reason: 'check_key' };
    }
  }
  return { ok: true, normalized: n, country: prefix === 'EL' ? 'GR' : prefix };
}

export function isValidVatNumber(raw: string): boolean {
  return checkVatNumber(raw).ok;
}

/** FR VAT key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97. */
export function frenchVatKey(siren: string): number {
  if (!/^\d{9}$/.test(siren)) throw new RangeError(`SIREN must be 9 digits: ${JSON.stringify(siren)}`);
  return (12 + 3 * (Number(siren) % 97)) % 97;
}

/** "FR" + key + SIREN for a valid SIREN. */
export function frenchVatNumberFromSiren(siren: string): string {
  if (!isValidSiren(siren)) throw new RangeError(`invalid SIREN: ${JSON.stringify(siren)}`);
  return `FR${String(frenchVatKey(siren)).padStart(2, '0')}${siren}`;
}

/** SIREN: exactly 9 digits passing the Luhn check. */
export function isValidSiren(siren: string): boolean {
  return /^\d{9}$/.test(siren) && luhnValid(siren);
}

function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}

/** "20 %" / "5,5 %" for display. */
export function formatRateBp(rateBp: number): string {
  const whole = Math.trunc(rateBp / 100);
  const frac = String(rateBp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${whole}${frac ? `,${frac}` : ''}\u00a0%`;
}
