import type { Knex } from 'knex';

/**
 * Replaces the CHECK constraint(s) on `column` of `table` (knex's checkIn() lets Postgres name
 * them) by one allowing exactly `values`, named `<table>_<column>_check`.
 */
export async function replaceCheckIn(knex: Knex, table: string, column: string, values: string[]): Promise<void> {
  const { rows } = await knex.raw(
    `select conname from pg_constraint
      where conrelid = ?::regclass and contype = 'c' and pg_get_constraintdef(oid) like ?`,
    [table, `%${column}%`],
  );
  for (const r of rows as { conname: string }[])
    await knex.raw('alter table ?? drop constraint ??', [table, r.conname]);
  // DDL takes no bind parameters: the values (constants of the migrations) are quoted literals.
  const literals = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
  await knex.raw(`alter table ?? add constraint ?? check (?? in (${literals}))`, [
    table,
    `${table}_${column}_check`,
    column,
  ]);
}
