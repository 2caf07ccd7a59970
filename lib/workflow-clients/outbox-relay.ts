// The relay of the workflow outbox (./outbox.ts): claims pending starts (`for update skip
// locked` and a lease, so two relays never start the same row at once), starts each with reuse policy
// REJECT_DUPLICATE (a workflow that already exists counts as done: that is how a start whose
// "done" was lost by a crash completes), marks it done, and on failure records the error and
// backs off. Two callers, one function: the API (or an activity) kicks it after its commit for the
// starts it just wrote, so a start is as prompt as a direct one; the lifecycle worker's loop
// relays every second whatever is older than a few seconds (a kick lost with its process, or
// Temporal down at the time).
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from '../logger';
import { deserialiseSearchAttributes, type PendingStart } from './outbox';

export interface RelayDeps {
  db: Knex;
  temporal: Client;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface RelayOptions {
  /** Only these starts (the kick after a commit). */
  workflowIds?: string[];
  /** Rows younger than this are left to the kick of the process that wrote them. */
  minAgeMs?: number;
  /** Rows claimed per transaction. */
  batchSize?: number;
  /** Each start's deadline: a Temporal that does not answer fails the attempt, retried later. */
  startTimeoutMs?: number;
}

export interface RelayCounts {
  claimed: number;
  started: number;
  alreadyStarted: number;
  failed: number;
}

const zero = (): RelayCounts => ({ claimed: 0, started: 0, alreadyStarted: 0, failed: 0 });
const add = (a: RelayCounts, b: RelayCounts): RelayCounts => ({
  claimed: a.claimed + b.claimed,
  started: a.started + b.started,
  alreadyStarted: a.alreadyStarted + b.alreadyStarted,
  failed: a.failed + b.failed,
});
/** Seconds before the next attempt: 1, 2, 4, … up to 5 minutes. */
const BACKOFF_CAP_S = 300;

interface OutboxRow {
  id: string;
  workflow_id: string;
  workflow_type: string;
  task_queue: string;
  args: unknown[];
  search_attributes: Parameters<typeof deserialiseSearchAttributes>[0];
  attempts: number;
}

async function startRow(temporal: Client, row: OutboxRow, timeoutMs: number): Promise<'started' | 'already_started'> {
  try {
    await temporal.withDeadline(Date.now() + timeoutMs, () =>
      temporal.workflow.start(row.workflow_type, {
        taskQueue: row.task_queue,
        workflowId: row.workflow_id,
        args: row.args,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: deserialiseSearchAttributes(row.search_attributes),
      }),
    );
    return 'started';
  } catch (err) {
    const already =
      err instanceof WorkflowExecutionAlreadyStartedError ||
      (err as Error).name === 'WorkflowExecutionAlreadyStartedError';
    if (already) return 'already_started';
    throw err;
  }
}

/**
 * Claims one batch of pending starts, starts them (concurrently), records each outcome. The claim
 * is one statement (`for update skip locked`, then the rows' next attempt moved past the starts'
 * deadline, a lease): no transaction and no pool connection is held while Temporal answers, and
 * another relay skips the claimed rows until the lease ends (a relay that died mid-start: retried
 * then).
 */
export async function relayStarts(deps: RelayDeps, o: RelayOptions = {}): Promise<RelayCounts> {
  const { db } = deps;
  const batchSize = o.batchSize ?? 50;
  const timeoutMs = o.startTimeoutMs ?? 5_000;
  const leaseS = Math.ceil(timeoutMs / 1000) + 25;
  const claimable = db('workflow_outbox')
    .whereNull('done_at')
    .where('next_attempt_at', '<=', db.fn.now())
    .modify((q) => {
      if (o.workflowIds) q.whereIn('workflow_id', o.workflowIds);
      if (o.minAgeMs) q.where('created_at', '<', db.raw('now() - make_interval(secs => ?)', [o.minAgeMs / 1000]));
    })
    .orderBy('id')
    .limit(batchSize)
    .forUpdate()
    .skipLocked()
    .select('id');
  const rows: OutboxRow[] = await db('workflow_outbox')
    .whereIn('id', claimable)
    .update({ next_attempt_at: db.raw('now() + make_interval(secs => ?)', [leaseS]) })
    .returning(['id', 'workflow_id', 'workflow_type', 'task_queue', 'args', 'search_attributes', 'attempts']);
  const counts = { ...zero(), claimed: rows.length };
  const outcomes = await Promise.allSettled(rows.map((r) => startRow(deps.temporal, r, timeoutMs)));
  for (const [i, row] of rows.entries()) {
    const out = outcomes[i];
    if (out.status === 'fulfilled') {
      counts[out.value === 'started' ? 'started' : 'alreadyStarted'] += 1;
      await db('workflow_outbox')
        .where({ id: row.id })
        .update({ done_at: db.fn.now(), outcome: out.value, attempts: row.attempts + 1, last_error: null });
      continue;
    }
    counts.failed += 1;
    const err = out.reason as Error;
    const delayS = Math.min(BACKOFF_CAP_S, 2 ** row.attempts);
    await db('workflow_outbox')
      .where({ id: row.id })
      .update({
        attempts: row.attempts + 1,
        last_error: String(err?.message ?? err).slice(0, 2_000),
        next_attempt_at: db.raw('now() + make_interval(secs => ?)', [delayS]),
      });
    deps.logger?.warn(
      {
        err,
        workflowId: row.workflow_id,
        workflowType: row.workflow_type,
        attempts: row.attempts + 1,
        retryInS: delayS,
      },
      'workflow start failed; the outbox relay retries it',
    );
  }
  return counts;
}

/**
 * The kick after a commit: relays these starts now. Never throws (the fact is committed and its
 * start is durable): a failure is logged and the lifecycle worker's relay loop retries.
 */
export async function relayNow(deps: RelayDeps, pending: PendingStart | PendingStart[]): Promise<RelayCounts> {
  const ids = (Array.isArray(pending) ? pending : [pending]).map((p) => p.workflowId);
  let counts = zero();
  try {
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      counts = add(counts, await relayStarts(deps, { workflowIds: chunk, batchSize: chunk.length }));
    }
  } catch (err) {
    deps.logger?.warn({ err, workflowIds: ids.slice(0, 10) }, 'outbox relay failed; the lifecycle worker retries');
  }
  return counts;
}

