import type { Knex } from 'knex';

// 10.3 (unsolicited e-mail): recipients' spam complaints counted per campaign; beyond a rate,
// a 'complaint_rate' case opens for compliance (lib/complaints.ts).
export async function up(knex: Knex): Promise<void> {
  const { rows } = await knex.raw(
    `select conname from pg_constraint
      where conrelid = 'contract_cases'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%kind%'`,
  );
  for (const r of rows as { conname: string }[]) await knex.raw('alter table contract_cases drop constraint ??', [r.conname]);
  await knex.raw(
    `alter table contract_cases add constraint contract_cases_kind_check check (kind in
      ('formal_notice', 'prohibited_use', 'force_majeure', 'data_breach', 'complaint_rate'))`,
  );
  await knex.schema.createTable('campaign_complaints', (t) => {
    t.uuid('order_id').primary();
    t.uuid('account_id').notNullable();
    t.integer('complaints').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}
