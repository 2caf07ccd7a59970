// The account's SMS and e-mail suppression lists (ToS 6.1): list, add one, import a CSV, remove.
// Entries come from STOP replies, unsubscribes, bounces and complaints (carrier webhooks) or from
// the customer (manual, import); a STOP-sourced entry is never removed here (domain/suppression.ts).
// Every write is one transaction with its audit entry; a refused request writes nothing.
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import express, { Router } from 'express';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import type { Knex } from 'knex';
import type { DbRow } from '../lib/db';
import { audit } from '../lib/audit';
import { normaliseEmail } from '../domain/email';
import { normalisePhone } from '../domain/phone';
import { customerMayRemove, SUPPRESSION_SOURCES, type CustomerSource } from '../domain/suppression';
import type { ApiDeps, Principal } from './context';
import { principalOf } from './context';
import { authenticate } from './auth';
import { conflict, notFound, Problem, unprocessable } from './errors';
import { assertSafeText } from './input-guard';
import { keysetPage, pageQueryShape, type Keyset } from './pagination';
import { iso } from './sending-common';

const MAX_IMPORT_ROWS = 100_000;
const MAX_IMPORT_BYTES = '5mb';
const MAX_REPORTED_ERRORS = 100;

const channel = z.enum(['sms', 'email']);
const reason = z.string().trim().min(1).max(200);

/** @public The route's schema, for the OpenAPI document. */
export const suppressionsQuery = z.strictObject({
  ...pageQueryShape,
  channel: channel.optional(),
  source: z.enum(SUPPRESSION_SOURCES).optional(),
  address: z.string().min(1).max(320).optional(),
});
/** @public The route's schema, for the OpenAPI document. */
export const suppressionBody = z.strictObject({
  channel,
  address: z.string().min(1).max(320),
  reason: reason.optional(),
});
/** @public The route's schema, for the OpenAPI document. */
export const suppressionImportQuery = z.strictObject({ channel });
/** @public The route's schema, for the OpenAPI document. */
export const suppressionIdParams = z.strictObject({ id: z.string().regex(/^\d{1,18}$/) });

const SUPPRESSIONS: Keyset = {
  list: 'suppressions',
  sort: 'at',
  sortType: 'timestamp',
  id: 'id',
  idType: 'bigint',
  direction: 'desc',
};

const view = (s: DbRow) => ({
  id: String(s.id),
  channel: s.channel,
  address: s.address,
  source: s.source,
  reason: s.reason,
  at: iso(s.at),
});

/** The address as the send path stores and matches it (E.164; lower-cased e-mail), or null. */
function stored(ch: 'sms' | 'email', value: string, country: string): string | null {
  if (ch === 'email') {
    const e = normaliseEmail(value);
    return e.ok ? e.email : null;
  }
  const p = normalisePhone(value, country);
  return p.ok ? p.e164 : null;
}

const invalidAddress = (ch: 'sms' | 'email') => (ch === 'sms' ? 'invalid_phone' : 'invalid_email');

