import type { Knex } from 'knex';

// The customer's lists (api/pagination.ts: keyset on (sort key, id) per account) and what they
// need: each list's index leads with account_id then its sort key and tie-break, so a page is an
// index range scan however long the list; every inbound SMS kept (inbound_messages); a
// suppression's source and an id to address it by.
export async function up(knex: Knex): Promise<void> {
  // Messages: created_at (never updated, so the send path's updates stay HOT, migration 008).
  // Rows older than this migration take their campaign's creation instant.
  await knex.raw('alter table messages add column created_at timestamptz not null default now()');
  await knex.raw('update messages m set created_at = c.created_at from campaigns c where c.order_id = m.order_id');
  await knex.raw('create index messages_account_created on messages (account_id, created_at, id)');
  // A customer looks a recipient up across campaigns (GET /v1/messages?recipient=).
  await knex.raw('create index messages_account_recipient on messages (account_id, recipient, created_at, id)');
  await knex.raw('create index campaigns_account_created_id on campaigns (account_id, created_at, order_id)');
  await knex.raw('drop index if exists campaigns_account');
  await knex.raw('create index orders_account_created_id on orders (account_id, created_at, id)');
  await knex.raw('drop index if exists orders_account_created');
  await knex.raw('create index invoices_account_issued_id on invoices (account_id, issued_at, id)');
  await knex.raw('drop index if exists invoices_account');
  await knex.raw('create index payments_account_received on payments (account_id, received_at, id)');
  await knex.raw('create index deadlines_account_due on deadlines (account_id, due_at, id)');
  // ledger_entries_account (account_id, id) already serves the ledger's keyset.

  // Every reply received on the account's senders (Twilio inbound webhook), one row per account
  // it concerns, with its keyword: only stop and start change a suppression.
  await knex.schema.createTable('inbound_messages', (t) => {
    t.bigIncrements('id');
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('provider').notNullable();
    t.text('carrier_id').notNullable(); // Twilio MessageSid
    t.text('from').notNullable();
    t.text('to').notNullable();
    t.text('body').notNullable();
    t.text('keyword').notNullable().checkIn(['stop', 'start', 'help', 'other']);
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['account_id', 'provider', 'carrier_id']);
  });
  await knex.raw('create index inbound_messages_account on inbound_messages (account_id, received_at, id)');

  // Suppressions: where each entry came from (a STOP is lifted only by the recipient's START) and
  // an id. Existing rows: their reason was the source (SendGrid's spamreport is a complaint).
  await knex.raw('alter table suppressions add column id bigserial');
  await knex.raw('alter table suppressions add column source text');
  await knex.raw(`
    update suppressions set source = case reason
      when 'stop' then 'stop' when 'unsubscribe' then 'unsubscribe' when 'bounce' then 'bounce'
      when 'spamreport' then 'complaint' else 'manual' end`);
  await knex.raw('alter table suppressions alter column source set not null');
  await knex.raw(`alter table suppressions add constraint suppressions_source_check
    check (source in ('stop', 'unsubscribe', 'bounce', 'complaint', 'manual', 'import'))`);
  await knex.raw('create unique index suppressions_id on suppressions (id)');
  await knex.raw('create index suppressions_account_at on suppressions (account_id, at, id)');
}
