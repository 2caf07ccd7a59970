// Late-payment penalty (ToS 7.3; Code de commerce L441-10, D441-5). No I/O, no Node built-ins.
//
// Written-down rules:
// - Late days. The Paris calendar date of the due instant is the due date; it is never a late
//   day, even for a payment made on it after the due instant. Each later Paris date up to and
//   including the Paris date of the payment (or of `asOf` while unpaid) is one late day. A
//   payment at or before the due instant has 0 late days. So: paid 1 ms before due → 0; paid on
//   the next Paris date (even at 00:00) → 1.
// - Rate. Each late day takes the French legal interest rate (professional creditors) of the
//   semester its Paris date belongs to (S1 = January–June, S2 = July–December), times 3.
// - Per day: amountDue × 3 × rate / D, where D is the number of days of the calendar year the
//   late day belongs to: 366 for a day of a leap year (2028), 365 otherwise. (A day is 1/365 or
//   1/366 of its own year, so a whole year late always costs exactly 3 × rate × amount.)
// - The per-day amounts are summed exactly (BigInt rationals) and rounded half-up to the cent
//   ONCE. perSemester[].interestCents are rounded separately for display only; their sum may
//   differ from interestCents by a cent or so.
// - A late day in a semester missing from the table is a configuration error
//   (LegalRateMissingError naming the semester), never a silent zero.
// - Recovery indemnity: 40 € (4000 cents), once per late invoice (daysLate ≥ 1, amount due > 0),
//   whatever the number of late days. It bears no VAT and no interest.
import { parisDate, calendarDaysBetween } from './calendar';
import { assertCents, divRoundHalfUp, type Cents } from './money';

const LATE_PENALTY_MULTIPLIER = 3;
export const RECOVERY_INDEMNITY_CENTS: Cents = 4000;

/** A semester as 'YYYY-S1' (January–June) or 'YYYY-S2' (July–December). */
export type Semester = `${number}-S${1 | 2}`;

export interface LegalRateEntry {
  semester: Semester;
  /** Legal interest rate for professional creditors, basis points (3.71 % = 371). */
  rateBp: number;
}

/** Published by arrêté each semester: extend this data (or pass your own table). */
export const LEGAL_INTEREST_RATES: readonly LegalRateEntry[] = [
  { semester: '2025-S1', rateBp: 371 },
  { semester: '2025-S2', rateBp: 276 },
  { semester: '2026-S1', rateBp: 262 },
];

export class LegalRateMissingError extends Error {
  override name = 'LegalRateMissingError';
  constructor(readonly semester: Semester) {
    super(`legal interest rate not configured for semester ${semester}`);
  }
}

export class LegalRateTableError extends Error {
  override name = 'LegalRateTableError';
}

interface SemesterPenalty {
  semester: Semester;
  rateBp: number;
  /** 3 × rateBp. */
  penaltyRateBp: number;
  /** First and last late Paris dates in this semester (inclusive), YYYY-MM-DD. */
  from: string;
  to: string;
  days: number;
  /** 365 or 366: days of the year the semester belongs to. */
  daysInYear: number;
  /** This semester's share rounded on its own: for display only. */
  interestCents: Cents;
}

export interface LatePenalty {
  daysLate: number;
  interestCents: Cents;
  indemnityCents: Cents;
  /** interestCents + indemnityCents. */
  totalCents: Cents;
  perSemester: SemesterPenalty[];
}

export type LatePenaltyInput = {
  amountDueCents: Cents;
  dueAt: Date;
  table?: readonly LegalRateEntry[];
} & ({ paidAt: Date; asOf?: never } | { asOf: Date; paidAt?: never });

const DAY_MS = 86_400_000;
const LCM_YEAR = 365n * 366n; // 365 and 366 are coprime

