// Orders (ToS 7.1): an Order stores the quote it was placed at — the price list version and,
// per destination country, the unit price (priceE4), segments per message and quantity — and its
// exact total in e4 (what the ledger reserves and consumes), with that total rounded once to the
// cent for display. Its funds go through lib/ledger.ts exactly once.
//
//   const quote = await quoteOrder(db, { channel: 'sms', lines: [{ country: 'FR', segments: 1, quantity: 1000 }] });
//   const order = await createOrder(trx, { accountId, kind: 'campaign', channel: 'sms', quote });
//   await reserveFunds(trx, { accountId, orderId: order.id, amountE4: order.totalE4 });
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { DbRow } from './db';
import { unitPrice, type Channel, type PriceEntry, type PriceList } from '../domain/price-list';
import { e4ToCentsHalfUp, type PriceTable } from '../domain/send-pricing';

type Db = Knex | Knex.Transaction;

export interface QuoteLineInput {
  /** ISO alpha-2 destination country. */
  country: string;
  /** Billable units per message (SMS segments; 1 for an e-mail). */
  segments: number;
  /** Number of messages. */
  quantity: number;
}

interface OrderQuoteLine extends QuoteLineInput {
  priceE4: number;
  /** The price-list entry matched: the country itself or '*'. */
  matchedCountry: string;
  /** quantity × segments × priceE4, exact (ten-thousandths of a euro). */
  amountE4: number;
}

export interface StoredQuote {
  priceListVersion: string;
  quotedAt: string;
  channel: Channel;
  lines: OrderQuoteLine[];
  /** Σ amountE4, exact: what the ledger reserves. */
  totalE4: number;
  /** totalE4 rounded half away from zero to the cent, once per Order (display). */
  totalCents: number;
}

