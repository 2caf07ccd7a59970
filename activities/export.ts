// 10.2 / Annex 2.4: all of an account's data, streamed, for the User to retrieve until destruction
// (GET /v1/account/export) and returned by the data-return step of the termination workflow
// (activities/data-return.ts): one implementation, `writeAccountExport`.
//
// Format `tentacle-account-export/2`, NDJSON (application/x-ndjson), UTF-8, one JSON object a line:
//   {"type":"export","format":"tentacle-account-export/2","accountId":…,"generatedAt":…}
//   {"type":"<record type>","data":{…the row…}}            section by section (export-sections.ts)
//   {"type":"manifest","format":…,"accountId":…,"generatedAt":…,
//    "sections":{"<name>":{"count":N,"bytes":B,"sha256":"<hex>"},…}}   last line
// Each section's sha256 is over its record lines exactly as written, "\n" included; every section
// is listed, empty ones with count 0. An export without its manifest line is incomplete.
// Reading is in keyset batches inside one read-only REPEATABLE READ transaction (one consistent
// snapshot: counts and hashes describe the same instant), and each batch waits for the output to
// drain before the next is read, so memory stays bounded whatever the number of messages.
import { createHash, type Hash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { SECTIONS, type Row, type Section } from './export-sections';

export const EXPORT_FORMAT = 'tentacle-account-export/2';
export const EXPORT_CONTENT_TYPE = 'application/x-ndjson';

interface SectionManifest {
  count: number;
  bytes: number;
  sha256: string;
}
export interface ExportManifest {
  type: 'manifest';
  format: typeof EXPORT_FORMAT;
  accountId: string;
  generatedAt: string;
  sections: Record<string, SectionManifest>;
}

/** Resolves once `out` can take more (or at once); rejects if it is closed first (client gone). */
export function writeOrWait(out: Writable, chunk: string | Buffer): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.reject(new Error('export_output_closed'));
  if (out.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onError);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('export_output_closed'));
    const onError = (e: Error) => done(e);
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onError);
  });
}

function toRecord(section: Section, row: Row): Row {
  let data = row;
  if (section.omit) {
    data = { ...row };
    for (const c of section.omit) delete data[c];
  }
  return section.redact ? section.redact(data) : data;
}

async function* keysetBatches(trx: Knex, section: Section, accountId: string, size: number): AsyncGenerator<Row[]> {
  let after: unknown[] | null = null;
  for (;;) {
    const q = trx(section.table).select('*');
    section.scope(q, accountId, trx);
    if (after) {
      const cols = section.key.map(() => '??').join(', ');
      const vals = section.key.map(() => '?').join(', ');
      q.whereRaw(`(${cols}) > (${vals})`, [...section.key, ...after]);
    }
    const rows: Row[] = await q.orderBy(section.key).limit(size);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < size) return;
    const last = rows[rows.length - 1];
    after = section.key.map((k) => last[k]);
  }
}

/**
 * Writes the account's export to `out` (not ended: the caller ends or destroys it) and returns its
 * manifest, or null when the account does not exist (nothing written).
 */
export async function writeAccountExport(
  db: Knex,
  accountId: string,
  out: Writable,
  opts: { batchSize?: number } = {},
): Promise<ExportManifest | null> {
  const size = opts.batchSize ?? 1000;
  return db.transaction(async (trx) => {
    await trx.raw('set transaction isolation level repeatable read, read only');
    const exists = await trx('accounts').where({ id: accountId }).first('id');
    if (!exists) return null;
    const generatedAt = new Date().toISOString();
    await writeOrWait(out, `${JSON.stringify({ type: 'export', format: EXPORT_FORMAT, accountId, generatedAt })}\n`);
    const sections: Record<string, SectionManifest> = {};
    for (const section of SECTIONS) {
      const hash: Hash = createHash('sha256');
      let count = 0;
      let bytes = 0;
      const batches = section.batches
        ? section.batches(trx, accountId, size)
        : keysetBatches(trx, section, accountId, size);
      for await (const rows of batches) {
        let chunk = '';
        for (const row of rows) chunk += `${JSON.stringify({ type: section.type, data: toRecord(section, row) })}\n`;
        hash.update(chunk, 'utf8');
        count += rows.length;
        bytes += Buffer.byteLength(chunk, 'utf8');
        await writeOrWait(out, chunk);
      }
      sections[section.name] = { count, bytes, sha256: hash.digest('hex') };
    }
    const manifest: ExportManifest = { type: 'manifest', format: EXPORT_FORMAT, accountId, generatedAt, sections };
    await writeOrWait(out, `${JSON.stringify(manifest)}\n`);
    return manifest;
  });
}
