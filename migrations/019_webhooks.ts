import type { Knex } from 'knex';

// Outbound webhooks (docs/webhooks.md). An endpoint per customer URL, its signing secret (and the
// previous one during a rotation's overlap). webhook_events is the outbox: one row per event and
// endpoint, written by the statement or transaction of the status change that causes it (only
// for enabled endpoints subscribing to the type), delivered by the endpoint's dispatcher workflow
// and kept with its state (pending → delivered | failed). webhook_attempts is the delivery log.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('url').notNullable();
    t.text('description').notNullable().defaultTo('');
    t.specificType('event_types', 'text[]').notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.text('disabled_reason');
    t.timestamp('disabled_at', { useTz: true });
    // Needed in clear to sign (HMAC): never logged, never exported, shown once at creation.
    t.text('secret').notNullable();
    t.text('previous_secret');
    t.timestamp('previous_secret_until', { useTz: true });
    // Bumped when the endpoint is enabled again: the dispatcher of each generation is a new workflow.
    t.integer('generation').notNullable().defaultTo(1);
    t.timestamp('last_success_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('deleted_at', { useTz: true });
  });
  await knex.raw(
    'create index webhook_endpoints_account on webhook_endpoints (account_id) where enabled and deleted_at is null',
  );
  await knex.schema.createTable('webhook_events', (t) => {
    t.bigIncrements('id').primary();
    t.uuid('endpoint_id').notNullable();
    t.uuid('account_id').notNullable();
    t.text('event_id').notNullable(); // the webhook-id header, the same across retries
    t.text('type').notNullable();
    t.jsonb('payload').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'delivered', 'failed']);
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('retry_index').notNullable().defaultTo(0); // position in the backoff schedule
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('first_attempt_at', { useTz: true });
    t.timestamp('claimed_until', { useTz: true });
    t.timestamp('delivered_at', { useTz: true });
    t.integer('last_status');
    t.unique(['endpoint_id', 'event_id']);
  });
  await knex.raw(
    `create index webhook_events_due on webhook_events (endpoint_id, next_attempt_at) where status = 'pending'`,
  );
  await knex.raw('create index webhook_events_endpoint on webhook_events (endpoint_id, id)');
  await knex.schema.createTable('webhook_attempts', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('event_row_id').notNullable();
    t.uuid('endpoint_id').notNullable();
    t.timestamp('attempted_at', { useTz: true }).notNullable();
    t.integer('status_code'); // null: no answer (timeout, refused connection, SSRF refusal)
    t.integer('latency_ms').notNullable();
    t.text('response_excerpt');
    t.text('error');
  });
  await knex.raw('create index webhook_attempts_endpoint on webhook_attempts (endpoint_id, id)');
  await knex.raw('create index webhook_attempts_event on webhook_attempts (event_row_id)');
}
