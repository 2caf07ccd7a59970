// The one way a workflow is started from outside Temporal: a transactional outbox. The caller
// writes the start (by function reference, typed arguments, business-key id) in the SAME
// transaction as the fact it follows from, so that a crash after the commit cannot lose it; a
// relay (./outbox-relay.ts) then starts it with reuse policy REJECT_DUPLICATE — idempotent by
// workflow id, a workflow that has closed is never started again — and marks it done. Every
// workflow's client module (this folder, one per file of workflows/) enqueues through here.
// Client-side only: never imported by workflow code (the workflow bundle is built from workflows/index.ts).
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
  type Workflow,
} from '@temporalio/common';
import type { Knex } from 'knex';
import type { Config } from '../config';

/** What a client module's enqueue needs besides the transaction. */
export type OutboxConfig = Pick<Config, 'LIFECYCLE_TASK_QUEUE'>;

/** A start written to the outbox. `queued` false: a start with this id was already there. */
export interface PendingStart {
  workflowId: string;
  queued: boolean;
}

export interface EnqueueOptions<W extends Workflow> {
  workflowId: string;
  args: Parameters<W>;
  searchAttributes: SearchAttributePair[];
  /** Where the workflow runs: the lifecycle task queue for every workflow today. */
  taskQueue: string;
}

/** A search attribute as stored (jsonb): Datetime values as ISO-8601 strings. */
interface StoredSearchAttribute {
  name: string;
  type: SearchAttributeType;
  value: unknown;
}

export function serialiseSearchAttributes(pairs: SearchAttributePair[]): StoredSearchAttribute[] {
  return pairs.map(({ key, value }) => ({
    name: key.name,
    type: key.type,
    value: key.type === SearchAttributeType.DATETIME ? (value as Date).toISOString() : value,
  }));
}

const validFor: Record<SearchAttributeType, (v: unknown) => boolean> = {
  TEXT: (v) => typeof v === 'string',
  KEYWORD: (v) => typeof v === 'string',
  INT: (v) => Number.isSafeInteger(v),
  DOUBLE: (v) => typeof v === 'number' && Number.isFinite(v),
  BOOL: (v) => typeof v === 'boolean',
  DATETIME: (v) => v instanceof Date && !Number.isNaN(v.getTime()),
  KEYWORD_LIST: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
};

export function deserialiseSearchAttributes(stored: StoredSearchAttribute[]): SearchAttributePair[] {
  return stored.map(({ name, type, value }) => {
    const v = type === SearchAttributeType.DATETIME ? new Date(value as string) : value;
    if (!validFor[type]?.(v)) throw new Error(`search attribute ${name}: not a valid ${type} value`);
    return { key: defineSearchAttributeKey(name, type), value: v } as SearchAttributePair;
  });
}

/**
 * Writes the start of `workflow` in `trx` (the fact's transaction): insert … on conflict
 * (workflow_id) do nothing, so enqueueing twice is harmless. The workflow type stored is the
 * function's name, which is the type the worker registers (the export name of workflows/index.ts,
 * checked by test/unit/outbox.test.ts). After the commit, the caller may kick the relay
 * (`relayNow`) so that the start is as prompt as a direct one; the lifecycle worker's relay
 * loop starts it otherwise.
 */
export async function enqueueStart<W extends Workflow>(
  trx: Knex,
  workflow: W,
  o: EnqueueOptions<W>,
): Promise<PendingStart> {
  if (!workflow.name) throw new Error('enqueueStart: the workflow function has no name (its type)');
  const rows = await trx('workflow_outbox')
    .insert({
      workflow_id: o.workflowId,
      workflow_type: workflow.name,
      task_queue: o.taskQueue,
      // Temporal's JSON payload converter sends the same JSON (dates as strings, no undefined).
      args: JSON.stringify(o.args),
      search_attributes: JSON.stringify(serialiseSearchAttributes(o.searchAttributes)),
    })
    .onConflict('workflow_id')
    .ignore()
    .returning('id');
  return { workflowId: o.workflowId, queued: rows.length > 0 };
}

/** Starts not yet done: how many, and how long the oldest has waited (seconds, 0 when none). */
export async function outboxBacklog(db: Knex): Promise<{ pending: number; oldestAgeSeconds: number }> {
  const row = await db('workflow_outbox')
    .whereNull('done_at')
    .first(
      db.raw('count(*)::int as pending'),
      db.raw('coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age'),
    );
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Number(row?.age ?? 0) };
}
