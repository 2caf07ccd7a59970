import type { Knex } from 'knex';

// Single sends (POST /v1/messages) without a workflow each: the API queues the message here in its
// own transaction and NOTIFYs `single_sends`; the dispatcher workflows of the lane (one per channel)
// claim rows by a short lease (claimed_until), submit them as a batch with the page code and
// delete each row once its order is settled. claimed_until also defers a row (quiet hours, a
// carrier that refused). single_send_batches records each batch the dispatchers ran.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('single_sends', (t) => {
    t.bigInteger('message_id').primary();
    t.uuid('order_id').notNullable();
    t.uuid('account_id').notNullable();
    t.text('channel').notNullable();
    t.text('lane').notNullable();
    t.text('claimed_by');
    t.timestamp('claimed_until', { useTz: true });
  });
  await knex.raw('create index single_sends_lane on single_sends (lane, channel, message_id)');
  await knex.schema.createTable('single_send_batches', (t) => {
    t.bigIncrements('id');
    t.text('lane').notNullable();
    t.text('channel').notNullable();
    t.specificType('message_ids', 'bigint[]').notNullable();
    t.integer('submitted').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}
