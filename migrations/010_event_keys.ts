import type { Knex } from 'knex';

// Carrier events are made idempotent by the history row itself: message_events.event_key
// ('<provider>:<key>', unique when set) replaces a webhook_receipts row per event — one insert
// per event instead of two, and no second table growing by two rows per SMS. webhook_receipts
// stays for events that concern no message (inbound STOP / START). An event already applied
// before this migration and delivered again after it would add one more history row (its status
// cannot move: final statuses never change).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table message_events add column event_key text');
  await knex.raw(
    'create unique index message_events_event_key on message_events (event_key) where event_key is not null',
  );
}
