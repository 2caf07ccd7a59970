// The staging step of a recipient upload (ToS 6.1): each RawRow validated, rendered and priced as
// it arrives (a row that cannot be stored is rejected, invalid_characters) and written as COPY
// text for the TEMP staging table, then gathered into batches for recipient-upload.ts to load;
// the buffer holds one batch more, so the stream prepares the next while Postgres loads this one.
import { Transform, Writable, type TransformCallback } from 'node:stream';
import type { createRowValidator } from './recipient-rows';
import { unprocessable } from './errors';
import { hasUnsafeText, replaceUnsafeText } from './input-guard';
import type { RawRow } from './recipient-upload-sources';

// COPY text format: backslash, newline, carriage return and tab are escaped; \N is NULL.
const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_G = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
function esc(s: string | null): string {
  if (s === null) return '\\N';
  return SPECIAL.test(s) ? s.replace(SPECIAL_G, (c) => ESCAPES[c]) : s;
}
/** The raw value kept with a rejection: at most 320 units, storable (U+FFFD for unsafe text). */
const clip = (s: string) => replaceUnsafeText(s.length > 320 ? s.slice(0, 320) : s);

/** A cell holding a NUL or an unpaired surrogate (input-guard.ts): the row is rejected, invalid_characters. */
function unsafeRow(row: RawRow): boolean {
  if ('malformed' in row) return hasUnsafeText(row.malformed);
  if (hasUnsafeText(row.to)) return true;
  for (const v of Object.values(row.vars)) if (typeof v === 'string' && hasUnsafeText(v)) return true;
  return false;
}

/** Validates each row and emits COPY text for the staging table, `chunkRows` lines at a time. */
export function stagingLines(
  validate: ReturnType<typeof createRowValidator>,
  maxRows: number,
  chunkRows: number,
): Transform {
  let rowNo = 0;
  let batch: string[] = [];
  return new Transform({
    objectMode: true,
    transform(row: RawRow, _enc, cb: TransformCallback) {
      rowNo += 1;
      if (rowNo > maxRows) {
        cb(
          unprocessable('too_many_recipients', `A campaign takes at most ${maxRows} recipients.`, {
            maxRecipients: maxRows,
          }),
        );
        return;
      }
      let line: string;
      if (unsafeRow(row)) {
        const raw = 'malformed' in row ? row.malformed : row.to;
        line = `${rowNo}\t\\N\t\\N\t\\N\t\\N\t\\N\tinvalid_characters\t${esc(clip(raw))}`;
      } else if ('malformed' in row) {
        line = `${rowNo}\t\\N\t\\N\t\\N\t\\N\t\\N\tmalformed_row\t${esc(clip(row.malformed))}`;
      } else {
        const r = validate(row.to, row.vars);
        line = r.ok
          ? `${rowNo}\t${esc(r.recipient)}\t${r.country ?? '\\N'}\t${esc(JSON.stringify(r.vars))}\t` +
            `${r.segments}\t${r.priceE4}\t\\N\t${esc(clip(row.to))}`
          : `${rowNo}\t\\N\t\\N\t\\N\t\\N\t\\N\t${r.reason}\t${esc(clip(row.to))}`;
      }
      batch.push(line);
      if (batch.length >= chunkRows) {
        this.push({ text: batch.join('\n') + '\n', rows: batch.length });
        batch = [];
      }
      cb();
    },
    flush(cb) {
      if (batch.length) this.push({ text: batch.join('\n') + '\n', rows: batch.length });
      cb();
    },
  });
}

/**
 * Gathers staged chunks and hands them to `load` every `batchRows` rows and at the end. Its buffer
 * holds one more batch, so the stream prepares the next batch while Postgres loads this one.
 */
export function batchSink(load: (chunks: string[]) => Promise<void>, batchRows: number, chunkRows: number): Writable {
  let chunks: string[] = [];
  let rows = 0;
  const flush = (cb: (err?: Error | null) => void) => {
    const full = chunks;
    chunks = [];
    rows = 0;
    load(full).then(() => cb(), cb);
  };
  return new Writable({
    objectMode: true,
    highWaterMark: Math.ceil(batchRows / chunkRows) + 1,
    write(chunk: { text: string; rows: number }, _enc, cb) {
      chunks.push(chunk.text);
      rows += chunk.rows;
      if (rows >= batchRows) flush(cb);
      else cb();
    },
    final(cb) {
      if (chunks.length) flush(cb);
      else cb();
    },
  });
}
