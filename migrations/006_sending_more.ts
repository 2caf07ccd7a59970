import type { Knex } from 'knex';

// Additions to the send path (005) for the API side: idempotent single sends, and what a
// campaign's upload was priced at (the quote at start must equal the sum of the messages' prices).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('campaigns', (t) => {
    t.text('kind').notNullable().defaultTo('campaign').checkIn(['single', 'campaign']);
    t.timestamp('priced_at', { useTz: true }); // price list in force at the upload = at this instant
    t.text('price_list_version');
    t.jsonb('rejections'); // counts per reason of the last upload
  });
  await knex.raw('create index campaigns_account on campaigns (account_id, created_at desc)');

  // Idempotency-Key of POST /v1/messages: the same key and body give the same answer; the row
  // is written in the transaction that creates the order, so a concurrent duplicate waits on it.
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.uuid('account_id').notNullable();
    t.text('key').notNullable();
    t.text('request_hash').notNullable();
    t.smallint('status_code').notNullable();
    t.jsonb('response').notNullable();
    t.uuid('order_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'key']);
  });
}