export interface RelayLoopOptions extends Pick<RelayOptions, 'batchSize' | 'startTimeoutMs'> {
  intervalMs?: number;
  minAgeMs?: number;
  /** Batches per pass at most (the rest waits for the next pass). */
  maxBatches?: number;
  /** Done rows are deleted after this long (they only record what was started). */
  retentionMs?: number;
}

/** One pass of the durable relay: bounded batches, one info line if it started anything. */
async function relayPass(deps: RelayDeps, o: RelayLoopOptions = {}): Promise<RelayCounts> {
  const batchSize = o.batchSize ?? 100;
  let counts = zero();
  for (let b = 0; b < (o.maxBatches ?? 10); b += 1) {
    const one = await relayStarts(deps, { ...o, batchSize, minAgeMs: o.minAgeMs ?? 2_000 });
    counts = add(counts, one);
    if (one.claimed < batchSize) break;
  }
  if (counts.started + counts.alreadyStarted > 0) deps.logger?.info({ counts }, 'outbox relay started workflows');
  return counts;
}

async function purgeDone(db: Knex, retentionMs: number): Promise<void> {
  // Oldest ids first (rows are done roughly in id order): no index on done_at needed.
  await db('workflow_outbox')
    .whereIn(
      'id',
      db('workflow_outbox')
        .whereNotNull('done_at')
        .where('done_at', '<', db.raw('now() - make_interval(secs => ?)', [retentionMs / 1000]))
        .orderBy('id')
        .limit(1_000)
        .select('id'),
    )
    .delete();
}

/**
 * The lifecycle worker's durable relay: a pass now and then every `intervalMs` (never two at
 * once), and a purge of old done rows every minute. A process timer, but no business time: it
 * repairs what a lost kick left (docs/ARCHITECTURE.md). Returns a stop function that waits for
 * the pass in progress.
 */
export function startRelayLoop(deps: RelayDeps, o: RelayLoopOptions = {}): { stop: () => Promise<void> } {
  const intervalMs = o.intervalMs ?? 1_000;
  const retentionMs = o.retentionMs ?? 7 * 86_400_000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();
  let lastPurge = 0;
  let failing = false; // one warn line per outage (e.g. Postgres down), not one a second
  const pass = () => {
    current = (async () => {
      try {
        await relayPass(deps, o);
        if (Date.now() - lastPurge >= 60_000) {
          lastPurge = Date.now();
          await purgeDone(deps.db, retentionMs);
        }
        if (failing) deps.logger?.info('outbox relay passes again');
        failing = false;
      } catch (err) {
        if (!failing) deps.logger?.warn({ err }, 'outbox relay pass failed; retried every pass until it works');
        failing = true;
      }
    })().finally(() => {
      if (!stopped) timer = setTimeout(pass, intervalMs);
    });
  };
  pass();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
