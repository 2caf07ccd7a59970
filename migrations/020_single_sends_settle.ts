import type { Knex } from 'knex';

// Single sends settle in bulk (activities/sending/single-batch.ts settleDone): a dispatch marks
// its finished rows done_at, and a settlement at most twice a second per lane takes them all.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('single_sends', (t) => {
    t.timestamp('done_at', { useTz: true });
  });
  await knex.raw(
    'create index single_sends_done on single_sends (lane, channel, message_id) where done_at is not null',
  );
}
