// Reads an account export (tentacle-account-export/2, NDJSON) as a client would: one JSON object a
// line, records grouped by type, and the manifest checked against the lines actually received.
import { createHash } from 'node:crypto';
import { SECTIONS } from '../../activities/export-sections';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON; tests read its fields
type Json = any;

export interface ReadExport {
  header: Record<string, Json>;
  manifest: Record<string, Json>;
  /** Rows by section name (the manifest's keys). */
  rows: Record<string, Json[]>;
  /** Per section, the count and sha256 recomputed from the received lines. */
  received: Record<string, { count: number; sha256: string }>;
}

export function readExport(text: string): ReadExport {
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error('an export ends with a newline');
  const nameOf = new Map(SECTIONS.map((s) => [s.type, s.name]));
  const header = JSON.parse(lines[0]);
  const manifest = JSON.parse(lines[lines.length - 1]);
  if (header.type !== 'export' || manifest.type !== 'manifest') throw new Error('header or manifest missing');
  const rows: Record<string, Json[]> = {};
  const hashes: Record<string, ReturnType<typeof createHash>> = {};
  const counts: Record<string, number> = {};
  for (const line of lines.slice(1, -1)) {
    const rec = JSON.parse(line);
    const name = nameOf.get(rec.type);
    if (!name) throw new Error(`unknown record type ${rec.type}`);
    (rows[name] ??= []).push(rec.data);
    (hashes[name] ??= createHash('sha256')).update(`${line}\n`);
    counts[name] = (counts[name] ?? 0) + 1;
  }
  const received: ReadExport['received'] = {};
  for (const name of Object.keys(manifest.sections)) {
    received[name] = { count: counts[name] ?? 0, sha256: (hashes[name] ?? createHash('sha256')).digest('hex') };
    rows[name] ??= [];
  }
  return { header, manifest, rows, received };
}

/** The manifest's counts and hashes, without the bytes, to compare with `received`. */
export const manifestDigest = (m: Record<string, Json>) => {
  const sections = Object.entries(m.sections as Record<string, { count: number; sha256: string }>);
  return Object.fromEntries(sections.map(([k, v]) => [k, { count: v.count, sha256: v.sha256 }]));
};
