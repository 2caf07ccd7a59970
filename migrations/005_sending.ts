import type { Knex } from 'knex';

// The send path. Messages are addressed by (order_id, seq): seq is the 1-based row number inside
// its order, contiguous by construction, so a page of the campaign is a seq range and workflow
// payloads carry only numbers, never bodies or recipients.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('campaigns', (t) => {
    t.uuid('order_id').primary(); // = orders.id (billing's table); one campaign per order
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('channel').notNullable().checkIn(['sms', 'email']);
    t.text('purpose').notNullable().checkIn(['marketing', 'transactional']);
    t.text('sender').notNullable(); // SMS: From / MessagingServiceSid; e-mail: from address
    t.text('subject'); // e-mail
    t.text('template').notNullable(); // body with {{variables}}
    t.text('status')
      .notNullable()
      .checkIn(['draft', 'uploading', 'ready', 'scheduled', 'running', 'paused', 'cancelled', 'completed']);
    t.timestamp('scheduled_at', { useTz: true });
    t.integer('total').notNullable().defaultTo(0); // accepted recipients = max seq
    t.integer('rejected').notNullable().defaultTo(0);
    t.jsonb('summary'); // completion summary
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('started_at', { useTz: true });
    t.timestamp('completed_at', { useTz: true });
  });

  // status: accepted → queued → submitting → submitted → delivered | undelivered | failed;
  // or held (quiet hours), suppressed, rejected_by_carrier (permanent error before acceptance),
  // cancelled. 'submitting' is the mark before the carrier call: a message left in it by a crash
  // is ambiguous and is reconciled with the carrier before any resubmission.
  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('id');
    t.uuid('order_id').notNullable();
    t.integer('seq').notNullable();
    t.uuid('account_id').notNullable();
    t.text('channel').notNullable();
    t.text('recipient').notNullable(); // E.164 or normalised e-mail
    t.text('country'); // ISO alpha-2 of the destination (SMS)
    t.jsonb('vars'); // per-recipient template variables
    t.text('status').notNullable();
    t.smallint('segments').notNullable().defaultTo(1);
    t.integer('price_e4').notNullable(); // quote per message, ten-thousandths of a euro
    t.smallint('attempts').notNullable().defaultTo(0);
    t.text('carrier_id'); // Twilio SID / SendGrid X-Message-Id
    t.text('carrier_error'); // carrier error code
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('final_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['order_id', 'seq']);
  });
  await knex.raw('create index messages_carrier_id on messages (carrier_id) where carrier_id is not null');
  await knex.raw('create index messages_order_status on messages (order_id, status)');

  // Full history of every message (6.3.1): one row per status change, written in bulk.
  await knex.schema.createTable('message_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('message_id').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('status').notNullable();
    t.text('detail');
  });
  await knex.raw('create index message_events_message on message_events (message_id)');

  // Rejected rows of an upload, with the reason (invalid_phone, invalid_email, duplicate, suppressed…).
  await knex.schema.createTable('recipient_rejections', (t) => {
    t.bigIncrements('id');
    t.uuid('order_id').notNullable();
    t.integer('row_no').notNullable();
    t.text('value');
    t.text('reason').notNullable();
  });
  await knex.raw('create index recipient_rejections_order on recipient_rejections (order_id, reason)');

  // Per-account suppression: STOP replies, unsubscribes, bounces, complaints.
  await knex.schema.createTable('suppressions', (t) => {
    t.uuid('account_id').notNullable();
    t.text('channel').notNullable();
    t.text('address').notNullable();
    t.text('reason').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'channel', 'address']);
  });

  // Carrier webhooks already processed: a repeated callback changes nothing.
  await knex.schema.createTable('webhook_receipts', (t) => {
    t.text('provider').notNullable();
    t.text('event_key').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['provider', 'event_key']);
  });
}
