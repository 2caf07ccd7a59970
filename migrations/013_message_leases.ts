import type { Knex } from 'knex';

// The lease of a page attempt on the messages it marked 'submitting' (activities/sending/lease.ts):
// the attempt's token and the instant, by the database's clock, until which no other attempt may
// take them over. Nullable columns with no default are a catalogue change only (no table rewrite),
// and no index: the lease is read and renewed by (order_id, seq) and by id, so the three updates
// of a message on the send path stay HOT (migration 008).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table messages add column lease_owner text, add column lease_until timestamptz');
}
