// Where a campaign's recipients come from (ToS 6.1: the User's list of recipients): a CSV upload
// (header row, first column `to`, the template's variables as columns) or inline JSON, read as a
// stream of RawRow that recipient-upload.ts validates and loads; and the byte limit of an upload.
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import { Problem, unprocessable } from './errors';
import { hasUnsafeText, invalidCharacters } from './input-guard';

/** A row as received: `to` and the other fields, or a row that could not be read at all. */
export type RawRow = { to: string; vars: Readonly<Record<string, unknown>> } | { malformed: string };

/**
 * CSV → RawRow: header row required, first column `to`, the others are variables. A row with
 * a different number of fields than the header is kept as malformed (rejected, not fatal).
 * `requiredColumns` are the template's variables: a header without one of them is refused.
 */
export function csvRows(requiredColumns: string[]): Transform[] {
  let header: string[] | null = null;
  const parser = parse({ bom: true, skip_empty_lines: true, relax_column_count: true, max_record_size: 64 * 1024 });
  const toRows = new Transform({
    objectMode: true,
    transform(record: string[], _enc, cb) {
      if (!header) {
        header = record.map((h) => h.trim());
        const bad = header.findIndex(hasUnsafeText);
        if (bad >= 0) {
          cb(invalidCharacters(['header', bad]));
          return;
        }
        if (header[0]?.toLowerCase() !== 'to') {
          cb(
            new Problem(
              400,
              'invalid_csv_header',
              'Invalid CSV header',
              'The first row must be a header whose first column is "to".',
            ),
          );
          return;
        }
        const missing = requiredColumns.filter((c) => !header!.includes(c));
        if (missing.length) {
          cb(
            unprocessable(
              'missing_variable',
              `The template uses ${missing.join(', ')}, which the CSV has no column for.`,
              { missing },
            ),
          );
          return;
        }
        cb();
        return;
      }
      if (record.length !== header.length) {
        cb(null, { malformed: record.join(',') });
        return;
      }
      const vars: Record<string, string> = {};
      for (let i = 1; i < header.length; i++) vars[header[i]] = record[i];
      cb(null, { to: record[0], vars });
    },
  });
  return [parser, toRows];
}

/** Refuses a body beyond `limit` bytes with 413, counting as it streams. */
export function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > limit)
        cb(new Problem(413, 'payload_too_large', 'Payload too large', `The upload exceeds ${limit} bytes.`));
      else cb(null, chunk);
    },
  });
}

/** Inline JSON recipients as a row stream. */
export function jsonRows(recipients: { to: string; vars?: Record<string, unknown> }[]): Readable {
  return Readable.from(recipients.map((r): RawRow => ({ to: r.to, vars: r.vars ?? {} })));
}
