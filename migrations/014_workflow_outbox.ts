import type { Knex } from 'knex';

// The transactional outbox of workflow starts (lib/workflow-clients/outbox.ts): a start is written
// in the transaction of its fact, then a relay starts it (idempotent by workflow id) and marks it
// done. Pending rows are found by the partial index, in the order they may be retried; done rows
// are purged after a retention period.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('workflow_outbox', (t) => {
    t.bigIncrements('id').primary();
    t.text('workflow_id').notNullable().unique();
    t.text('workflow_type').notNullable();
    t.text('task_queue').notNullable();
    t.jsonb('args').notNullable();
    t.jsonb('search_attributes').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error');
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Set once the relay has started it, or found a workflow with this id (outcome says which).
    t.timestamp('done_at', { useTz: true });
    t.text('outcome').checkIn(['started', 'already_started']);
  });
  await knex.raw('create index workflow_outbox_pending on workflow_outbox (next_attempt_at, id) where done_at is null');
}
