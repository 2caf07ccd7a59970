// Migration 017 on a database with the old roles: admin → owner, member → developer, keys made
// before roles act with their creator's role (as a new key does), only the four new roles stored.
// Runs on a scratch database of the test server, migrated to 015 first.
import { randomUUID } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { createDb } from '../../lib/db';
import { ensureTermsVersions } from '../../lib/terms';
import { migrations, type Migration } from '../../migrations';
import { insertAccount } from '../support/billing';

const admin = createDb(process.env.DATABASE_URL!);
const name = `m017_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
let db: Knex;

const source = (upTo?: string): Knex.MigrationSource<[string, Migration]> => ({
  getMigrations: async () => (upTo ? migrations.slice(0, migrations.findIndex(([n]) => n === upTo) + 1) : migrations),
  getMigrationName: ([n]) => n,
  getMigration: async ([, m]) => ({ up: m.up, down: async () => undefined }),
});

beforeAll(async () => {
  await admin.raw(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  db = knex({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 2 } });
  await db.migrate.latest({ migrationSource: source('015_status_reconciliation') });
  await ensureTermsVersions(db);
});
afterAll(async () => {
  await db?.destroy();
  await admin.raw(`drop database if exists ${name}`);
  await admin.destroy();
});

test('When migration 017 runs on the old roles, then admin becomes owner, member developer, old keys take their creator’s role, old values are refused', async () => {
  const accountId = await insertAccount(db);
  const member = (role: string) => ({
    id: randomUUID(),
    account_id: accountId,
    username: `u${randomUUID().slice(0, 8)}`,
    email: 'm@acme.example',
    full_name: 'M',
    password_hash: 'x',
    role,
  });
  const [o, a, m] = [member('owner'), member('admin'), member('member')];
  await db('members').insert([o, a, m]);
  const key = { id: randomUUID(), account_id: accountId, created_by: m.id, name: 'k', prefix: 'abc', secret_hash: 'h' };
  const adminKey = { ...key, id: randomUUID(), created_by: a.id, prefix: 'abe' };
  await db('api_keys').insert([key, adminKey]);

  await db.migrate.latest({ migrationSource: source() });

  const roles = Object.fromEntries((await db('members').select('id', 'role')).map((r) => [r.id, r.role]));
  expect(roles).toEqual({ [o.id]: 'owner', [a.id]: 'owner', [m.id]: 'developer' });
  expect(await db('api_keys').where({ id: key.id }).first('role')).toEqual({ role: 'developer' });
  expect(await db('api_keys').where({ id: adminKey.id }).first('role')).toEqual({ role: 'owner' });
  await expect(db('members').insert(member('admin'))).rejects.toThrow(/members_role_check/);
  await expect(db('api_keys').insert({ ...key, id: randomUUID(), prefix: 'abd' })).rejects.toThrow(/not-null/);
  expect((await db('members').insert(member('read-only')).returning('role'))[0].role).toBe('read-only');
});
