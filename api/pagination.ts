// One keyset pagination for every customer list: a page is the `limit` rows after an opaque
// cursor in a stable order (sort key, then a unique id as tie-break), so rows written while a
// client pages (new messages, new ledger entries) never shift a page: none is lost or repeated.
// The cursor is base64url of JSON [list, sort key, id] — the sort key of a timestamp as integer
// microseconds since the epoch, because a JS Date (milliseconds) would drop rows that differ by
// less than a millisecond. It names its list, so a cursor of one list is refused by another.
import type { Knex } from 'knex';
import { z } from 'zod';
import type { DbRow } from '../lib/db';
import { Problem } from './errors';
import { queryInt } from './schemas';

const MAX_PAGE_LIMIT = 500;
const DEFAULT_PAGE_LIMIT = 50;

/** The query parameters of every list; routes extend it with their filters (z.strictObject). */
export const pageQueryShape = {
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,400}$/, 'an opaque cursor from nextCursor')
    .optional(),
  limit: queryInt(1, MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
};

export interface Keyset {
  /** The list's name, written into its cursors. */
  list: string;
  /** Column of the sort key (qualified if the query joins), and its type. */
  sort: string;
  sortType: 'timestamp' | 'bigint';
  /** Unique tie-break column, and its type. */
  id: string;
  idType: 'bigint' | 'uuid';
  direction: 'asc' | 'desc';
}

export interface Page<T> {
  items: T[];
  /** The cursor of the next page, null on the last one. */
  nextCursor: string | null;
}

const BIGINT = /^-?\d{1,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const invalidCursor = () =>
  new Problem(400, 'invalid_cursor', 'Invalid cursor', 'The cursor is not one this list returned as nextCursor.', {
    errors: [{ path: 'cursor', code: 'invalid_cursor', message: 'not a cursor of this list' }],
  });

function decodeCursor(ks: Keyset, cursor: string): [string, string] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== ks.list) throw invalidCursor();
  const [, key, id] = parsed as unknown[];
  // Both parts become SQL parameters of typed casts: anything else than their form is refused here.
  if (typeof key !== 'string' || !BIGINT.test(key)) throw invalidCursor();
  if (typeof id !== 'string' || !(ks.idType === 'uuid' ? UUID : BIGINT).test(id)) throw invalidCursor();
  if (ks.idType === 'bigint' && BigInt(id) > 9223372036854775807n) throw invalidCursor();
  if (BigInt(key) > 9223372036854775807n || BigInt(key) < -9223372036854775808n) throw invalidCursor();
  return [key, id];
}

const encodeCursor = (ks: Keyset, key: string, id: string) =>
  Buffer.from(JSON.stringify([ks.list, key, id]), 'utf8').toString('base64url');

/** The sort key as exact text: microseconds for a timestamp. */
const keyExpr = (ks: Keyset) =>
  ks.sortType === 'timestamp' ? `(extract(epoch from ${ks.sort}) * 1000000)::bigint::text` : `${ks.sort}::text`;
const keyParam = (ks: Keyset) =>
  ks.sortType === 'timestamp' ? `(timestamptz 'epoch' + ?::bigint * interval '1 microsecond')` : '?::bigint';

/**
 * Runs `query` (already scoped and filtered, without order or limit) as one page of `ks`; `view`
 * maps a row to the item the list answers with. Fetches limit + 1 rows to know if there is more.
 */
export async function keysetPage<T>(
  db: Knex,
  query: Knex.QueryBuilder,
  ks: Keyset,
  page: { cursor?: string; limit: number },
  view: (row: DbRow) => T | Promise<T>,
): Promise<Page<T>> {
  if (page.cursor) {
    const [key, id] = decodeCursor(ks, page.cursor);
    const op = ks.direction === 'asc' ? '>' : '<';
    const idParam = ks.idType === 'uuid' ? '?::uuid' : '?::bigint';
    query.andWhereRaw(`(${ks.sort}, ${ks.id}) ${op} (${keyParam(ks)}, ${idParam})`, [key, id]);
  }
  const rows: DbRow[] = await query
    .select(db.raw(`${keyExpr(ks)} as _page_key`), db.raw(`${ks.id}::text as _page_id`))
    .orderBy([
      { column: ks.sort, order: ks.direction },
      { column: ks.id, order: ks.direction },
    ])
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const kept = more ? rows.slice(0, page.limit) : rows;
  const last = kept[kept.length - 1];
  const items: T[] = [];
  for (const row of kept) items.push(await view(row));
  return { items, nextCursor: more && last ? encodeCursor(ks, last._page_key, last._page_id) : null };
}
