// Carrier events as one statement (ToS 6.2, 6.3: a message's status and history, STOP and bounces
// suppress): the StatusEvent every provider's webhook is read into, applyStatusEvents (a batch of
// events in one round trip and one commit; a repeated event changes nothing, a final status never
// moves) and StatusBatcher, the group commit of the busiest webhook (Twilio delivery reports).
import type { Knex } from 'knex';
import type { CampaignComplaints } from '../lib/complaints';
import type { Logger } from '../lib/logger';
import { Problem } from './errors';

export interface StatusEvent {
  provider: 'twilio' | 'sendgrid';
  /** Idempotency key within the provider. */
  key: string;
  /** Our message id (messages.id). */
  mid: string;
  carrierId: string | null;
  /** final: the message's last status; progress: accepted by the carrier; note: history only. */
  effect: 'final' | 'progress' | 'note';
  /** New status when final (delivered | undelivered | failed). */
  status: string | null;
  /** The carrier's own event name, kept in the history. */
  event: string;
  code: string | null;
  /** Suppress the recipient for the message's account (bounce, complaint, unsubscribe). */
  suppress: string | null;
}

export const MID = /^\d{1,18}$/;

// One statement (one round trip, one commit) for a batch of events: the history first, keyed by
// event (message_events.event_key, unique) — only events seen for the first time, about a
// message of ours, go on —, then per message its strongest new event (a final beats progress;
// among finals the last one) moves the status by UPDATE … FROM, and bounces / complaints /
// unsubscribes go to the suppressions.
const APPLY_EVENTS = `
  with input as (
    select distinct on (provider, key) *
      from unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                  ?::int[])
           as u(provider, key, mid, sid, effect, status, event, code, suppress, ord)
     order by provider, key, ord
  ), history as (
    insert into message_events (message_id, status, detail, event_key)
    select i.mid, 'carrier:' || i.event, case when i.code is null then null else 'error ' || i.code end,
           i.provider || ':' || i.key
      from input i where exists (select 1 from messages m where m.id = i.mid) order by i.ord
    on conflict (event_key) where event_key is not null do nothing
    returning event_key
  ), events as (
    select i.* from input i join history h on h.event_key = i.provider || ':' || i.key
  ), moves as (
    select distinct on (mid) * from events where effect <> 'note' order by mid, (effect = 'final') desc, ord desc
  ), upd as (
    update messages m set
        status = case when u.effect = 'final' then u.status
                      when m.status in ('queued', 'submitting') then 'submitted' else m.status end,
        carrier_id = coalesce(m.carrier_id, u.sid),
        carrier_error = case when u.effect = 'final' then coalesce(u.code, m.carrier_error) else m.carrier_error end,
        submitted_at = coalesce(m.submitted_at, now()),
        final_at = case when u.effect = 'final' then now() else m.final_at end,
        updated_at = now()
      from moves u
     where m.id = u.mid and m.status not in ('delivered', 'undelivered', 'failed')
       -- a progress report ('sent') about a message already known as submitted changes nothing:
       -- no new row version for it
       and (u.effect = 'final' or m.status in ('queued', 'submitting') or m.carrier_id is null)
    returning m.id
  ), suppressed as (
    insert into suppressions (account_id, channel, address, reason)
    select m.account_id, m.channel, m.recipient, e.suppress from events e join messages m on m.id = e.mid
     where e.suppress is not null
    on conflict do nothing
  ), complaints as (
    insert into campaign_complaints as cc (order_id, account_id, complaints)
    select m.order_id, m.account_id, count(*) from events e join messages m on m.id = e.mid
     where e.suppress = 'spamreport' group by m.order_id, m.account_id
    on conflict (order_id) do update set complaints = cc.complaints + excluded.complaints, updated_at = now()
    returning order_id, account_id, complaints
  )
  select (select count(*) from events)::int as fresh, (select count(*) from upd)::int as moved,
         (select coalesce(json_agg(json_build_object('orderId', order_id, 'accountId', account_id,
                                                     'complaints', complaints)), '[]')
            from complaints) as complained`;

/**
 * Applies carrier events (any provider) in one statement; a repeated event changes nothing.
 * `complained`: campaigns that received new spam complaints, with their running total.
 */
export async function applyStatusEvents(
  db: Knex,
  events: StatusEvent[],
): Promise<{ fresh: number; moved: number; complained: CampaignComplaints[] }> {
  if (events.length === 0) return { fresh: 0, moved: 0, complained: [] };
  const col = <K extends keyof StatusEvent>(k: K) => events.map((e) => e[k]);
  const { rows } = await db.raw(APPLY_EVENTS, [
    col('provider'),
    col('key'),
    col('mid'),
    col('carrierId'),
    col('effect'),
    col('status'),
    col('event'),
    col('code'),
    col('suppress'),
    events.map((_, i) => i),
  ]);
  return rows[0] as { fresh: number; moved: number; complained: CampaignComplaints[] };
}

/**
 * Group commit of Twilio status callbacks: a callback that finds no flush running is applied at
 * once (after the current tick, with whatever else arrived in it); callbacks arriving while
 * `maxInFlight` flushes run wait and go together in the next one (at most `maxEvents`). Batches
 * thus grow with the load and latency stays minimal when idle. Each request is answered once its
 * batch is committed: nothing is acknowledged before it is durable, and a shutdown that waits for
 * open requests loses nothing.
 */
export class StatusBatcher {
  private pending: { event: StatusEvent; done: (err?: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly apply: (events: StatusEvent[]) => Promise<unknown>,
    private readonly maxEvents = 500,
    private readonly maxInFlight = 4,
  ) {}

  add(event: StatusEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, done: (err) => (err ? reject(err) : resolve()) });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxEvents);
    this.inFlight += 1;
    this.apply(batch.map((b) => b.event))
      .then(
        () => batch.forEach((b) => b.done()),
        (err: unknown) => batch.forEach((b) => b.done(err)),
      )
      .finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    this.schedule();
  }
}

/** How long failures are counted into one warn line after the first of a burst is logged. */
const BURST_MS = 10_000;

/**
 * A report that could not be written (Postgres down, a failed statement) is answered 503
 * `report_not_applied`, never 2xx, so that the carrier posts it again (SendGrid for up to 24 h,
 * Twilio as our callback URL's connection overrides ask); what no retry brings, the status
 * reconciliation fetches (workflows/status-reconciliation.ts). One warn line per burst of
 * failures (the first, then at most one per BURST_MS with the count), with the error's message
 * and code only: never the request, its signature or the connection string.
 */
export function reportFailures(logger: Pick<Logger, 'warn'>, provider: string): (err: unknown) => Problem {
  let loggedAt = 0;
  let unlogged = 0;
  return (err) => {
    const now = Date.now();
    if (now - loggedAt >= BURST_MS) {
      const e = err as { message?: unknown; code?: unknown };
      logger.warn(
        { provider, error: String(e?.message ?? err), code: e?.code, failuresSinceLastLine: unlogged },
        'delivery report not applied; the carrier will retry / reconciliation will fetch it',
      );
      loggedAt = now;
      unlogged = 0;
    } else unlogged += 1;
    return new Problem(
      503,
      'report_not_applied',
      'Report not applied',
      'The report could not be recorded now; post it again later.',
      {},
      { 'Retry-After': '5' },
    );
  };
}
