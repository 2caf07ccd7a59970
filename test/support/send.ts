// Send-path fixtures: a funded account with a reserved order, its campaign row and its messages
// written straight into Postgres (the upload path is the API's; these tests are about sending).
import type { Knex } from 'knex';
import { createOrder, quoteOrder } from '../../lib/orders';
import { reserveFunds } from '../../lib/ledger-reservations';
import { topUp } from '../../lib/ledger-funding';
import { insertAccount } from './billing';

export interface SeededCampaign {
  accountId: string;
  orderId: string;
  total: number;
  reservedE4: number;
}

/** FR mobile number of the n-th recipient: +33600000001, +33600000002… */
export const frMobile = (n: number) => `+336${String(n).padStart(8, '0')}`;

export async function seedCampaign(
  db: Knex,
  opts: {
    total: number;
    channel?: 'sms' | 'email';
    purpose?: 'marketing' | 'transactional';
    template?: string;
    subject?: string;
    accountId?: string;
    balanceCents?: number;
    priceE4?: number;
  },
): Promise<SeededCampaign> {
  const channel = opts.channel ?? 'sms';
  const accountId = opts.accountId ?? (await insertAccount(db, { formula: 'pack' }));
  await topUp(db, {
    accountId,
    amountCents: opts.balanceCents ?? 100_000_000,
    source: { kind: 'adjustment', ref: `seed-${accountId}-${Date.now()}` },
  });
  const quote = await quoteOrder(db, { channel, lines: [{ country: 'FR', segments: 1, quantity: opts.total }] });
  const priceE4 = opts.priceE4 ?? quote.lines[0].priceE4;
  const order = await createOrder(db, { accountId, kind: 'campaign', channel, quote });
  const { reservedE4 } = await reserveFunds(db, { accountId, orderId: order.id, amountE4: order.totalE4 });
  await db('campaigns').insert({
    order_id: order.id,
    account_id: accountId,
    channel,
    purpose: opts.purpose ?? 'transactional',
    sender: channel === 'sms' ? 'TENTACLE' : 'news@tentacle.example',
    subject: channel === 'email' ? (opts.subject ?? 'Hello {{name}}') : null,
    template: opts.template ?? 'Bonjour {{name}}, votre code est {{code}}',
    status: 'ready',
    total: opts.total,
  });
  await db.raw(
    `insert into messages (order_id, seq, account_id, channel, recipient, country, vars, status, segments, price_e4)
     select ?, s, ?, ?, case when ? = 'sms' then '+336' || lpad(s::text, 8, '0') else 'user' || s || '@example.com' end,
            'FR', jsonb_build_object('name', 'Client ' || s, 'code', s), 'queued', 1, ?
       from generate_series(1, ?) s`,
    [order.id, accountId, channel, channel, priceE4, opts.total],
  );
  return { accountId, orderId: order.id, total: opts.total, reservedE4 };
}

export async function countsByStatus(db: Knex, orderId: string): Promise<Record<string, number>> {
  const { rows } = await db.raw('select status, count(*)::int as n from messages where order_id = ? group by status', [
    orderId,
  ]);
  return Object.fromEntries((rows as { status: string; n: number }[]).map((r) => [r.status, r.n]));
}