export function suppressionsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const auth = authenticate(deps);
  const countryOf = async (accountId: string) =>
    (await db('accounts').where({ id: accountId }).first('country'))?.country ?? 'FR';
  const actorOf = (p: Principal) => ({
    actorType: p.via === 'session' ? ('member' as const) : ('api_key' as const),
    actorId: p.memberId ?? p.apiKeyId,
    accountId: p.accountId,
  });

  /** Inserts the entries not yet suppressed; returns those added. */
  async function insertEntries(
    trx: Knex.Transaction,
    accountId: string,
    entries: { channel: string; address: string; reason: string; source: CustomerSource }[],
  ): Promise<DbRow[]> {
    const added: DbRow[] = [];
    for (let i = 0; i < entries.length; i += 1000) {
      const rows = entries.slice(i, i + 1000).map((e) => ({ account_id: accountId, ...e }));
      added.push(
        ...(await trx('suppressions')
          .insert(rows)
          .onConflict(['account_id', 'channel', 'address'])
          .ignore()
          .returning('*')),
      );
    }
    return added;
  }

  r.get('/v1/suppressions', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const q = suppressionsQuery.parse(req.query);
    const query = db('suppressions').where({ account_id: accountId }).select('*');
    if (q.channel) query.andWhere('channel', q.channel);
    if (q.source) query.andWhere('source', q.source);
    if (q.address) {
      const ch = q.channel ?? (q.address.includes('@') ? 'email' : 'sms');
      query.andWhere('address', stored(ch, q.address, await countryOf(accountId)) ?? q.address);
    }
    res.json(await keysetPage(db, query, SUPPRESSIONS, q, view));
  });

  // One entry; an address already on the list is answered as it is (200), unchanged.
  r.post('/v1/suppressions', auth, requireRole(...ALLOWED.send), async (req, res) => {
    const p = principalOf(req);
    const input = suppressionBody.parse(req.body);
    const address = stored(input.channel, input.address, await countryOf(p.accountId));
    if (!address)
      throw unprocessable(invalidAddress(input.channel), `${input.address} is not a valid ${input.channel} address.`);
    const entry = { channel: input.channel, address, reason: input.reason ?? 'manual', source: 'manual' as const };
    const added = await db.transaction(async (trx) => {
      const [row] = await insertEntries(trx, p.accountId, [entry]);
      if (row)
        await audit(trx, {
          ...actorOf(p),
          action: 'suppression.add',
          resource: String(row.id),
          requestId: String(req.id),
        });
      return row;
    });
    const row =
      added ?? (await db('suppressions').where({ account_id: p.accountId, channel: entry.channel, address }).first());
    res
      .status(added ? 201 : 200)
      .location(`/v1/suppressions/${row.id}`)
      .json(view(row));
  });

  // text/csv with a header row: first column `address`, optional column `reason`. Every row must
  // be valid, or nothing is imported (422 invalid_rows lists the first 100 rows refused).
  r.post(
    '/v1/suppressions/import',
    auth,
    requireRole(...ALLOWED.send),
    express.text({ type: 'text/csv', limit: MAX_IMPORT_BYTES }),
    async (req, res) => {
      const p = principalOf(req);
      const { channel: ch } = suppressionImportQuery.parse(req.query);
      if (typeof req.body !== 'string')
        throw new Problem(415, 'unsupported_media_type', 'Unsupported media type', 'Send the list as text/csv.');
      let records: string[][];
      try {
        records = parse(req.body, { bom: true, skip_empty_lines: true, relax_column_count: true });
      } catch {
        throw new Problem(400, 'malformed_csv', 'Malformed CSV', 'The body is not readable as CSV.');
      }
      assertSafeText(records, 'body');
      const header = (records[0] ?? []).map((h) => h.trim().toLowerCase());
      if (header[0] !== 'address' || header.some((h, i) => i > 0 && h !== 'reason') || header.length > 2)
        throw new Problem(
          400,
          'invalid_csv_header',
          'Invalid CSV header',
          'The header must be "address" or "address,reason".',
        );
      const rows = records.slice(1);
      if (rows.length === 0) throw unprocessable('empty_import', 'The CSV has no row after its header.');
      if (rows.length > MAX_IMPORT_ROWS)
        throw unprocessable('too_many_rows', `An import holds at most ${MAX_IMPORT_ROWS} rows.`);
      const country = await countryOf(p.accountId);
      const errors: { row: number; value: string; reason: string }[] = [];
      const entries = new Map<string, { channel: string; address: string; reason: string; source: 'import' }>();
      rows.forEach((rec, i) => {
        const address = rec.length === header.length ? stored(ch, rec[0], country) : null;
        const why = rec.length !== header.length ? 'malformed_row' : !address ? invalidAddress(ch) : null;
        const given = rec[1]?.trim() ? reason.safeParse(rec[1]) : null;
        if (why || (given && !given.success))
          errors.push({ row: i + 2, value: String(rec[0] ?? ''), reason: why ?? 'invalid_reason' });
        // A repeated address: its first row counts, as in a campaign upload.
        else if (!entries.has(address!))
          entries.set(address!, { channel: ch, address: address!, reason: given?.data ?? 'import', source: 'import' });
      });
      if (errors.length)
        throw unprocessable('invalid_rows', `${errors.length} row(s) are not valid; nothing was imported.`, {
          rejected: errors.length,
          errors: errors.slice(0, MAX_REPORTED_ERRORS),
        });
      const added = await db.transaction(async (trx) => {
        const out = await insertEntries(trx, p.accountId, [...entries.values()]);
        await audit(trx, {
          ...actorOf(p),
          action: 'suppression.import',
          requestId: String(req.id),
          details: { channel: ch, rows: rows.length, added: out.length },
        });
        return out.length;
      });
      res.json({ rows: rows.length, added, unchanged: rows.length - added });
    },
  );

  r.delete('/v1/suppressions/:id', auth, requireRole(...ALLOWED.send), async (req, res) => {
    const p = principalOf(req);
    const id = suppressionIdParams.safeParse(req.params);
    if (!id.success) throw notFound('suppression');
    await db.transaction(async (trx) => {
      const row = await trx('suppressions').where({ id: id.data.id, account_id: p.accountId }).forUpdate().first();
      if (!row) throw notFound('suppression');
      if (!customerMayRemove(row.source))
        throw conflict(
          'suppression_from_stop',
          'The recipient replied STOP: only their START reply lifts this suppression (6.1).',
          { source: row.source },
        );
      await trx('suppressions').where({ id: row.id }).delete();
      await audit(trx, {
        ...actorOf(p),
        action: 'suppression.remove',
        resource: String(row.id),
        requestId: String(req.id),
        details: { channel: row.channel, source: row.source },
      });
    });
    res.status(204).end();
  });

  return r;
}
