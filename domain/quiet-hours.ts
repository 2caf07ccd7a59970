// When marketing SMS may be sent (ToS 6.1, local regulations per territory: France, no marketing SMS 20:00–08:00,
// Sundays or public holidays; held until allowed). The policy is data so another territory or
// a changed rule is configuration, not code. No I/O and no Node built-ins.
//
// Rules: the window is [start, end) in the policy's zone, wall-clock: 08:00:00.000 is allowed,
// 20:00:00.000 is not. Days are ISO weekdays (1 = Monday … 7 = Sunday). Holidays come from
// date-holidays for `holidayCountry` (national level only: Alsace-Moselle's extra days are not
// included), keeping only the types listed (default 'public').
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

export interface QuietHoursPolicy {
  /** Destination countries (ISO alpha-2) whose marketing SMS the policy governs. */
  countries: readonly string[];
  zone: string;
  /** ISO weekdays on which sending is allowed. */
  days: readonly number[];
  /** Window start, inclusive, "HH:mm". */
  start: string;
  /** Window end, exclusive, "HH:mm". */
  end: string;
  /** Country whose holidays are closed days; null for none. */
  holidayCountry: string | null;
  holidayTypes: readonly string[];
}

export const FRANCE_MARKETING_SMS_POLICY: QuietHoursPolicy = Object.freeze({
  countries: ['FR'],
  zone: 'Europe/Paris',
  days: [1, 2, 3, 4, 5, 6],
  start: '08:00',
  end: '20:00',
  holidayCountry: 'FR',
  holidayTypes: ['public'],
});

export interface MessageKind {
  purpose: 'marketing' | 'transactional' | string;
  channel: 'sms' | 'email';
  /** Destination country (ISO alpha-2); null when unknown (e-mail). */
  country: string | null;
}

/** Quiet hours hold only marketing SMS to the policy's countries. */
export function quietHoursApply(message: MessageKind, policy: QuietHoursPolicy): boolean {
  return (
    message.purpose === 'marketing' &&
    message.channel === 'sms' &&
    message.country !== null &&
    policy.countries.includes(message.country.toUpperCase())
  );
}

function minutesOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new RangeError(`invalid time "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function windowOf(policy: QuietHoursPolicy): { startMin: number; endMin: number } {
  const startMin = minutesOf(policy.start);
  const endMin = minutesOf(policy.end);
  if (startMin >= endMin) throw new RangeError('quiet-hours window must start before it ends');
  return { startMin, endMin };
}

// date-holidays instances are costly to build and holiday lists are the same for a given
// year: cache both (pure functions of their inputs, so safe in workflows too).
const calendars = new Map<string, Holidays>();
const closedDates = new Map<string, Set<string>>();

function isHoliday(isoDate: string, policy: QuietHoursPolicy): boolean {
  const country = policy.holidayCountry;
  if (!country) return false;
  const year = Number(isoDate.slice(0, 4));
  const key = `${country}|${policy.holidayTypes.join(',')}|${year}`;
  let dates = closedDates.get(key);
  if (!dates) {
    let calendar = calendars.get(country);
    if (!calendar) {
      calendar = new Holidays(country);
      calendars.set(country, calendar);
    }
    dates = new Set(
      calendar
        .getHolidays(year)
        .filter((h) => policy.holidayTypes.includes(h.type))
        .map((h) => h.date.slice(0, 10)),
    );
    closedDates.set(key, dates);
  }
  return dates.has(isoDate);
}

function isOpenDay(day: DateTime, policy: QuietHoursPolicy): boolean {
  return policy.days.includes(day.weekday) && !isHoliday(day.toISODate()!, policy);
}

function local(instant: Date, zone: string): DateTime {
  const dt = DateTime.fromJSDate(instant, { zone });
  if (!dt.isValid) throw new RangeError(`invalid instant or zone: ${String(instant)} ${zone}`);
  return dt;
}

function msIntoDay(dt: DateTime): number {
  return ((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1000 + dt.millisecond;
}

export function isSendAllowed(instant: Date, policy: QuietHoursPolicy): boolean {
  const { startMin, endMin } = windowOf(policy);
  const dt = local(instant, policy.zone);
  const ms = msIntoDay(dt);
  return isOpenDay(dt, policy) && ms >= startMin * 60_000 && ms < endMin * 60_000;
}

/** `instant` itself when allowed, otherwise the start of the next allowed window. */
export function nextAllowedInstant(instant: Date, policy: QuietHoursPolicy): Date {
  if (isSendAllowed(instant, policy)) return instant;
  const { startMin } = windowOf(policy);
  const dt = local(instant, policy.zone);
  // Before the window opens on this day, the candidate is today; otherwise tomorrow onwards.
  let day = dt.startOf('day');
  if (msIntoDay(dt) >= startMin * 60_000) day = day.plus({ days: 1 });
  // A year and a bit covers any realistic policy; an empty `days` list would loop forever.
  for (let i = 0; i < 400; i += 1, day = day.plus({ days: 1 })) {
    if (isOpenDay(day, policy)) {
      // Luxon moves a wall-clock time that falls in a DST gap forward by the gap.
      return day.set({ hour: Math.floor(startMin / 60), minute: startMin % 60 }).toJSDate();
    }
  }
  throw new RangeError('quiet-hours policy has no allowed day');
}
