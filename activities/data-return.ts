// 10.2 / Annex 2.4: the copy of the account export returned at the end of the contract. The
// termination workflow destroys the personal data right after the return, and the members'
// credentials with it, so the export is written once, through the same `writeAccountExport` as
// GET /v1/account/export, into account_export_chunks (1 MiB each), and the User collects it
// with the token of the data-return notice (GET /v1/notices/:id/export?token=…) until
// `available_until`, when the workflow deletes this last copy.
import { createHash, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Knex } from 'knex';
import { EXPORT_FORMAT, writeAccountExport, writeOrWait, type ExportManifest } from './export';

const CHUNK_BYTES = 1024 * 1024;
/** A CHOICE (the terms set no period): the returned copy can be collected for 30 days. */
export const COLLECTION_WINDOW_MS = 30 * 24 * 3600 * 1000;

export interface ReturnedExport {
  exportId: string;
  bytes: number;
  sha256: string;
  manifest: ExportManifest;
}

/** A sink that stores what it is given in ordered chunks; each insert completes before it takes more. */
function chunkSink(db: Knex, exportId: string, onChunk: () => void) {
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let bytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    await db('account_export_chunks').insert({ export_id: exportId, seq: ++seq, data });
    onChunk();
  };
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < CHUNK_BYTES) {
        cb();
        return;
      }
      flush().then(() => cb(), cb);
    },
    final(cb) {
      flush().then(() => cb(), cb);
    },
  });
  return { sink, result: () => ({ bytes, sha256: hash.digest('hex') }) };
}

/**
 * Writes the returned export once (a retry after completion returns the stored one; a retry
 * after a partial write starts over). `heartbeat` is called after each stored chunk.
 */
export async function storeReturnedExport(
  db: Knex,
  accountId: string,
  availableUntil: Date,
  heartbeat: () => void = () => undefined,
): Promise<ReturnedExport> {
  const existing = await db('account_exports').where({ account_id: accountId, purpose: 'data_return' }).first();
  if (existing?.state === 'complete') {
    const { id, bytes, sha256, manifest } = existing;
    return { exportId: id, bytes: Number(bytes), sha256, manifest };
  }
  const exportId: string = existing?.id ?? randomUUID();
  if (existing) await db('account_export_chunks').where({ export_id: exportId }).delete();
  else {
    await db('account_exports').insert({
      id: exportId,
      account_id: accountId,
      purpose: 'data_return',
      state: 'writing',
      format: EXPORT_FORMAT,
    });
  }
  const { sink, result } = chunkSink(db, exportId, heartbeat);
  const manifest = await writeAccountExport(db, accountId, sink);
  if (!manifest) throw new Error(`account ${accountId} not found`);
  await new Promise<void>((resolve, reject) => {
    sink.on('error', reject);
    sink.end(() => resolve());
  });
  const { bytes, sha256 } = result();
  await db('account_exports')
    .where({ id: exportId })
    .update({
      state: 'complete',
      bytes,
      sha256,
      manifest: JSON.stringify(manifest),
      completed_at: db.fn.now(),
      available_until: availableUntil,
    });
  return { exportId, bytes, sha256, manifest };
}

/** Streams a complete returned export to `out`, one chunk at a time (false when there is none). */
export async function readReturnedExport(db: Knex, accountId: string, out: Writable, at: Date): Promise<boolean> {
  const e = await db('account_exports')
    .where({ account_id: accountId, purpose: 'data_return', state: 'complete' })
    .andWhere('available_until', '>', at)
    .first('id');
  if (!e) return false;
  for (let seq = 1; ; seq++) {
    const chunk = await db('account_export_chunks').where({ export_id: e.id, seq }).first('data');
    if (!chunk) return true;
    await writeOrWait(out, chunk.data as Buffer);
  }
}

/** Annex 2.4: the collection window is over; the last copy goes. */
export async function deleteReturnedExport(db: Knex, accountId: string): Promise<{ deleted: number }> {
  return db.transaction(async (trx) => {
    const ids = await trx('account_exports').where({ account_id: accountId, purpose: 'data_return' }).pluck('id');
    if (ids.length === 0) return { deleted: 0 };
    await trx('account_export_chunks').whereIn('export_id', ids).delete();
    const deleted = await trx('account_exports').whereIn('id', ids).delete();
    return { deleted };
  });
}
