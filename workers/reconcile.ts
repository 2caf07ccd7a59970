import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import { startAccountLifecycle } from '../api/accounts';

/** Starts the lifecycle workflow of every account that has none yet (idempotent by workflow id). */
export async function reconcileAccountLifecycles(db: Knex, temporal: Client, config: Config): Promise<number> {
  const rows = await db('accounts').whereNull('lifecycle_started_at').andWhere('created_at', '<', db.raw("now() - interval '5 seconds'")).select('id', 'terms_version', 'formula');
  for (const r of rows) await startAccountLifecycle({ temporal, config }, r.id, r.terms_version, { formula: r.formula });
  return rows.length;
}
