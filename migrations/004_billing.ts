import type { Knex } from 'knex';

// Billing (ToS 7): price lists, orders, the prepaid ledger, invoices with their gap-free
// numbering, payments, disputes, the legal interest rate table and subscriptions.
export async function up(knex: Knex): Promise<void> {
  // ---- prices (7.1) ------------------------------------------------------------------------
  await knex.schema.createTable('price_list_entries', (t) => {
    t.bigIncrements('id');
    t.text('version').notNullable();
    t.text('channel').notNullable().checkIn(['sms', 'email']);
    t.text('country').notNullable(); // ISO alpha-2 or '*'
    t.integer('price_e4').notNullable().checkPositive();
    t.timestamp('effective_from', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['channel', 'country', 'effective_from']);
  });
  // Launch price list, in force from the launch of the terms 2026-01.
  const launch = '2026-01-01T00:00:00+01:00';
  const eu = [
    'AT',
    'BE',
    'BG',
    'CY',
    'CZ',
    'DE',
    'DK',
    'EE',
    'ES',
    'FI',
    'GR',
    'HR',
    'HU',
    'IE',
    'IT',
    'LT',
    'LU',
    'LV',
    'MT',
    'NL',
    'PL',
    'PT',
    'RO',
    'SE',
    'SI',
    'SK',
  ];
  await knex('price_list_entries').insert([
    { version: 'launch-2026-01', channel: 'sms', country: 'FR', price_e4: 450, effective_from: launch },
    ...eu.map((c) => ({
      version: 'launch-2026-01',
      channel: 'sms',
      country: c,
      price_e4: 700,
      effective_from: launch,
    })),
    { version: 'launch-2026-01', channel: 'sms', country: '*', price_e4: 900, effective_from: launch },
    { version: 'launch-2026-01', channel: 'email', country: '*', price_e4: 10, effective_from: launch },
  ]);

  // ---- orders --------------------------------------------------------------------------------
  await knex.schema.createTable('orders', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('kind').notNullable().checkIn(['single', 'campaign']);
    t.text('channel').notNullable().checkIn(['sms', 'email']);
    t.text('status')
      .notNullable()
      .defaultTo('quoted')
      .checkIn(['quoted', 'reserved', 'settled', 'refused', 'cancelled']);
    t.jsonb('quote').notNullable();
    t.bigInteger('total_cents').notNullable();
    // Reserved = from the prepaid balance + (Subscription only) overage billed next month.
    t.bigInteger('reserved_cents').notNullable().defaultTo(0);
    t.bigInteger('reserved_overage_cents').notNullable().defaultTo(0);
    t.bigInteger('released_cents').notNullable().defaultTo(0);
    t.bigInteger('released_overage_cents').notNullable().defaultTo(0);
    t.bigInteger('consumed_cents').notNullable().defaultTo(0);
    t.bigInteger('consumed_overage_cents').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('settled_at', { useTz: true });
  });
  await knex.raw('create index orders_account_created on orders (account_id, created_at desc)');
  await knex.raw(`alter table orders add constraint orders_amounts_ok check (
    reserved_overage_cents <= reserved_cents and released_overage_cents <= reserved_overage_cents
    and released_cents + consumed_cents <= reserved_cents and consumed_overage_cents <= consumed_cents
    and released_overage_cents <= released_cents and total_cents >= 0)`);

  // ---- prepaid ledger ----------------------------------------------------------------------
  // One row per account, locked FOR UPDATE by every ledger write: serialises them per account.
  // It is the running sum of the entries (tests check it), and the checks forbid a negative one.
  await knex.schema.createTable('ledger_balances', (t) => {
    t.uuid('account_id').primary().references('accounts.id');
    t.bigInteger('available_cents').notNullable().defaultTo(0);
    t.bigInteger('reserved_cents').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    'alter table ledger_balances add constraint ledger_balance_not_negative check ' +
      '(available_cents >= 0 and reserved_cents >= 0)',
  );
  await knex.schema.createTable('ledger_entries', (t) => {
    t.bigIncrements('id');
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('kind')
      .notNullable()
      .checkIn(['top_up', 'reservation', 'release', 'consumption', 'expiry', 'carry_over', 'adjustment']);
    // Effect on the available and the reserved balance.
    t.bigInteger('available_delta').notNullable();
    t.bigInteger('reserved_delta').notNullable();
    // Magnitude of the movement (for a consumption: the amount consumed, overage included).
    t.bigInteger('amount_cents').notNullable();
    t.uuid('order_id').references('orders.id');
    // Consumption / expiry / negative adjustment: the funding entry (top_up, carry_over,
    // positive adjustment) they draw on, FIFO. Null only for overage consumption.
    t.bigInteger('funding_entry_id').references('ledger_entries.id');
    t.boolean('overage').notNullable().defaultTo(false);
    t.text('source_kind');
    t.text('source_ref');
    t.text('reason');
    t.text('idem_key').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index ledger_entries_account on ledger_entries (account_id, id)');
  await knex.raw(
    'create index ledger_entries_funding on ledger_entries (funding_entry_id) where funding_entry_id is not null',
  );
  await knex.raw('create index ledger_entries_order on ledger_entries (order_id) where order_id is not null');

  // ---- invoices ----------------------------------------------------------------------------
  // Gap-free numbering: one counter row per series, locked FOR UPDATE in the issuing
  // transaction (a sequence would leave gaps on rollback).
  await knex.schema.createTable('invoice_counters', (t) => {
    t.text('series').primary();
    t.bigInteger('last_seq').notNullable().defaultTo(0);
  });
  await knex('invoice_counters').insert([
    { series: 'F', last_seq: 0 },
    { series: 'A', last_seq: 0 },
  ]);
  await knex.schema.createTable('invoices', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('kind').notNullable().checkIn(['invoice', 'credit_note']);
    t.text('purpose').notNullable(); // subscription_month, early_end, pack, penalty, credit_note
    t.text('series').notNullable();
    t.bigInteger('seq').notNullable();
    t.text('number').notNullable().unique();
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.timestamp('dispute_deadline', { useTz: true });
    t.jsonb('lines').notNullable();
    t.jsonb('per_rate').notNullable();
    t.bigInteger('net_cents').notNullable();
    t.bigInteger('vat_cents').notNullable();
    t.bigInteger('total_cents').notNullable();
    t.jsonb('seller').notNullable();
    t.jsonb('buyer').notNullable();
    t.jsonb('service_period');
    t.uuid('corrects_invoice_id').references('invoices.id');
    t.text('terms_version').notNullable();
    t.jsonb('meta').notNullable().defaultTo('{}');
    t.text('idem_key').notNullable().unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['series', 'seq']);
  });
  await knex.raw('create index invoices_account on invoices (account_id, issued_at desc)');
  // Immutable once issued (invoices are inserted issued): corrections are credit notes.
  await knex.raw(`
    create trigger invoices_immutable before update or delete on invoices
      for each row execute function forbid_change();
    create trigger ledger_append_only before update or delete on ledger_entries
      for each row execute function forbid_change();
  `);

  // ---- payments ----------------------------------------------------------------------------
  await knex.schema.createTable('payments', (t) => {
    t.uuid('id').primary();
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('method').notNullable().checkIn(['card', 'transfer', 'sepa_debit', 'cheque', 'payment_provider']);
    t.text('reference').notNullable();
    t.bigInteger('amount_cents').notNullable().checkPositive();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.text('provider_event_id').unique();
    t.jsonb('recorded_by').notNullable();
    t.text('idem_key').unique();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('payment_allocations', (t) => {
    t.bigIncrements('id');
    t.uuid('payment_id').notNullable().references('payments.id');
    t.uuid('invoice_id').notNullable().references('invoices.id');
    t.bigInteger('amount_cents').notNullable().checkPositive();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw('create index payment_allocations_invoice on payment_allocations (invoice_id)');
  await knex.schema.createTable('payment_webhook_events', (t) => {
    t.text('event_id').primary();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('type').notNullable();
    t.uuid('payment_id');
  });

  // ---- disputes (7.3) ----------------------------------------------------------------------
  await knex.schema.createTable('invoice_disputes', (t) => {
    t.uuid('id').primary();
    t.uuid('invoice_id').notNullable().references('invoices.id');
    t.uuid('account_id').notNullable().references('accounts.id');
    t.text('reason').notNullable();
    t.jsonb('filed_by').notNullable();
    t.timestamp('filed_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('open').checkIn(['open', 'rejected', 'credited']);
    t.text('resolution_note');
    t.uuid('credit_note_id').references('invoices.id');
    t.text('resolved_by');
    t.timestamp('resolved_at', { useTz: true });
  });
  await knex.raw('create index invoice_disputes_invoice on invoice_disputes (invoice_id)');

  // ---- late payment (7.3) ------------------------------------------------------------------
  await knex.schema.createTable('legal_interest_rates', (t) => {
    t.text('semester').primary(); // 'YYYY-S1' | 'YYYY-S2'
    t.integer('rate_bp').notNullable();
    t.text('created_by').notNullable().defaultTo('seed');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    "alter table legal_interest_rates add constraint legal_rate_semester check (semester ~ '^[0-9]{4}-S[12]$' and rate_bp >= 0)",
  );
  await knex('legal_interest_rates').insert([
    { semester: '2025-S1', rate_bp: 371 },
    { semester: '2025-S2', rate_bp: 276 },
    { semester: '2026-S1', rate_bp: 262 },
  ]);
  // Configuration errors met by billing workflows (e.g. a semester missing from the rate
  // table): visible to staff instead of a silent zero.
  await knex.schema.createTable('billing_config_errors', (t) => {
    t.bigIncrements('id');
    t.text('code').notNullable();
    t.uuid('account_id');
    t.uuid('invoice_id');
    t.text('detail').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // ---- subscriptions (7.1.1) ---------------------------------------------------------------
  await knex.schema.createTable('subscriptions', (t) => {
    t.uuid('account_id').primary().references('accounts.id');
    t.bigInteger('monthly_fee_cents').notNullable();
    t.bigInteger('monthly_prepaid_cents').notNullable();
    t.timestamp('effective_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // One row per billed month: re-running a month finds it and creates nothing.
  await knex.schema.createTable('subscription_billing_runs', (t) => {
    t.uuid('account_id').notNullable().references('accounts.id');
    t.integer('month_number').notNullable(); // 0, 1, … across renewals; -1 = early end
    t.uuid('invoice_id').references('invoices.id'); // null: nothing to invoice that month
    t.bigInteger('ledger_cutoff_id').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['account_id', 'month_number']);
  });
}
