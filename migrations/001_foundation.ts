import type { Knex } from 'knex';

// Accounts, members, credentials, terms, and the two append-only logs (evidence, audit) plus the
// deadlines register that every contract clock writes to.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create extension if not exists pgcrypto');

  await knex.schema.createTable('terms_versions', (t) => {
    t.text('version').primary();
    t.timestamp('published_at', { useTz: true }).notNullable();
    t.text('text_sha256').notNullable();
    t.jsonb('policy').notNullable();
  });

  await knex.schema.createTable('accounts', (t) => {
    t.uuid('id').primary();
    t.text('legal_form').notNullable().checkIn(['company', 'individual']);
    t.text('legal_name').notNullable();
    t.text('country').notNullable();
    t.text('siren');
    t.text('vat_number');
    t.jsonb('billing_address').notNullable();
    t.text('proof_of_power_ref');
    t.text('formula').notNullable().checkIn(['subscription', 'pack']);
    t.text('terms_version').notNullable().references('terms_versions.version');
    t.timestamp('effective_date', { useTz: true }).notNullable();
    // Projection of the account lifecycle workflow (the workflow is the source of truth).
    t.text('status').notNullable().defaultTo('active').checkIn(['active', 'suspended', 'terminated']);
    t.jsonb('suspensions').notNullable().defaultTo('[]');
    t.integer('state_version').notNullable().defaultTo(0);
    t.timestamp('lifecycle_started_at', { useTz: true });
    t.boolean('net_reviews_opt_out').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('members', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('username').notNullable();
    t.text('email').notNullable();
    t.text('full_name').notNullable();
    t.text('password_hash').notNullable();
    t.text('role').notNullable().checkIn(['owner', 'admin', 'member']);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('disabled_at', { useTz: true });
  });
  await knex.raw('create unique index members_username_unique on members (lower(username))');

  // 4.2.3: information kept up to date, with its history.
  await knex.schema.createTable('account_changes', (t) => {
    t.bigIncrements('id');
    t.uuid('account_id').notNullable().references('accounts.id');
    t.uuid('member_id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.jsonb('changes').notNullable();
  });

  await knex.schema.createTable('sessions', (t) => {
    t.uuid('id').primary();
    t.uuid('member_id').notNullable().references('members.id');
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('token_hash').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true });
    t.text('ip');
    t.text('user_agent');
  });

  await knex.schema.createTable('api_keys', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.uuid('created_by').notNullable().references('members.id');
    t.text('name').notNullable();
    t.text('prefix').notNullable().unique();
    t.text('secret_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true });
    t.timestamp('revoked_at', { useTz: true });
  });
  await knex.raw('create index api_keys_account on api_keys (account_id)');

  await knex.schema.createTable('login_attempts', (t) => {
    t.bigIncrements('id');
    t.text('username').notNullable();
    t.text('ip').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.boolean('success').notNullable();
  });
  await knex.raw('create index login_attempts_username_at on login_attempts (lower(username), at)');
  await knex.raw('create index login_attempts_ip_at on login_attempts (ip, at)');

  // 13.2: tamper-evident evidence. One hash chain per account ('platform' for platform-wide
  // acts) so that each account's export verifies on its own.
  await knex.schema.createTable('evidence_log', (t) => {
    t.bigIncrements('id');
    t.text('chain').notNullable();
    t.integer('seq').notNullable();
    t.uuid('account_id');
    t.text('kind').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    t.jsonb('actor').notNullable();
    t.jsonb('payload').notNullable();
    t.text('prev_hash').notNullable();
    t.text('hash').notNullable();
    t.unique(['chain', 'seq']);
  });
  await knex.raw('create index evidence_account on evidence_log (account_id, seq)');

  // Appendix 1: every access to customer data, by whom, why.
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('actor_type').notNullable().checkIn(['member', 'api_key', 'staff', 'system']);
    t.text('actor_id');
    t.uuid('account_id');
    t.text('action').notNullable();
    t.text('resource');
    t.text('reason');
    t.text('ip');
    t.text('request_id');
    t.jsonb('details').notNullable().defaultTo('{}');
  });
  await knex.raw('create index audit_account_at on audit_log (account_id, at)');

  // Every open clock of the contract, for compliance staff (docs/contract.md lists them).
  await knex.schema.createTable('deadlines', (t) => {
    t.uuid('id').primary().defaultTo(knex.raw('gen_random_uuid()'));
    t.text('kind').notNullable();
    t.uuid('account_id');
    t.text('clause').notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.text('state').notNullable().checkIn(['open', 'closed', 'missed']);
    t.text('workflow_id').notNullable();
    t.text('subject').notNullable().defaultTo('');
    t.text('outcome');
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.unique(['workflow_id', 'kind', 'subject']);
  });
  await knex.raw('create index deadlines_state_due on deadlines (state, due_at)');
  await knex.raw('create index deadlines_account on deadlines (account_id)');

  // Append-only: the database itself refuses edits and deletions of the two logs.
  await knex.raw(`
    create or replace function forbid_change() returns trigger language plpgsql as $$
    begin raise exception '% is append-only', tg_table_name; end $$;
    create trigger evidence_append_only before update or delete on evidence_log
      for each row execute function forbid_change();
    create trigger audit_append_only before update or delete on audit_log
      for each row execute function forbid_change();
  `);
}
