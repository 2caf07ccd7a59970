// Calendar rules of the contract, evaluated in Europe/Paris and returned as UTC instants.
// No I/O and no Node built-ins: workflows import this module. No clock is read here.
//
// Written-down rules ("calendar days" count weekends and holidays; docs/contract.md):
// - "within N calendar days of X": X happens on Paris date D; the period ends at the end of
//   Paris date D+N. We return the *exclusive* end: 00:00 Paris on D+N+1. An act at
//   end - 1 ms is in time; an act at `end` is late.
// - "N months / N years after X": same Paris wall-clock time on the date N months (years)
//   later. When that month is shorter, the day is clamped to its last day:
//   31 January + 1 month = 28 February (29 in a leap year); 29 February + 1 year = 28 February
//   (as art. 641 of the French Code de procédure civile does for periods in months/years).
// - "N hours after X" is an instant rule: exactly N × 3600 s later, DST changes included.
// - Wall-clock times that do not exist (spring DST gap, e.g. 02:30 on the last Sunday of
//   March) move forward by the gap (→ 03:30 CEST); ambiguous ones (autumn, 02:00–02:59 on the
//   last Sunday of October) take the EARLIER instant (the +02:00 one), whatever the offset of
//   the starting instant. (Fixed: plain luxon `plus` kept the starting instant's offset, so
//   25 Nov 02:30 − 1 month gave the later 02:30 +01:00 while 25 Sep 02:30 + 1 month gave the
//   earlier one.) Paris midnight is never in a gap nor ambiguous.
import { DateTime, IANAZone } from 'luxon';

const CONTRACT_ZONE = 'Europe/Paris';

const ZONE = IANAZone.create(CONTRACT_ZONE);
const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

function ms(instant: Date): number {
  const t = instant instanceof Date ? instant.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError(`invalid instant: ${String(instant)}`);
  return t;
}

/** Paris wall-clock time of an instant, encoded as if it were UTC milliseconds. */
function toWall(instant: Date): number {
  const t = ms(instant);
  return t + ZONE.offset(t) * MS_PER_MINUTE;
}

/** Wall-clock arithmetic done in a zone without DST, so only the calendar matters. */
function wallDateTime(wall: number): DateTime {
  return DateTime.fromMillis(wall, { zone: 'utc' });
}

/**
 * The instant showing Paris wall-clock `wall`: the earlier one when ambiguous, moved forward
 * by the gap when it does not exist.
 */
function fromWall(wall: number): Date {
  const before = ZONE.offset(wall - MS_PER_DAY);
  const after = ZONE.offset(wall + MS_PER_DAY);
  // A larger offset gives an earlier instant: try it first.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const utc = wall - offset * MS_PER_MINUTE;
    if (ZONE.offset(utc) === offset) return new Date(utc);
  }
  // Gap: read with the offset in force before it, the wall clock lands `gap` later.
  return new Date(wall - before * MS_PER_MINUTE);
}

function startOfWallDay(wall: number): number {
  return Math.floor(wall / MS_PER_DAY) * MS_PER_DAY;
}

/** Paris calendar date of an instant, as YYYY-MM-DD. */
export function parisDate(instant: Date): string {
  return wallDateTime(toWall(instant)).toISODate()!;
}

/** Exclusive end of the N-th calendar day after the Paris date of `start` (see rules above). */
export function endOfCalendarDaysAfter(start: Date, days: number): Date {
  assertWhole(days);
  return fromWall(startOfWallDay(toWall(start)) + (days + 1) * MS_PER_DAY);
}

/** Same Paris wall-clock time N calendar days later (negative: earlier). */
export function addCalendarDays(instant: Date, days: number): Date {
  assertWhole(days);
  return fromWall(toWall(instant) + days * MS_PER_DAY);
}

/** Same Paris wall-clock time N months later, day clamped to the month's end. */
export function addCalendarMonths(instant: Date, months: number): Date {
  assertWhole(months);
  return fromWall(wallDateTime(toWall(instant)).plus({ months }).toMillis());
}

/** Same Paris wall-clock time N years later; 29 February becomes 28 February. */
export function addCalendarYears(instant: Date, years: number): Date {
  assertWhole(years);
  return fromWall(wallDateTime(toWall(instant)).plus({ years }).toMillis());
}

/** Exactly N hours later (an instant rule: a DST change does not move it). */
export function addHours(instant: Date, hours: number): Date {
  if (!Number.isFinite(hours)) throw new RangeError(`expected a finite number, got ${hours}`);
  return new Date(ms(instant) + Math.round(hours * MS_PER_HOUR));
}

/** Start of the Paris calendar day that contains `instant`. */
export function startOfParisDay(instant: Date): Date {
  return fromWall(startOfWallDay(toWall(instant)));
}

/** Start of the next Paris calendar month after the one containing `instant`. */
export function startOfNextParisMonth(instant: Date): Date {
  return fromWall(wallDateTime(toWall(instant)).startOf('month').plus({ months: 1 }).toMillis());
}

/** Whole Paris calendar days from a's date to b's date (b later → positive). */
export function calendarDaysBetween(a: Date, b: Date): number {
  return (startOfWallDay(toWall(b)) - startOfWallDay(toWall(a))) / MS_PER_DAY;
}

function assertWhole(n: number): void {
  if (!Number.isInteger(n)) throw new RangeError(`expected a whole number, got ${n}`);
}
