// Tamper-evident evidence log (art. 13.2). Each entry's hash covers its content and the previous
// entry's hash in the same chain (one chain per account, 'platform' for platform-wide acts), so an
// edited, removed or reordered entry breaks verification from that point on.
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { DbRow } from './db';

const GENESIS_HASH = '0'.repeat(64);

type EvidenceKind =
  | 'terms_accepted'
  | 'account_registered'
  | 'order_placed'
  | 'notice_sent'
  | 'acknowledgment_received'
  | 'suspension'
  | 'suspension_lifted'
  | 'termination'
  | 'terms_change_notified'
  | 'force_majeure'
  | 'destruction_confirmed'
  | 'data_exported'
  | string;

export interface EvidenceInput {
  accountId: string | null;
  kind: EvidenceKind;
  occurredAt: Date;
  actor: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export interface EvidenceEntry extends EvidenceInput {
  id: string;
  chain: string;
  seq: number;
  prevHash: string;
  hash: string;
}

/** JSON with sorted keys at every level: Postgres jsonb does not keep key order. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}

function entryHash(e: Omit<EvidenceEntry, 'id' | 'hash'>): string {
  const body = canonicalJson({
    chain: e.chain,
    seq: e.seq,
    accountId: e.accountId,
    kind: e.kind,
    occurredAt: e.occurredAt.toISOString(),
    actor: e.actor,
    payload: e.payload,
  });
  return createHash('sha256').update(`${e.prevHash}\n${body}`).digest('hex');
}

function chainOf(accountId: string | null): string {
  return accountId ?? 'platform';
}

/**
 * Appends an entry. Must run inside the caller's transaction when the entry belongs to a
 * business write (so both commit or neither); the advisory lock serialises appends per chain.
 */
export async function appendEvidence(db: Knex | Knex.Transaction, input: EvidenceInput): Promise<EvidenceEntry> {
  const run = async (trx: Knex.Transaction) => {
    const chain = chainOf(input.accountId);
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 42))', [`evidence:${chain}`]);
    const last = await trx('evidence_log').where({ chain }).orderBy('seq', 'desc').first('seq', 'hash');
    const seq = last ? Number(last.seq) + 1 : 1;
    const prevHash = last ? (last.hash as string) : GENESIS_HASH;
    // Round-trip through JSON so that what we hash is exactly what jsonb stores.
    const actor = JSON.parse(JSON.stringify(input.actor));
    const payload = JSON.parse(JSON.stringify(input.payload));
    const occurredAt = new Date(input.occurredAt.getTime());
    const base = { chain, seq, accountId: input.accountId, kind: input.kind, occurredAt, actor, payload, prevHash };
    const hash = entryHash(base);
    const [row] = await trx('evidence_log')
      .insert({
        chain,
        seq,
        account_id: input.accountId,
        kind: input.kind,
        occurred_at: occurredAt,
        actor,
        payload,
        prev_hash: prevHash,
        hash,
      })
      .returning('id');
    return { ...base, id: String(row.id), hash };
  };
  return 'isTransaction' in db && db.isTransaction ? run(db as Knex.Transaction) : (db as Knex).transaction(run);
}

export function rowToEntry(r: DbRow): EvidenceEntry {
  return {
    id: String(r.id),
    chain: r.chain,
    seq: Number(r.seq),
    accountId: r.account_id,
    kind: r.kind,
    occurredAt: new Date(r.occurred_at),
    actor: r.actor,
    payload: r.payload,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export type ChainVerdict =
  | { ok: true; entries: number }
  | { ok: false; entries: number; brokenAtSeq: number; reason: string };

/** Verifies a chain's entries in order: contiguous sequence, linked hashes, recomputed hashes. */
function verifyEntries(entries: EvidenceEntry[]): ChainVerdict {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.seq !== i + 1) return { ok: false, entries: entries.length, brokenAtSeq: i + 1, reason: 'entry missing' };
    if (e.prevHash !== prev) return { ok: false, entries: entries.length, brokenAtSeq: e.seq, reason: 'link broken' };
    if (entryHash(e) !== e.hash)
      return { ok: false, entries: entries.length, brokenAtSeq: e.seq, reason: 'content altered' };
    prev = e.hash;
  }
  return { ok: true, entries: entries.length };
}

async function loadChain(db: Knex, chain: string): Promise<EvidenceEntry[]> {
  const rows = await db('evidence_log').where({ chain }).orderBy('seq');
  return rows.map(rowToEntry);
}

export async function verifyChain(db: Knex, chain: string): Promise<ChainVerdict> {
  return verifyEntries(await loadChain(db, chain));
}
