// Funding of the prepaid balance (ToS 7.1.1 / 7.1.2): top-ups (Pack purchases, Subscription
// prepaid, staff adjustments), debits FIFO over the funding (negative adjustments, expiry) and
// the 13-month carry-over of a Subscription's unused balance at month close (7.1.1).
// Contract: the top of lib/ledger.ts.
import { append, assertAmount, drawFifo, inTrx, InsufficientBalanceError, lockBalance, type Db } from './ledger';

/** Cents → ledger e4 (exact). */
const e4 = (cents: number) => cents * 100;

type FundingSourceKind = 'pack_purchase' | 'subscription_prepaid' | 'adjustment' | 'carry_over';

export interface TopUpInput {
  accountId: string;
  amountCents: number;
  source: { kind: FundingSourceKind; ref: string };
  reason?: string;
}

/** Credits the balance. Idempotent per (source.kind, source.ref). */
export async function topUp(trx: Db, input: TopUpInput): Promise<{ entryId: string; created: boolean }> {
  const { accountId, amountCents, source } = input;
  assertAmount(amountCents, 'amountCents');
  return inTrx(trx, async (t) => {
    await lockBalance(t, accountId);
    const idemKey = `topup:${source.kind}:${source.ref}`;
    const done = await t('ledger_entries').where({ idem_key: idemKey }).first('id');
    if (done) return { entryId: String(done.id), created: false };
    const kind = source.kind === 'adjustment' ? 'adjustment' : source.kind === 'carry_over' ? 'carry_over' : 'top_up';
    const entryId = await append(t, {
      accountId,
      kind,
      availableDelta: e4(amountCents),
      reservedDelta: 0,
      amountE4: e4(amountCents),
      idemKey,
      sourceKind: source.kind,
      sourceRef: source.ref,
      reason: input.reason ?? null,
    });
    return { entryId, created: true };
  });
}

interface DebitInput {
  accountId: string;
  kind: 'adjustment' | 'expiry';
  ref: string;
  reason?: string;
}

/**
 * Takes `amountCents` out of the available balance, FIFO over the funding (a negative staff
 * adjustment, or an expiry). Never below zero: throws InsufficientBalanceError.
 */
export async function debitAvailable(
  trx: Db,
  input: DebitInput & { amountCents: number },
): Promise<{ created: boolean }> {
  assertAmount(input.amountCents, 'amountCents');
  return debitE4(trx, { ...input, amountE4: e4(input.amountCents) });
}

async function debitE4(trx: Db, input: DebitInput & { amountE4: number }): Promise<{ created: boolean }> {
  const { accountId, amountE4, kind, ref } = input;
  return inTrx(trx, async (t) => {
    const bal = await lockBalance(t, accountId);
    const prefix = `debit:${kind}:${ref}:`;
    const done = await t('ledger_entries').where('idem_key', 'like', `${prefix}%`).first('id');
    if (done) return { created: false };
    if (amountE4 > bal.availableE4) throw new InsufficientBalanceError(bal.availableE4, amountE4);
    for (const c of await drawFifo(t, accountId, amountE4)) {
      await append(t, {
        accountId,
        kind,
        availableDelta: -c.amount,
        reservedDelta: 0,
        amountE4: c.amount,
        idemKey: `${prefix}${c.fundingEntryId}`,
        fundingEntryId: c.fundingEntryId,
        sourceKind: kind,
        sourceRef: ref,
        reason: input.reason ?? null,
      });
    }
    return { created: true };
  });
}

/**
 * Month close of a Subscription (7.1.1): the unused available balance is carried forward —
 * the old funding expires and a carry_over funding entry of the same amount opens, so the
 * statement shows it and later consumption traces to it. Net effect on the balance: zero.
 * Idempotent per ref. Returns the amount carried.
 */
export async function carryOver(trx: Db, input: { accountId: string; ref: string }): Promise<{ carriedE4: number }> {
  return inTrx(trx, async (t) => {
    const bal = await lockBalance(t, input.accountId);
    const idemKey = `topup:carry_over:${input.ref}`;
    const done = await t('ledger_entries').where({ idem_key: idemKey }).first('amount_e4');
    if (done) return { carriedE4: Number(done.amount_e4) };
    if (bal.availableE4 === 0) return { carriedE4: 0 };
    await debitE4(t, {
      accountId: input.accountId,
      amountE4: bal.availableE4,
      kind: 'expiry',
      ref: `carry:${input.ref}`,
      reason: 'carried to the next month',
    });
    // In e4: the balance may hold fractions of a cent (topUp takes cents).
    await append(t, {
      accountId: input.accountId,
      kind: 'carry_over',
      availableDelta: bal.availableE4,
      reservedDelta: 0,
      amountE4: bal.availableE4,
      idemKey,
      sourceKind: 'carry_over',
      sourceRef: input.ref,
    });
    return { carriedE4: bal.availableE4 };
  });
}
