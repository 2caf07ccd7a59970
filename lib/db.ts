import knex, { Knex } from 'knex';
import { migrationSource } from '../migrations';
import { ensureTermsVersions } from './terms';

export type Db = Knex;

/** A row as knex returns it (knex types rows as `any`); the *View functions map one to a typed object. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one place rows are untyped, by knex's design
export type DbRow = Record<string, any>;

export function createDb(databaseUrl: string, pool = { min: 0, max: 10 }): Db {
  return knex({
    client: 'pg',
    connection: databaseUrl,
    pool,
    // Instants are stored as timestamptz; bigint counts come back as strings from pg, so
    // callers convert with Number() where they know the value is small.
  });
}

/**
 * Runs pending migrations (forward-only; knex's lock table makes concurrent callers wait) and
 * the reference data every process relies on (published terms versions).
 */
export async function migrate(db: Db): Promise<string[]> {
  const [, applied] = await db.migrate.latest({ migrationSource });
  await ensureTermsVersions(db);
  return applied as string[];
}