function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function indexTable(table: readonly LegalRateEntry[]): Map<string, number> {
  const byId = new Map<string, number>();
  for (const e of table) {
    if (!/^\d{4}-S[12]$/.test(e.semester))
      throw new LegalRateTableError(`bad semester id: ${JSON.stringify(e.semester)}`);
    if (!Number.isSafeInteger(e.rateBp) || e.rateBp < 0)
      throw new LegalRateTableError(`bad rate for ${e.semester}: ${e.rateBp}`);
    if (byId.has(e.semester)) throw new LegalRateTableError(`semester ${e.semester} listed twice`);
    byId.set(e.semester, e.rateBp);
  }
  return byId;
}

function assertInstant(d: Date, label: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError(`${label} must be a valid Date`);
}

/** Number of late days under the rule above. */
export function daysLate(dueAt: Date, paidAtOrAsOf: Date): number {
  assertInstant(dueAt, 'dueAt');
  assertInstant(paidAtOrAsOf, 'paidAt/asOf');
  if (paidAtOrAsOf.getTime() <= dueAt.getTime()) return 0;
  return Math.max(0, calendarDaysBetween(dueAt, paidAtOrAsOf));
}

export function latePenalty(input: LatePenaltyInput): LatePenalty {
  const { amountDueCents, dueAt } = input;
  const table = input.table ?? LEGAL_INTEREST_RATES;
  assertCents(amountDueCents, 'amountDueCents');
  if (amountDueCents < 0) throw new RangeError('amountDueCents must not be negative');
  const end = input.paidAt ?? input.asOf;
  if ((input.paidAt === undefined) === (input.asOf === undefined)) {
    throw new RangeError('give exactly one of paidAt and asOf');
  }
  const rates = indexTable(table);
  const late = amountDueCents === 0 ? 0 : daysLate(dueAt, end!);
  if (late === 0) return { daysLate: 0, interestCents: 0, indemnityCents: 0, totalCents: 0, perSemester: [] };

  const firstDay = dayNumber(parisDate(dueAt)) + 1;
  const endDay = firstDay + late; // exclusive
  const amount = BigInt(amountDueCents);
  const perSemester: SemesterPenalty[] = [];
  let numerator = 0n; // in units of 1 / (10_000 × LCM_YEAR) cents
  const denominator = 10_000n * LCM_YEAR;

  let cursor = firstDay;
  while (cursor < endDay) {
    const iso = isoOfDay(cursor);
    const year = Number(iso.slice(0, 4));
    const half = Number(iso.slice(5, 7)) <= 6 ? 1 : 2;
    const semester = `${year}-S${half}` as Semester;
    const semesterEnd = half === 1 ? Date.UTC(year, 6, 1) / DAY_MS : Date.UTC(year + 1, 0, 1) / DAY_MS;
    const chunkEnd = Math.min(endDay, semesterEnd);
    const days = chunkEnd - cursor;
    const rateBp = rates.get(semester);
    if (rateBp === undefined) throw new LegalRateMissingError(semester);
    const daysInYear = isLeapYear(year) ? 366 : 365;
    const penaltyRateBp = LATE_PENALTY_MULTIPLIER * rateBp;
    // amount × penaltyRate/10_000 × days/daysInYear, over the common denominator.
    const share = amount * BigInt(penaltyRateBp) * BigInt(days) * (LCM_YEAR / BigInt(daysInYear));
    numerator += share;
    perSemester.push({
      semester,
      rateBp,
      penaltyRateBp,
      from: iso,
      to: isoOfDay(chunkEnd - 1),
      days,
      daysInYear,
      interestCents: Number(divRoundHalfUp(share, denominator)),
    });
    cursor = chunkEnd;
  }
  const interest = divRoundHalfUp(numerator, denominator);
  if (interest > BigInt(Number.MAX_SAFE_INTEGER - RECOVERY_INDEMNITY_CENTS))
    throw new RangeError('interest overflows a safe integer');
  const interestCents = Number(interest);
  return {
    daysLate: late,
    interestCents,
    indemnityCents: RECOVERY_INDEMNITY_CENTS,
    totalCents: interestCents + RECOVERY_INDEMNITY_CENTS,
    perSemester,
  };
}
