// Read side of the prepaid ledger (ToS 7.1.1 / 7.1.2): the balance shown to the User, the
// statement of entries, and the overage consumed in a month, billed with the next invoice
// (7.1.1). Nothing here writes. Contract: the top of lib/ledger.ts.
import type { DbRow } from './db';
import { e4ToCentsDown } from '../domain/money';
import type { Db } from './ledger';

export interface Balance {
  availableE4: number;
  reservedE4: number;
  /** The e4 amounts rounded down to the cent, for display: never more than the account has. */
  availableCents: number;
  reservedCents: number;
}

export async function balanceOf(db: Db, accountId: string): Promise<Balance> {
  const row = await db('ledger_balances').where({ account_id: accountId }).first();
  const availableE4 = Number(row?.available_e4 ?? 0);
  const reservedE4 = Number(row?.reserved_e4 ?? 0);
  return {
    availableE4,
    reservedE4,
    availableCents: e4ToCentsDown(availableE4),
    reservedCents: e4ToCentsDown(reservedE4),
  };
}

export interface LedgerEntryView {
  id: string;
  kind: string;
  availableDelta: number;
  reservedDelta: number;
  amountE4: number;
  orderId: string | null;
  fundingEntryId: string | null;
  overage: boolean;
  source: { kind: string; ref: string | null } | null;
  reason: string | null;
  createdAt: string;
}

export function entryView(r: DbRow): LedgerEntryView {
  return {
    id: String(r.id),
    kind: r.kind,
    availableDelta: Number(r.available_delta),
    reservedDelta: Number(r.reserved_delta),
    amountE4: Number(r.amount_e4),
    orderId: r.order_id ?? null,
    fundingEntryId: r.funding_entry_id == null ? null : String(r.funding_entry_id),
    overage: r.overage,
    source: r.source_kind ? { kind: r.source_kind, ref: r.source_ref } : null,
    reason: r.reason ?? null,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export async function ledgerEntries(
  db: Db,
  accountId: string,
  opts: { afterId?: string; limit?: number } = {},
): Promise<LedgerEntryView[]> {
  const q = db('ledger_entries')
    .where({ account_id: accountId })
    .orderBy('id')
    .limit(Math.min(opts.limit ?? 200, 1000));
  if (opts.afterId) q.andWhere('id', '>', opts.afterId);
  return (await q).map(entryView);
}

/** Overage consumed in (afterId, upToId], in e4: billed at list price with the next monthly invoice. */
export async function overageBetween(
  db: Db,
  accountId: string,
  afterId: string | number,
  upToId: string | number,
): Promise<number> {
  const r = await db('ledger_entries')
    .where({ account_id: accountId, kind: 'consumption', overage: true })
    .andWhere('id', '>', afterId)
    .andWhere('id', '<=', upToId)
    .sum({ s: 'amount_e4' })
    .first();
  return Number(r?.s ?? 0);
}
