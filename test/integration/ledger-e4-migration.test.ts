// Migration 012 on a database holding cent amounts: every ledger and order amount becomes e4
// (× 100, exact), the balance still equals the sum of the entries, and the ledger stays
// append-only. Runs on a scratch database of the test server, migrated to 011 first.
import { randomUUID } from 'node:crypto';
import knex, { type Knex } from 'knex';
import { createDb } from '../../lib/db';
import { ensureTermsVersions } from '../../lib/terms';
import { migrations, type Migration } from '../../migrations';
import { insertAccount } from '../support/billing';

const admin = createDb(process.env.DATABASE_URL!);
const name = `m012_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
let db: Knex;

const source = (upTo: string): Knex.MigrationSource<[string, Migration]> => ({
  getMigrations: async () => migrations.slice(0, migrations.findIndex(([n]) => n === upTo) + 1),
  getMigrationName: ([n]) => n,
  getMigration: async ([, m]) => ({ up: m.up, down: async () => undefined }),
});

beforeAll(async () => {
  await admin.raw(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  db = knex({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 2 } });
  await db.migrate.latest({ migrationSource: source('011_account_exports') });
  await ensureTermsVersions(db);
});
afterAll(async () => {
  await db?.destroy();
  await admin.raw(`drop database if exists ${name}`);
  await admin.destroy();
});

test('When migration 012 runs on cent amounts, then ledger entries, balances and orders are in e4 (× 100), consistent, and still append-only', async () => {
  const accountId = await insertAccount(db, { formula: 'pack' });
  const orderId = randomUUID();
  await db('orders').insert({
    id: orderId,
    account_id: accountId,
    kind: 'single',
    channel: 'sms',
    status: 'settled',
    quote: '{}',
    total_cents: 5,
    reserved_cents: 5,
    released_cents: 0,
    consumed_cents: 5,
  });
  const [top] = await db('ledger_entries')
    .insert({
      account_id: accountId,
      kind: 'top_up',
      available_delta: 1000,
      reserved_delta: 0,
      amount_cents: 1000,
      idem_key: `t:${orderId}`,
    })
    .returning('id');
  await db('ledger_entries').insert([
    {
      account_id: accountId,
      kind: 'reservation',
      available_delta: -5,
      reserved_delta: 5,
      amount_cents: 5,
      idem_key: `r:${orderId}`,
      order_id: orderId,
    },
    {
      account_id: accountId,
      kind: 'consumption',
      available_delta: 0,
      reserved_delta: -5,
      amount_cents: 5,
      idem_key: `c:${orderId}`,
      order_id: orderId,
      funding_entry_id: top.id,
    },
  ]);
  await db('ledger_balances').insert({ account_id: accountId, available_cents: 995, reserved_cents: 0 });

  await db.migrate.latest({ migrationSource: source('012_ledger_e4') });

  const entries = await db('ledger_entries').where({ account_id: accountId }).orderBy('id');
  expect(
    entries.map((e) => [e.kind, Number(e.available_delta), Number(e.reserved_delta), Number(e.amount_e4)]),
  ).toEqual([
    ['top_up', 100_000, 0, 100_000],
    ['reservation', -500, 500, 500],
    ['consumption', 0, -500, 500],
  ]);
  const bal = await db('ledger_balances').where({ account_id: accountId }).first();
  expect([Number(bal.available_e4), Number(bal.reserved_e4)]).toEqual([99_500, 0]);
  expect(entries.reduce((s, e) => s + Number(e.available_delta), 0)).toBe(99_500);
  const order = await db('orders').where({ id: orderId }).first();
  expect(
    [order.total_cents, order.total_e4, order.reserved_e4, order.consumed_e4, order.released_e4].map(Number),
  ).toEqual([5, 500, 500, 500, 0]);
  await expect(db('ledger_entries').where({ id: top.id }).update({ amount_e4: 1 })).rejects.toThrow();
  await expect(db('ledger_balances').where({ account_id: accountId }).update({ available_e4: -1 })).rejects.toThrow(
    /ledger_balance_not_negative/,
  );
});
