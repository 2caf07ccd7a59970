// A contractual duration worded as the terms word it ("seven (7) calendar days", "one (1) month"),
// so that notices and refusals say the period of the account's terms version instead of a copy
// of today's figure. Pure: workflows import it.
import type { Duration } from './terms-policy';

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** English words of a whole number 0 ≤ n < 1,000,000 ("thirty-six", "one hundred and five"). */
function numberWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1_000_000) throw new RangeError(`cannot word ${n}`);
  if (n < 20) return ONES[n];
  if (n < 100) return TENS[Math.floor(n / 10)] + (n % 10 ? `-${ONES[n % 10]}` : '');
  if (n < 1000) {
    const rest = n % 100;
    return `${ONES[Math.floor(n / 100)]} hundred${rest ? ` and ${numberWords(rest)}` : ''}`;
  }
  const rest = n % 1000;
  const tail = rest ? `${rest < 100 ? ' and' : ''} ${numberWords(rest)}` : '';
  return `${numberWords(Math.floor(n / 1000))} thousand${tail}`;
}

const UNITS: Record<Duration['unit'], [string, string]> = {
  calendarDaysEnd: ['calendar day', 'calendar days'],
  months: ['month', 'months'],
  years: ['year', 'years'],
  hours: ['hour', 'hours'],
  seconds: ['second', 'seconds'],
};

/**
 * "seven (7) calendar days" for { unit: 'calendarDaysEnd', amount: 7 }. The sign is dropped: a
 * negative amount is a cut-off before an instant (3.2 i "thirty (30) days before"), whose sentence
 * says "before". A fraction (test policies only) is written in figures alone.
 */
export function durationWords(d: Duration): string {
  const n = Math.abs(d.amount);
  const [one, many] = UNITS[d.unit];
  const unit = n === 1 ? one : many;
  return Number.isInteger(n) && n < 1_000_000 ? `${numberWords(n)} (${n}) ${unit}` : `${n} ${unit}`;
}