export class QuoteError extends Error {
  override name = 'QuoteError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The price list in force at `at` (every entry with effective_from <= at). */
export async function loadPriceList(db: Db, at: Date): Promise<PriceList> {
  const rows = await db('price_list_entries').where('effective_from', '<=', at).orderBy('effective_from');
  const entries: PriceEntry[] = rows.map((r) => ({
    channel: r.channel,
    country: r.country,
    priceE4: r.price_e4,
    effectiveFrom: new Date(r.effective_from),
  }));
  const newest = rows.length
    ? rows.reduce((a, b) => (new Date(b.effective_from) > new Date(a.effective_from) ? b : a)).version
    : 'none';
  return { version: newest, entries };
}

/** The price list in force at `at` in the send path's PriceTable shape (domain/send-pricing.ts). */
export async function loadPriceTable(db: Db, at: Date = new Date()): Promise<PriceTable> {
  return priceTableOf(await loadPriceList(db, at));
}

/** A loaded price list as the send path's PriceTable: the newest entry per channel and country. */
export function priceTableOf(list: PriceList): PriceTable {
  const table: { sms: Record<string, number>; email: Record<string, number> } = { sms: {}, email: {} };
  const seen: Record<string, number> = {};
  for (const e of list.entries) {
    const k = `${e.channel}|${e.country}`;
    if (seen[k] === undefined || e.effectiveFrom.getTime() >= seen[k]) {
      seen[k] = e.effectiveFrom.getTime();
      table[e.channel][e.country] = e.priceE4;
    }
  }
  return table;
}

export async function quoteOrder(
  db: Db,
  input: { channel: Channel; lines: QuoteLineInput[]; at?: Date },
): Promise<StoredQuote> {
  const at = input.at ?? new Date();
  return priceQuote(await loadPriceList(db, at), { ...input, at });
}

/** The quote of an order at `at` on a loaded price list (the list in force at `at`). */
export function priceQuote(
  list: PriceList,
  input: { channel: Channel; lines: QuoteLineInput[]; at: Date },
): StoredQuote {
  const { at } = input;
  if (input.lines.length === 0) throw new QuoteError('empty_order', 'an order needs at least one line');
  const lines = input.lines.map((l) => {
    if (!Number.isSafeInteger(l.segments) || l.segments < 1 || !Number.isSafeInteger(l.quantity) || l.quantity < 1) {
      throw new QuoteError('invalid_quantity', 'segments and quantity must be positive integers');
    }
    const q = unitPrice(list, input.channel, l.country, at);
    return {
      country: q.country,
      segments: l.segments,
      quantity: l.quantity,
      priceE4: q.priceE4,
      matchedCountry: q.matchedCountry,
      amountE4: l.quantity * l.segments * q.priceE4,
    };
  });
  const totalE4 = lines.reduce((s, l) => s + l.amountE4, 0);
  if (!Number.isSafeInteger(totalE4)) throw new QuoteError('order_too_large', 'order total overflows');
  return {
    priceListVersion: list.version,
    quotedAt: at.toISOString(),
    channel: input.channel,
    lines,
    totalE4,
    totalCents: e4ToCentsHalfUp(totalE4),
  };
}

export interface OrderRow {
  id: string;
  accountId: string;
  kind: 'single' | 'campaign';
  channel: Channel;
  status: string;
  quote: StoredQuote;
  totalE4: number;
  totalCents: number;
  reservedE4: number;
  consumedE4: number;
  createdAt: string;
  settledAt: string | null;
}

export function orderView(r: DbRow): OrderRow {
  return {
    id: r.id,
    accountId: r.account_id,
    kind: r.kind,
    channel: r.channel,
    status: r.status,
    quote: r.quote,
    totalE4: Number(r.total_e4),
    totalCents: Number(r.total_cents),
    reservedE4: Number(r.reserved_e4),
    consumedE4: Number(r.consumed_e4),
    createdAt: new Date(r.created_at).toISOString(),
    settledAt: r.settled_at ? new Date(r.settled_at).toISOString() : null,
  };
}

export interface CreateOrderInput {
  /** Give it to make creation idempotent (a second call returns the existing order). */
  id?: string;
  accountId: string;
  kind: 'single' | 'campaign';
  channel: Channel;
  quote: StoredQuote;
}

/** Inserts an Order at its quote (status 'quoted'); reserveFunds then charges it once. */
export async function createOrder(trx: Db, input: CreateOrderInput): Promise<OrderRow> {
  return (await createOrders(trx, [input]))[0];
}

/** createOrder for several orders in one statement; the orders come back in the input's order. */
export async function createOrders(trx: Db, inputs: CreateOrderInput[]): Promise<OrderRow[]> {
  const rows = inputs.map((input) => {
    const q = input.quote;
    if (q.channel !== input.channel)
      throw new QuoteError('channel_mismatch', 'quote channel differs from the order channel');
    if (!Number.isSafeInteger(q.totalE4) || q.totalE4 < 0 || !Number.isSafeInteger(q.totalCents) || q.totalCents < 0) {
      throw new QuoteError('invalid_total', 'quote totals must be non-negative integers (e4 and cents)');
    }
    return {
      id: input.id ?? randomUUID(),
      account_id: input.accountId,
      kind: input.kind,
      channel: input.channel,
      quote: JSON.stringify(q),
      total_cents: q.totalCents,
      total_e4: q.totalE4,
    };
  });
  if (rows.length === 0) return [];
  const inserted = await trx('orders').insert(rows).onConflict('id').ignore().returning('*');
  const byId = new Map<string, DbRow>(inserted.map((r: DbRow) => [r.id, r]));
  const missing = rows.filter((r) => !byId.has(r.id)).map((r) => r.id);
  if (missing.length > 0) for (const r of await trx('orders').whereIn('id', missing)) byId.set(r.id, r);
  return rows.map((r) => {
    const stored = byId.get(r.id)!;
    if (stored.account_id !== r.account_id)
      throw new QuoteError('order_account_mismatch', 'order id belongs to another account');
    return orderView(stored);
  });
}

/**
 * 3.2 ii: the account's last use of the Services = its latest Order placed (a single send or a
 * campaign start). The row is written in the transaction that reserves its funds, so a refused
 * send leaves none; 'quoted' (never charged) and 'refused' orders are not a use. One index probe
 * (orders_account_created_id: account_id, created_at, id); the send path itself writes nothing more.
 */
export async function lastOrderAt(db: Db, accountId: string): Promise<Date | null> {
  const r = await db('orders')
    .where({ account_id: accountId })
    .whereNotIn('status', ['quoted', 'refused'])
    .orderBy('created_at', 'desc')
    .first('created_at');
  return r ? new Date(r.created_at) : null;
}

export async function getOrder(db: Db, orderId: string): Promise<OrderRow | null> {
  const r = await db('orders').where({ id: orderId }).first();
  return r ? orderView(r) : null;
}
