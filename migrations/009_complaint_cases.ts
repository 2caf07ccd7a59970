import type { Knex } from 'knex';
import { replaceCheckIn } from './check-constraint';

// 10.3 (unsolicited e-mail): recipients' spam complaints counted per campaign; beyond a rate,
// a 'complaint_rate' case opens for compliance (lib/complaints.ts).
export async function up(knex: Knex): Promise<void> {
  await replaceCheckIn(knex, 'contract_cases', 'kind', [
    'formal_notice',
    'prohibited_use',
    'force_majeure',
    'data_breach',
    'complaint_rate',
  ]);
  await knex.schema.createTable('campaign_complaints', (t) => {
    t.uuid('order_id').primary();
    t.uuid('account_id').notNullable();
    t.integer('complaints').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}
