import type { Knex } from 'knex';

// A message's row is updated three times on the send path (marked, submitted, final). With an
// index on a column those updates change (status, carrier_id), every update inserts a new entry
// into every index of the table; without one, Postgres can update in place on the same page
// (a HOT update) and touch no index. Neither index served a query: every read of messages by
// status is scoped to one order and uses (order_id, seq), and carrier ids are never looked up
// (webhooks carry our own id). Free space left on each page (fillfactor) gives the new row
// versions room on the page they came from; old versions are pruned as the page fills.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists messages_order_status');
  await knex.raw('drop index if exists messages_carrier_id');
  await knex.raw('alter table messages set (fillfactor = 60)');
}
