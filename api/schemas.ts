// Shared zod building blocks for numbers and instants that reach PostgreSQL: every integer a
// request carries is bounded (a bigint cast of "99999999999999999999999" is a 500, not a 400),
// and every instant is bounded by what it means (a send scheduled in 2001 or 9999, a payment
// dated 0001-01-01 are refused). Routes use these rather than ad-hoc z.coerce.number().
import { z } from 'zod';
import { PUBLISHED_TERMS } from '../lib/terms';
import { Problem } from './errors';

/** The most cents one request may carry (10,000,000 €): payments, credit notes, adjustments. */
const MAX_CENTS = 1_000_000_000;

/** An integer of a JSON body within [min, max] (both within Number's safe integers). */
export const boundedInt = (min: number, max: number) => z.number().int().min(min).max(max);

/** An amount in cents of a JSON body, from `min` (default 1) to MAX_CENTS. */
export const cents = (min = 1) => boundedInt(min, MAX_CENTS);

/**
 * An integer of a query string: digits only (z.coerce.number() also takes '', ' 1', '1e3', '0x10'),
 * within [min, max].
 */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'an integer')
    .transform(Number)
    .pipe(boundedInt(min, max));

/** The id of a bigserial row (ledger entry, message, rejection) as text: 1 to 18 digits, always a bigint. */
export const bigintId = z.string().regex(/^\d{1,18}$/, 'an id of up to 18 digits');

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The platform's epoch: the first terms version's publication. Nothing recorded happened before. */
export const PLATFORM_EPOCH = new Date(PUBLISHED_TERMS[0].publishedAt);

/**
 * What an instant may be, by kind, relative to the server's clock:
 * - `planned` (a campaign's scheduledAt, a maintenance window): from 5 minutes ago (clock skew
 *   between client and server; a send "now" planned a moment ago) to 366 days ahead (a year:
 *   the contract runs year by year, 3.2, so a plan further ahead may outlive it; it is far
 *   likelier a typo).
 * - `occurred` (a payment received, a claim's event, a force majeure's start, a breach's
 *   awareness, a data-subject request's receipt): not before the platform's epoch, and not more
 *   than 5 minutes ahead (clock skew). Routes may narrow it (a payment not before the account).
 */
export const INSTANT_BOUNDS = {
  planned: { behindMs: 5 * MINUTE, aheadMs: 366 * DAY },
  occurred: { notBefore: PLATFORM_EPOCH, aheadMs: 5 * MINUTE },
} as const;
export type InstantKind = keyof typeof INSTANT_BOUNDS;

/** [earliest, latest] accepted for `kind` at `now`. */
function instantRange(kind: InstantKind, now: Date): [Date, Date] {
  const t = now.getTime();
  const { planned, occurred } = INSTANT_BOUNDS;
  if (kind === 'planned') return [new Date(t - planned.behindMs), new Date(t + planned.aheadMs)];
  return [occurred.notBefore, new Date(t + occurred.aheadMs)];
}

/**
 * An ISO 8601 instant with its offset, parsed to a Date and bounded by `kind` at the time of the
 * parse (`now`: the app's injectable clock). Out of range: validation_failed at its path.
 */
export const instant = (kind: InstantKind, now: () => Date = () => new Date()) =>
  z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .superRefine((d, ctx) => {
      const [from, to] = instantRange(kind, now());
      if (d < from || d > to) {
        const message = `must be between ${from.toISOString()} and ${to.toISOString()} (${kind})`;
        ctx.addIssue({ code: 'custom', message });
      }
    });

/** A route's narrower floor for an `occurred` instant (a payment not before its account existed). */
export function assertNotBefore(at: Date, floor: Date, path: string, what: string): void {
  if (at >= floor) return;
  const message = `must not be before ${what} (${floor.toISOString()})`;
  throw new Problem(400, 'validation_failed', 'Invalid request', 'The request does not match the expected schema.', {
    errors: [{ path, code: 'custom', message }],
  });
}
