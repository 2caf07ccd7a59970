// Billing test fixtures: accounts inserted straight into Postgres (no workflow), ledger checks.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

export async function insertAccount(
  db: Knex,
  over: {
    formula?: 'subscription' | 'pack';
    termsVersion?: string;
    effectiveDate?: Date;
    country?: string;
    vatNumber?: string | null;
    siren?: string | null;
  } = {},
): Promise<string> {
  const id = randomUUID();
  await db('accounts').insert({
    id,
    legal_form: 'company',
    legal_name: 'Acme SAS',
    country: over.country ?? 'FR',
    siren: over.siren === undefined ? '732829320' : over.siren,
    vat_number: over.vatNumber === undefined ? 'FR44732829320' : over.vatNumber,
    billing_address: { line1: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: over.country ?? 'FR' },
    formula: over.formula ?? 'pack',
    terms_version: over.termsVersion ?? '2026-01',
    effective_date: over.effectiveDate ?? new Date(),
  });
  return id;
}

/** Registers (once) a terms version whose policy is 2026-01's with some durations replaced. */
export async function insertTermsVersion(db: Knex, version: string, policy: Record<string, unknown>): Promise<void> {
  await db('terms_versions')
    .insert({
      version,
      published_at: new Date(),
      text_sha256: '0'.repeat(64),
      policy: JSON.stringify({ ...policy, version }),
    })
    .onConflict('version')
    .ignore();
}

/** balanceOf's answer for a ledger in whole cents (the e4 amounts are exact multiples of 100). */
export const balance = (availableCents: number, reservedCents: number) => ({
  availableE4: availableCents * 100,
  reservedE4: reservedCents * 100,
  availableCents,
  reservedCents,
});

/** Balance row and sums of the entries, in e4 (the ledger's unit). */
export interface LedgerCheck {
  available: number;
  reserved: number;
  sumAvailable: number;
  sumReserved: number;
  /** Consumption entries without a funding entry that are not overage. */
  untraced: number;
  /** Funding entries drawn beyond their amount. */
  overdrawnFunding: number;
}

export async function checkLedger(db: Knex, accountId: string): Promise<LedgerCheck> {
  const bal = await db('ledger_balances').where({ account_id: accountId }).first();
  const sums = await db('ledger_entries')
    .where({ account_id: accountId })
    .sum({ a: 'available_delta', r: 'reserved_delta' })
    .first();
  const untraced = await db('ledger_entries')
    .where({ account_id: accountId, kind: 'consumption', overage: false })
    .whereNull('funding_entry_id')
    .count({ n: '*' })
    .first();
  const over = await db.raw(
    `select count(*) as n from ledger_entries f where f.account_id = ? and f.available_delta > 0 and f.kind in ('top_up','carry_over','adjustment')
       and f.amount_e4 < (select coalesce(sum(d.amount_e4), 0) from ledger_entries d where d.funding_entry_id = f.id)`,
    [accountId],
  );
  return {
    available: Number(bal?.available_e4 ?? 0),
    reserved: Number(bal?.reserved_e4 ?? 0),
    sumAvailable: Number(sums?.a ?? 0),
    sumReserved: Number(sums?.r ?? 0),
    untraced: Number(untraced?.n ?? 0),
    overdrawnFunding: Number(over.rows[0].n),
  };
}
