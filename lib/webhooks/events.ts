// Outbound webhook events (docs/webhooks.md): the types a customer endpoint may subscribe to, and
// the outbox write. An event is inserted by the statement (or in the transaction) of the status
// change that causes it, once per enabled endpoint of the account subscribed to its type, so that
// ingest costs no round trip on the send path and an account without endpoints writes nothing.
import type { Knex } from 'knex';

const MESSAGE_EVENT_TYPES = [
  'message.submitted',
  'message.delivered',
  'message.undelivered',
  'message.failed',
  'message.inbound',
] as const;

export const EVENT_TYPES = [
  ...MESSAGE_EVENT_TYPES,
  'suppression.added',
  'suppression.removed',
  'campaign.started',
  'campaign.paused',
  'campaign.resumed',
  'campaign.completed',
  'campaign.cancelled',
  'campaign.failed',
  'invoice.issued',
  'invoice.overdue',
  'invoice.paid',
  // The notices the terms make us send: 6.3.4 suspension and its lifting, 10.1 formal notice,
  // 3.3 terms change, 6.4.3 maintenance announced, termination (3.2, 10.1, 11).
  'account.suspended',
  'account.suspension_lifted',
  'account.terminated',
  'notice.formal_notice',
  'notice.terms_change',
  'notice.maintenance_announced',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** The instant as the payloads spell it (UTC, milliseconds). */
const ISO_NOW = `to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * An INSERT of the events of `source` — a query with columns account_id (uuid), type, key (the
 * event id, stable: a repeated source row inserts nothing) and data (jsonb) — once per enabled
 * endpoint of the account that subscribes to the type. Usable as a data-modifying CTE.
 */
export function fanOutSql(source: string): string {
  return `insert into webhook_events (endpoint_id, account_id, event_id, type, payload)
    select e.id, s.account_id, s.key, s.type,
           jsonb_build_object('id', s.key, 'type', s.type, 'created_at', ${ISO_NOW},
                              'account_id', s.account_id, 'data', s.data)
      from (${source}) s
      join webhook_endpoints e on e.account_id = s.account_id and e.enabled and e.deleted_at is null
       and s.type = any(e.event_types)
    on conflict (endpoint_id, event_id) do nothing`;
}

/**
 * The data of a message event, from a row `m` of messages (id, order_id, channel, recipient,
 * carrier_id) and the history row `h` that records the change: its id is the message's sequence
 * number (strictly increasing over a message's events: the history row is written under the
 * message's row lock), so a receiver can order them.
 */
export function messageDataSql(m: string, h: string, status: string, errorCode: string): string {
  return `jsonb_build_object('message_id', ${m}.id::text, 'campaign_id', ${m}.order_id, 'channel', ${m}.channel,
            'to', ${m}.recipient, 'status', ${status}, 'carrier_id', ${m}.carrier_id, 'error_code', ${errorCode},
            'sequence', ${h}.id)`;
}

export interface EventInput {
  accountId: string;
  type: EventType;
  /** Stable id of the event (the webhook-id): the same fact recorded twice is one event. */
  key: string;
  data: Record<string, unknown>;
}

/** Records events in `trx`, the transaction of the change they report (an outbox). */
export async function recordEvents(trx: Knex | Knex.Transaction, events: EventInput[]): Promise<number> {
  if (events.length === 0) return 0;
  const { rowCount } = await trx.raw(
    fanOutSql(`select * from jsonb_to_recordset(?::jsonb) as x(account_id uuid, type text, key text, data jsonb)`),
    [JSON.stringify(events.map((e) => ({ account_id: e.accountId, type: e.type, key: e.key, data: e.data })))],
  );
  return Number(rowCount ?? 0);
}
