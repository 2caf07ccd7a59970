// The dispatch activity of single sends (lane SINGLE_SEND_TASK_QUEUE, workflows/single-dispatch.ts):
// waits for queued single messages of its lane and channel (LISTEN, with a poll fallback), claims
// up to a page of them by a short lease on their single_sends rows (a micro-batch: it leaves with
// whatever is queued, a lone message in a batch of one), then sends them with the page code:
// SMS through the same submit path as a campaign page (one lease, one mark reading each account
// FOR SHARE, bulk outcomes), e-mail as pages of one (one SendGrid request each, since every
// single has its own body); and so on, batch after batch, until the lane has been idle for a
// while. It marks what is done, which a settlement at most twice a second per lane settles in
// bulk (settleDone, lib/ledger-reservations.ts settleOrders), and defers the rest: held by quiet
// hours until the window opens, refused by the carrier a second later, a suspended account's
// until it is active again (6.3.4, 7.3), a terminated account's cancelled and released (10.3).
// Rows left 'submitting' by a crash are claimed again once their lease expired and reconciled
// with the carrier by the takeover.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { Config } from '../../lib/config';
import { settleOrders } from '../../lib/ledger-reservations';
import { singleSendKey, type SingleSendWake } from '../../lib/single-send-wake';
import { e4ToCentsHalfUp } from '../../domain/send-pricing';
import { CHARGED_STATUSES } from '../campaigns';
import type { AccountSendState } from '../../workflows/messages';
import { PageLease, type LeaseConfig } from './lease';
import type { Semaphore } from './concurrency';
import { ACTIONABLE, emptyPageResult, type PageInput, type PageResult, type PageStore } from './page-store';
import type { createSmsPage } from './sms-page';

export interface DispatchInput {
  channel: 'sms' | 'email';
  lane: string;
  /** How long an activity waits for a message (the first, or the next batch's) before it returns. */
  idleMs?: number;
  /** How long an activity keeps claiming further batches after its first (default RUN_MS). */
  runMs?: number;
}

export interface DispatchResult {
  /** single_send_batches.id of the last batch, null when nothing was queued. */
  batchId: string | null;
  batches: number;
  /** Messages claimed, and submitted to the carrier, over all the batches. */
  size: number;
  submitted: number;
}

export interface SingleBatchDeps {
  db: Knex;
  config: LeaseConfig & Pick<Config, 'SINGLE_SEND_BATCH_SIZE'>;
  store: PageStore;
  submitSms: ReturnType<typeof createSmsPage>['submitSms'];
  /** One e-mail page (its own lease), as the campaign activity runs it. */
  emailPage: (input: PageInput) => Promise<PageResult>;
  /** The lane's own share of carrier requests in flight (campaigns never take it). */
  slots: Semaphore;
  wake: SingleSendWake | null;
}

const POLL_MS = 1_000;
/** An activity returns after this long even on a busy lane (worker shutdown, continue-as-new). */
const RUN_MS = 60_000;
/** Done messages are settled in bulk at most this often per lane, channel and process. */
const SETTLE_EVERY_MS = 500;
const SETTLE_MAX = 5_000;

const outcomeOf = (status: string) => (status === 'cancelled' ? 'cancelled' : 'completed');

