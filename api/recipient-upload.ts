// Streamed ingestion of a campaign's recipients (CSV upload or inline JSON): rows are validated,
// rendered and priced one by one as they arrive and COPYed, a batch at a time, into a TEMP
// staging table; after each COPY one set-based statement numbers the batch's rows (seq continues
// in upload order), drops duplicates (first kept; a TEMP table of the recipients seen so far
// spans batches) and suppressed recipients, and inserts the messages and the rejections. While
// Postgres works on one batch, the stream prepares the next, so both cores work. The whole upload
// is one transaction on one connection: a failed or aborted upload leaves nothing behind, and a
// new upload replaces the previous one. Memory stays bounded by two batches whatever the size.
// Row sources (CSV, JSON): recipient-upload-sources.ts; validation and batching of the staged
// rows: recipient-upload-staging.ts.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CsvError } from 'csv-parse';
import type { Knex } from 'knex';
import { loadPriceList, loadPriceTable } from '../lib/orders';
import { createRowValidator, usedVariables } from './recipient-rows';
import { Problem, conflict } from './errors';
import { batchSink, stagingLines } from './recipient-upload-staging';

export interface CampaignTarget {
  orderId: string;
  accountId: string;
  channel: 'sms' | 'email';
  purpose: 'marketing' | 'transactional';
  template: string;
  subject: string | null;
  /** Country of the account: national phone numbers are read in it. */
  defaultCountry: string;
}

export interface UploadResult {
  rows: number;
  accepted: number;
  rejected: Record<string, number>;
  seconds: number;
  rowsPerSecond: number;
  priceListVersion: string;
}

export interface UploadOptions {
  optOutMention: string;
  maxRows: number;
  /** Inserts the campaign row in the same transaction (inline recipients at creation). */
  createCampaign?: Record<string, unknown>;
  /** Rows per COPY + set-based step (tests make it small to cross batch boundaries). */
  batchRows?: number;
  now?: Date;
}

type Stage = NodeJS.ReadableStream | NodeJS.ReadWriteStream;

const CHUNK_ROWS = 2000;
/**
 * Rows per COPY + set-based step. The statements cost the same per row from 10,000 rows up, and
 * the first batch (validated while Postgres waits) and the last (loaded while the stream waits)
 * are not overlapped: smaller batches shorten both (50,000 → 10,000: 200k rows ~20% faster).
 */
const BATCH_ROWS = 10_000;
const EDITABLE = ['draft', 'ready'];

// One batch, set-based. `fresh`: each recipient's first row of the batch, unless an earlier batch
// had it (ingest_seen, probed row by row through its index); those recipients join ingest_seen.
// The probe + plain insert costs a third of `insert … on conflict do nothing`, and comparing
// recipients byte-wise (collate "C": same equality, no locale rules) is cheaper still. The fresh
// rows not suppressed become messages numbered on from $4 in upload order; every other row is a
// rejection with its reason.
const BATCH_STEP = `
  with fresh as (
    insert into ingest_seen (recipient, row_no)
    select distinct on (s.recipient collate "C") s.recipient, s.row_no
      from ingest_stage s
     where s.reason is null and (select true from ingest_seen x where x.recipient = s.recipient collate "C") is null
     order by s.recipient collate "C", s.row_no
    returning row_no
  ), kept as (
    select s.row_no, s.recipient, s.country, s.vars, s.segments, s.price_e4, (x.address is not null) as suppressed
      from ingest_stage s join fresh f on f.row_no = s.row_no
      left join suppressions x on x.account_id = $2::uuid and x.channel = $3::text and x.address = s.recipient
  ), rej as (
    insert into recipient_rejections (order_id, row_no, value, reason)
    select $1::uuid, s.row_no, s.raw,
           coalesce(s.reason, case when k.row_no is null then 'duplicate' else 'suppressed' end)
      from ingest_stage s left join kept k on k.row_no = s.row_no
     where s.reason is not null or k.row_no is null or k.suppressed
    returning reason
  ), ins as (
    insert into messages (order_id, seq, account_id, channel, recipient, country, vars, status, segments, price_e4)
    select $1::uuid, $4::int + row_number() over (order by row_no), $2::uuid, $3::text, recipient, country, vars,
           'queued', segments, price_e4
      from kept where not suppressed
    returning 1
  )
  select (select count(*) from ins)::int as accepted,
         coalesce((select json_object_agg(reason, n)
                     from (select reason, count(*)::int as n from rej group by reason) r), '{}') as rejected`;

