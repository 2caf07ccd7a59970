// How the staff console shows instants and money (issue #13): every instant in Europe/Paris (the
// terms' calendar, ToS 1) with the UTC instant on hover, every amount in euros from integer cents.
import { h } from './dom';

const paris = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});
const eur = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' });

export const parisText = (iso: string) => paris.format(new Date(iso));

/** <time> in Paris time; its title is the UTC instant. */
export function when(iso: string | null | undefined): HTMLElement | string {
  if (!iso) return '—';
  return h('time', { datetime: iso, title: `UTC ${iso}` }, parisText(iso));
}

export const euros = (cents: number) => eur.format(cents / 100);

/** Europe/Paris offset from UTC at an instant, in ms. */
function parisOffset(utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Paris',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - utcMs;
}

/** The instant of midnight in Paris at the start of a `YYYY-MM-DD` day. */
export function parisMidnight(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d);
  return new Date(guess - parisOffset(guess - parisOffset(guess))).toISOString();
}

/** A duration left (or passed) in words: "3 d 4 h", "overdue 2 h". */
export function timeLeft(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const hrs = Math.floor((abs % 86_400_000) / 3_600_000);
  const text = d > 0 ? `${d} d ${hrs} h` : `${hrs} h ${Math.floor((abs % 3_600_000) / 60_000)} min`;
  return ms < 0 ? `overdue ${text}` : text;
}

export const shortId = (id: string) => id.slice(0, 8);
