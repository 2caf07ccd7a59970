import type { Knex } from 'knex';

// The executable contract (ToS 3.3–13.2, docs/contract.md): cases (breach, force majeure, personal-data breach),
// notices and their acknowledgments, claims, data subject requests, maintenance windows, the
// platform's own e-mails, and each account's end-of-contract data state.
export async function up(knex: Knex): Promise<void> {
  // One row per case a clock runs on: formal notice (10.1), prohibited use (10.3), force majeure
  // (11), personal-data breach (Annex 2.3.3). The workflow id is the case's business key.
  await knex.schema.createTable('contract_cases', (t) => {
    t.uuid('id').primary();
    t.text('kind').notNullable().checkIn(['formal_notice', 'prohibited_use', 'force_majeure', 'data_breach']);
    t.uuid('account_id').references('accounts.id');
    t.text('clause').notNullable();
    t.text('state').notNullable(); // open, cured, terminated, right_open, ended, notified, closed...
    t.text('workflow_id').notNullable().unique();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.text('opened_by_type').notNullable().checkIn(['member', 'staff', 'system']);
    t.text('opened_by_id');
    t.timestamp('opened_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('closed_at', { useTz: true });
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index contract_cases_account on contract_cases (account_id)');

  // Notices the platform sends (formal notice, suspension information, terms change, force
  // majeure, maintenance, breach, destruction confirmation...). `key` makes sending idempotent
  // across activity retries. The acknowledgment token is random and stored as its SHA-256.
  await knex.schema.createTable('contract_notices', (t) => {
    t.uuid('id').primary();
    t.text('key').notNullable().unique();
    t.uuid('account_id').references('accounts.id');
    t.uuid('case_id');
    t.text('kind').notNullable();
    t.text('clause').notNullable();
    t.specificType('recipients', 'text[]').notNullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    t.text('ack_token_hash');
    t.timestamp('sent_at', { useTz: true });
    t.timestamp('acknowledged_at', { useTz: true });
    t.text('acknowledged_ip');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index contract_notices_case on contract_notices (case_id)');
  await knex.raw('create index contract_notices_account on contract_notices (account_id)');

  // Idempotency keys for contract events written to the evidence log from activities (a retried
  // activity must not append the same evidence twice).
  await knex.schema.createTable('contract_events', (t) => {
    t.text('key').primary();
    t.uuid('account_id');
    t.uuid('case_id');
    t.text('kind').notNullable();
    t.bigInteger('evidence_id');
    t.timestamp('at', { useTz: true }).notNullable();
  });
  await knex.raw('create index contract_events_case on contract_events (case_id)');

  // 3.2 i: termination notices received (by e-mail with acknowledgment, or over the API).
  await knex.schema.createTable('termination_notices', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('given_by').notNullable().checkIn(['user', 'platform']);
    t.text('actor_id');
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.timestamp('applies_at', { useTz: true });
    t.text('reason');
  });

  // 9 / 1.4: liability claims with the intake decision and the cap.
  await knex.schema.createTable('liability_claims', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.uuid('member_id');
    t.timestamp('event_at', { useTz: true }).notNullable();
    t.timestamp('notified_at', { useTz: true }).notNullable();
    t.text('description').notNullable();
    t.boolean('accepted').notNullable();
    t.text('refusal');
    t.timestamp('notice_deadline', { useTz: true }).notNullable();
    t.timestamp('barred_at', { useTz: true }).notNullable();
    t.timestamp('cap_window_start', { useTz: true }).notNullable();
    t.bigInteger('cap_cents').notNullable();
    t.text('terms_version').notNullable();
  });

  // Annex / art. 12: data subject requests received by the platform, forwarded to the User.
  await knex.schema.createTable('data_subject_requests', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('kind')
      .notNullable()
      .checkIn(['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection']);
    t.text('subject_contact').notNullable();
    t.text('details').notNullable().defaultTo('');
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.timestamp('forwarded_at', { useTz: true });
    t.text('state').notNullable().checkIn(['received', 'forwarded', 'closed']);
    t.text('resolution');
    t.timestamp('closed_at', { useTz: true });
  });

  // 6.4.3: maintenance windows. The API reads them (cached) to answer 503 during a window.
  await knex.schema.createTable('maintenance_windows', (t) => {
    t.uuid('id').primary();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.boolean('emergency').notNullable();
    t.text('reason').notNullable();
    t.timestamp('announced_at', { useTz: true });
    t.timestamp('cancelled_at', { useTz: true });
    t.text('state').notNullable().defaultTo('scheduled');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index maintenance_windows_ends on maintenance_windows (ends_at)');

  // E-mails sent by the platform itself (notices). The recording mailer stores them here; with
  // SendGrid the provider's message id is kept too.
  await knex.schema.createTable('platform_emails', (t) => {
    t.bigIncrements('id');
    t.text('notice_key');
    t.uuid('account_id');
    t.text('from_address').notNullable();
    t.specificType('to_addresses', 'text[]').notNullable();
    t.text('subject').notNullable();
    t.text('body').notNullable();
    t.text('transport').notNullable().checkIn(['recording', 'sendgrid']);
    t.text('provider_message_id');
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index platform_emails_account on platform_emails (account_id)');

  // 10.2 / Annex 2.4: end-of-contract data state of an account.
  await knex.schema.alterTable('accounts', (t) => {
    t.timestamp('data_return_requested_at', { useTz: true });
    t.timestamp('data_exported_at', { useTz: true });
    t.timestamp('data_destroyed_at', { useTz: true });
  });
}
