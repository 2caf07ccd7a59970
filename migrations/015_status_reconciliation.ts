import type { Knex } from 'knex';

// The status reconciliation (activities/status-reconciliation.ts) reads, every few minutes, the
// messages still 'submitted' by submission time within a lookback window. A B-tree on status or
// submitted_at (partial or not) would make the send path's three updates of every message non-HOT
// again, which migration 008 removed for its cost; a BRIN index is a summarizing index, so since
// PostgreSQL 16 it leaves those updates HOT, costs a few pages, and narrows the scan to the
// block ranges of the window (rows are written, and submitted, roughly in physical order).
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index messages_submitted_at_brin on messages using brin (submitted_at)');
}