export function createSingleDispatch(deps: SingleBatchDeps) {
  const { db, config, store } = deps;

  /** Claims up to a batch: rows not claimed (or whose claim expired), of accounts that may send. */
  async function claim(input: DispatchInput, token: string): Promise<{ message_id: string; order_id: string }[]> {
    const { rows } = await db.raw(
      `with c as (
         select s.message_id from single_sends s
           join accounts a on a.id = s.account_id and a.status in ('active', 'terminated')
           join messages m on m.id = s.message_id
          where s.lane = ? and s.channel = ? and s.done_at is null
            and (s.claimed_until is null or s.claimed_until < now())
            and (m.status <> 'submitting' or m.lease_until is null or m.lease_until < now())
          order by s.message_id limit ? for update of s skip locked)
       update single_sends s set claimed_by = ?, claimed_until = now() + ? * interval '1 millisecond'
         from c where s.message_id = c.message_id returning s.message_id, s.order_id`,
      [input.lane, input.channel, config.SINGLE_SEND_BATCH_SIZE, token, config.SEND_LEASE_TTL_MS],
    );
    return (rows as { message_id: string; order_id: string }[]).map((r) => ({
      ...r,
      message_id: String(r.message_id),
    }));
  }

  async function send(input: DispatchInput, claimed: { message_id: string; order_id: string }[], batchId: string) {
    const refused = new Map<string, AccountSendState>();
    if (input.channel === 'sms') {
      const campaigns = await store.campaignsOf(claimed.map((c) => c.order_id));
      const scope = { batchId, ids: claimed.map((c) => c.message_id) };
      const lease = new PageLease(db, config, scope);
      try {
        return await deps.submitSms(scope, (r) => campaigns.get(r.order_id)!, { offset: 0, total: 0 }, lease, {
          slots: deps.slots,
          refused,
        });
      } finally {
        lease.stop();
      }
    }
    const result = emptyPageResult();
    const errors: unknown[] = [];
    await Promise.all(
      claimed.map((c) =>
        deps.slots.run(async () => {
          try {
            const r = await deps.emailPage({ orderId: c.order_id, fromSeq: 1, toSeq: 1 });
            result.submitted += r.submitted;
            result.nextAllowedAt ??= r.nextAllowedAt;
          } catch (err) {
            errors.push(err);
          }
        }),
      ),
    );
    if (errors.length > 0) throw errors[0];
    return result;
  }

  /** Marks what is done (settled by settleDue), cancels what a termination stopped, defers the rest. */
  async function finish(ids: string[], token: string, nextAllowedAt: string | null): Promise<void> {
    await db.raw(
      `with u as (update messages m set status = 'cancelled', final_at = now(), updated_at = now()
                   from accounts a where a.id = m.account_id and a.status = 'terminated'
                    and m.id = any(?::bigint[]) and m.status in ('queued', 'held') returning m.id)
       insert into message_events (message_id, status, detail) select id, 'cancelled', 'account terminated' from u`,
      [ids],
    );
    const rows: { id: string; order_id: string; account_id: string; status: string; price_e4: number }[] = (
      await db.raw(
        'select id, order_id, account_id, status, price_e4, lease_until from messages where id = any(?::bigint[])',
        [ids],
      )
    ).rows;
    // Done (past submission, cancelled, suppressed, rejected): settled later in bulk (settleDone),
    // so that the account's balance row is locked twice a second, not once per batch.
    const done = rows.filter((x) => !ACTIONABLE.includes(x.status)).map((x) => x.id);
    if (done.length > 0)
      await db.raw('update single_sends set done_at = now(), claimed_by = null where message_id = any(?::bigint[])', [
        done,
      ]);
    // Deferred: held until the quiet hours end; 'submitting' (an ambiguous answer) until its lease
    // expires (the takeover reconciles it); queued (refused by the carrier, or a suspended account)
    // a second later, and a suspended account's rows are skipped by the claim until it is active.
    await db.raw(
      `update single_sends s set claimed_by = null, claimed_until = case
           when m.status = 'held' then coalesce(?::timestamptz, now() + interval '1 minute')
           when m.status = 'submitting' then m.lease_until
           else now() + interval '1 second' end
         from messages m where m.id = s.message_id and s.message_id = any(?::bigint[]) and s.claimed_by = ?
          and s.done_at is null`,
      [nextAllowedAt, ids, token],
    );
  }

  /**
   * Settles the lane's done messages in one transaction (settleOrders: each account's balance row
   * locked once, entries and orders written by one statement each), the queue rows locked first
   * (skip locked: two settlers never take the same row) and the balance rows last.
   */
  async function settleDone(input: DispatchInput): Promise<void> {
    await db.transaction(async (trx) => {
      const { rows } = await trx.raw(
        `select s.message_id as id, m.order_id, m.status, m.price_e4 from single_sends s
           join messages m on m.id = s.message_id
          where s.lane = ? and s.channel = ? and s.done_at is not null
          order by s.message_id limit ? for update of s skip locked`,
        [input.lane, input.channel, SETTLE_MAX],
      );
      const done = rows as { id: string; order_id: string; status: string; price_e4: number }[];
      if (done.length === 0) return;
      const settled = done.map((r) => {
        const charged = CHARGED_STATUSES.includes(r.status);
        return { r, charged, consumedE4: charged ? Number(r.price_e4) : 0, outcome: outcomeOf(r.status) };
      });
      await trx('single_sends')
        .whereIn(
          'message_id',
          done.map((r) => r.id),
        )
        .delete();
      const settlements = await settleOrders(
        trx,
        settled.map((x) => ({ orderId: x.r.order_id, consumedE4: x.consumedE4 })),
      );
      const summaries = settled.map((x, n) => ({
        orderId: x.r.order_id,
        outcome: x.outcome,
        counts: { [x.r.status]: 1 },
        total: 1,
        charged: x.charged ? 1 : 0,
        consumedE4: x.consumedE4,
        consumedCents: e4ToCentsHalfUp(x.consumedE4),
        settlement: settlements[n],
      }));
      await trx.raw(
        `update campaigns c set status = v.s, completed_at = coalesce(c.completed_at, now()), summary = v.j
           from unnest(?::uuid[], ?::text[], ?::jsonb[]) as v(id, s, j) where c.order_id = v.id`,
        [summaries.map((x) => x.orderId), summaries.map((x) => x.outcome), summaries.map((x) => JSON.stringify(x))],
      );
    });
  }

  /** settleDone at most every SETTLE_EVERY_MS per lane and channel in this process. */
  const lastSettled = new Map<string, number>();
  async function settleDue(input: DispatchInput): Promise<void> {
    const key = singleSendKey(input.lane, input.channel);
    if (Date.now() - (lastSettled.get(key) ?? 0) < SETTLE_EVERY_MS) return;
    lastSettled.set(key, Date.now());
    await settleDone(input);
  }

  /** Waits for and claims the next batch; empty once `idleUntil` passed or the activity is cancelled. */
  async function nextBatch(input: DispatchInput, token: string, idleUntil: number) {
    const ctx = Context.current();
    const key = singleSendKey(input.lane, input.channel);
    for (;;) {
      await settleDue(input);
      const since = deps.wake?.generation(key) ?? 0;
      const claimed = await claim(input, token);
      if (claimed.length > 0 || Date.now() >= idleUntil || ctx.cancellationSignal.aborted) return claimed;
      ctx.heartbeat();
      if (deps.wake) await deps.wake.wait(key, POLL_MS, since, ctx.cancellationSignal);
      else await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Sends one claimed batch, marks or defers each of its messages, and records the batch. */
  async function runBatch(input: DispatchInput, claimed: { message_id: string; order_id: string }[], token: string) {
    const ctx = Context.current();
    const startedAt = new Date();
    const ids = claimed.map((c) => c.message_id);
    const beat = setInterval(() => ctx.heartbeat(), 1_000);
    let result: PageResult = emptyPageResult();
    let failed: unknown = null;
    try {
      result = await send(input, claimed, token);
    } catch (err) {
      failed = err; // what it left is deferred below and claimed again
    }
    try {
      await finish(ids, token, result.nextAllowedAt);
    } finally {
      clearInterval(beat);
    }
    if (failed) throw failed;
    const [batch] = await db('single_send_batches')
      .insert({
        lane: input.lane,
        channel: input.channel,
        message_ids: ids,
        submitted: result.submitted,
        started_at: startedAt,
      })
      .returning('id');
    return { batchId: String(batch.id), size: ids.length, submitted: result.submitted };
  }

  /**
   * Batch after batch, each leaving as soon as something is queued, until nothing was queued for
   * `idleMs` or the activity has run `runMs`: one activity (one Temporal round trip) serves many
   * batches, so a busy lane costs the workflow nothing per batch, and a quiet one an activity per
   * `idleMs`. A crash loses nothing: the claims and leases are in Postgres.
   */
  async function dispatchSingles(input: DispatchInput): Promise<DispatchResult> {
    const ctx = Context.current();
    const token = `${ctx.info.activityId}:${ctx.info.attempt}:${randomUUID()}`;
    const idleMs = input.idleMs ?? 10_000;
    const runUntil = Date.now() + (input.runMs ?? RUN_MS);
    const total: DispatchResult = { batchId: null, batches: 0, size: 0, submitted: 0 };
    do {
      const claimed = await nextBatch(input, token, Date.now() + idleMs);
      if (claimed.length === 0) break;
      const batch = await runBatch(input, claimed, token);
      Object.assign(total, {
        batchId: batch.batchId,
        batches: total.batches + 1,
        size: total.size + batch.size,
        submitted: total.submitted + batch.submitted,
      });
    } while (Date.now() < runUntil && !ctx.cancellationSignal.aborted);
    return total;
  }

  return { dispatchSingles };
}
