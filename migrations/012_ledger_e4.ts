import type { Knex } from 'knex';

// The ledger and orders hold ten-thousandths of a euro ("e4"), the unit prices' own precision:
// a single e-mail (0.0010 €) reserves and consumes 10 e4, never 0 cents, and a single SMS
// (0.0450 €) 450 e4, never 5 cents. Cents remain for what is invoiced or paid (invoices round
// once per line). Existing amounts are whole cents: × 100 is exact. The append-only trigger is
// lifted for this unit change only, inside the migration's transaction.
const ORDER_AMOUNTS = ['reserved', 'reserved_overage', 'released', 'released_overage', 'consumed', 'consumed_overage'];

export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table ledger_entries disable trigger ledger_append_only');
  await knex.raw(`update ledger_entries set available_delta = available_delta * 100, reserved_delta = reserved_delta * 100,
    amount_cents = amount_cents * 100`);
  await knex.raw('alter table ledger_entries enable trigger ledger_append_only');
  await knex.raw('alter table ledger_entries rename column amount_cents to amount_e4');

  await knex.raw(
    'update ledger_balances set available_cents = available_cents * 100, reserved_cents = reserved_cents * 100',
  );
  await knex.raw('alter table ledger_balances rename column available_cents to available_e4');
  await knex.raw('alter table ledger_balances rename column reserved_cents to reserved_e4');

  // orders.total_cents stays (the quote's total rounded once, for display); total_e4 is what is reserved.
  await knex.raw('alter table orders add column total_e4 bigint not null default 0');
  await knex.raw(
    `update orders set total_e4 = total_cents * 100, ${ORDER_AMOUNTS.map((c) => `${c}_cents = ${c}_cents * 100`).join(', ')}`,
  );
  for (const c of ORDER_AMOUNTS) await knex.raw(`alter table orders rename column ${c}_cents to ${c}_e4`);
  await knex.raw('alter table orders alter column total_e4 drop default');
  await knex.raw('alter table orders add constraint orders_total_e4_ok check (total_e4 >= 0)');
}
