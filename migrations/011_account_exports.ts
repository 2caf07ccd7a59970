import type { Knex } from 'knex';

// 10.2 / Annex 2.4: the account export (activities/export.ts) reads messages by account in id
// order; neither column changes after the insert, so updates of a message stay HOT (see 008).
// The copy returned under 10.2 at the end of the contract is kept for the User to collect after
// its personal data is destroyed: one row per returned export, its bytes in ordered chunks,
// deleted when the collection window ends (workflows/termination.ts).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index messages_account_id on messages (account_id, id)');
  await knex.schema.createTable('account_exports', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('purpose').notNullable().checkIn(['data_return']);
    t.text('state').notNullable().checkIn(['writing', 'complete']);
    t.text('format').notNullable();
    t.bigInteger('bytes');
    t.text('sha256');
    t.jsonb('manifest');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('completed_at', { useTz: true });
    t.timestamp('available_until', { useTz: true });
    t.unique(['account_id', 'purpose']);
  });
  await knex.schema.createTable('account_export_chunks', (t) => {
    t.uuid('export_id').notNullable().references('account_exports.id').onDelete('cascade');
    t.integer('seq').notNullable();
    t.binary('data').notNullable();
    t.primary(['export_id', 'seq']);
  });
}
