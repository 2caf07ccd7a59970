// How a delivery report changes a message (ToS 6.2, 6.3: a message's status and history, STOP
// and bounces suppress), one rule for every path that learns a status: the carrier webhooks
// (api/carrier-webhooks-*.ts) and the status reconciliation that fetches what they never got
// (activities/status-reconciliation.ts). The StatusEvent every report is read into, the Twilio
// status mapping, and applyStatusEvents (a batch in one round trip and one commit; a repeated
// event changes nothing, keyed by provider and event, whichever path brought it first).
import type { Knex } from 'knex';
import type { CampaignComplaints } from './complaints';
import { fanOutSql, messageDataSql } from './webhooks/events';

/** A Twilio MessageStatus: final (delivered, undelivered, failed), progress (accepted…), or a note. */
export function twilioStatusEffect(status: string): { effect: StatusEvent['effect']; status: string | null } {
  if (status === 'delivered' || status === 'undelivered' || status === 'failed') return { effect: 'final', status };
  if (['accepted', 'queued', 'sending', 'sent', 'scheduled'].includes(status))
    return { effect: 'progress', status: null };
  return { effect: 'note', status: null };
}

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

// Webhook events (the outbox, lib/webhooks/events.ts) in the same statement: a message whose status
// moved (final: delivered / undelivered / failed with the carrier's code; progress: submitted),
// keyed by the history row that records it, and a suppression added.
const STATUS_EVENTS = fanOutSql(
  `select upd.account_id, case when upd.effect = 'final' then 'message.' || upd.status else 'message.submitted' end as type,
          'evt_me' || h.id as key,
          ${messageDataSql('upd', 'h', 'upd.status', "case when upd.status <> 'delivered' then upd.carrier_error end")} as data
     from upd join history h on h.event_key = upd.event_key
    where upd.effect = 'final' or upd.status = 'submitted'`,
);
const SUPPRESSION_EVENTS_SOURCE = `select s.account_id, 'suppression.added' as type,
          'evt_sa' || md5(s.account_id || s.channel || s.address || s.at::text) as key,
          jsonb_build_object('channel', s.channel, 'address', s.address, 'reason', s.reason) as data
     from suppressed s`;
const SUPPRESSION_EVENTS = fanOutSql(SUPPRESSION_EVENTS_SOURCE);

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
    returning id, event_key
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
    returning m.id, m.account_id, m.order_id, m.channel, m.recipient, m.carrier_id, m.status, m.carrier_error,
              u.provider || ':' || u.key as event_key, u.effect
  ), suppressed as (
    insert into suppressions (account_id, channel, address, reason, source)
    select m.account_id, m.channel, m.recipient, e.suppress,
           case e.suppress when 'spamreport' then 'complaint' else e.suppress end -- bounce, unsubscribe
      from events e join messages m on m.id = e.mid
     where e.suppress is not null
    on conflict do nothing
    returning account_id, channel, address, reason, at
  ), hooks as (${STATUS_EVENTS}
  ), suppression_hooks as (${SUPPRESSION_EVENTS}
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
 * Messages still 'submitted' that no report will ever settle (SendGrid has no status lookup and
 * has stopped retrying its events) become 'unknown', with their history: a final status of our
 * own, charged like the others (accepted by the carrier), that a late real report may still
 * replace (applyStatusEvents moves any status but delivered, undelivered and failed).
 */
export async function markDeliveryUnknown(db: Knex, ids: string[], detail: string): Promise<number> {
  if (ids.length === 0) return 0;
  const { rows } = await db.raw(
    `with u as (
       update messages set status = 'unknown', final_at = now(), updated_at = now()
        where id = any(?::bigint[]) and status = 'submitted' returning id
     )
     insert into message_events (message_id, status, detail, event_key)
     select id, 'unknown', ?, 'tentacle:unknown:' || id from u
     on conflict (event_key) where event_key is not null do nothing
     returning message_id`,
    [ids, detail],
  );
  return rows.length;
}