async function acquire(db: Knex): Promise<PoolClient> {
  return (await db.client.acquireConnection()) as PoolClient;
}

/**
 * Replaces the campaign's recipients with `rows` (streams in, never held whole). Throws Problem
 * for refusals; a CSV syntax error is 400 malformed_csv.
 */
export async function ingestRecipients(
  db: Knex,
  target: CampaignTarget,
  source: Stage[],
  opts: UploadOptions,
): Promise<UploadResult> {
  const started = process.hrtime.bigint();
  const now = opts.now ?? new Date();
  usedVariables(target.template, target.subject); // a malformed template is refused before any work
  const [prices, list] = await Promise.all([loadPriceTable(db, now), loadPriceList(db, now)]);
  const validate = createRowValidator({
    channel: target.channel,
    purpose: target.purpose,
    template: target.template,
    subject: target.subject,
    defaultCountry: target.defaultCountry,
    optOutMention: opts.optOutMention,
    prices,
  });
  const conn = await acquire(db);
  let inTransaction = false;
  try {
    await conn.query('begin');
    inTransaction = true;
    if (opts.createCampaign) {
      const c = opts.createCampaign;
      const cols = Object.keys(c);
      await conn.query(
        `insert into campaigns (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        cols.map((k) => c[k]),
      );
    }
    const locked = await conn.query('select status from campaigns where order_id = $1 and account_id = $2 for update', [
      target.orderId,
      target.accountId,
    ]);
    if (locked.rowCount === 0) throw new Problem(404, 'not_found', 'Not found', 'No such campaign.');
    const status = locked.rows[0].status as string;
    if (!EDITABLE.includes(status))
      throw conflict('campaign_not_editable', `The campaign is ${status}: its recipients can no longer change.`, {
        campaignStatus: status,
      });
    await conn.query('delete from messages where order_id = $1', [target.orderId]);
    await conn.query('delete from recipient_rejections where order_id = $1', [target.orderId]);
    await conn.query(`create temp table ingest_stage (row_no int, recipient text, country text, vars jsonb,
      segments smallint, price_e4 int, reason text, raw text) on commit drop`);
    await conn.query(
      'create temp table ingest_seen (recipient text collate "C" primary key, row_no int) on commit drop',
    );
    // The batch step joins tens of thousands of rows: never by nested loops (the temp tables have
    // no statistics), and sorts them in memory rather than in temporary files.
    await conn.query('set local enable_nestloop = off');
    await conn.query("set local work_mem = '32MB'");

    let rows = 0;
    let accepted = 0;
    const rejected: Record<string, number> = {};
    const load = async (chunks: string[]) => {
      const copy = conn.query(copyFrom('copy ingest_stage from stdin'));
      await pipeline(Readable.from(chunks), copy);
      rows += copy.rowCount;
      const done = await conn.query(BATCH_STEP, [target.orderId, target.accountId, target.channel, accepted]);
      accepted += done.rows[0].accepted as number;
      for (const [reason, n] of Object.entries(done.rows[0].rejected as Record<string, number>))
        rejected[reason] = (rejected[reason] ?? 0) + n;
      await conn.query('truncate ingest_stage');
    };
    try {
      const batchRows = opts.batchRows ?? BATCH_ROWS;
      const chunkRows = Math.min(CHUNK_ROWS, batchRows);
      await pipeline([
        ...source,
        stagingLines(validate, opts.maxRows, chunkRows),
        batchSink(load, batchRows, chunkRows),
      ]);
    } catch (e) {
      if (e instanceof CsvError) throw new Problem(400, 'malformed_csv', 'Malformed CSV', e.message);
      throw e;
    }
    const rejectedTotal = Object.values(rejected).reduce((a, b) => a + b, 0);
    await conn.query(
      `update campaigns set total = $2, rejected = $3, rejections = $4, status = 'ready', priced_at = $5,
              price_list_version = $6
        where order_id = $1`,
      [target.orderId, accepted, rejectedTotal, JSON.stringify(rejected), now, list.version],
    );
    await conn.query('commit');
    inTransaction = false;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      rows,
      accepted,
      rejected,
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: Math.round(rows / seconds),
      priceListVersion: list.version,
    };
  } catch (e) {
    // A connection whose rollback fails (COPY cut short) is flagged so that the pool drops it.
    if (inTransaction)
      await conn.query('rollback').catch((err: unknown) => {
        (conn as unknown as { __knex__disposed: unknown }).__knex__disposed = err;
      });
    throw e;
  } finally {
    await db.client.releaseConnection(conn);
  }
}
