import {
  annualPeriod,
  annualPeriodAt,
  BillingCycleError,
  billingMonths,
  chargeOnBalance,
  draftLines,
  earlyEndLines,
  monthlyInvoiceLines,
  monthsNotInvoiced,
  monthsOfAnnualPeriod,
  packPurchaseLines,
  type BillingLine,
  type SubscriptionPlan,
} from '../../domain/billing-cycle';
import { parisDate, startOfParisDay } from '../../domain/calendar';
import { computeInvoiceTotals } from '../../domain/invoice-math';
import type { VatRate } from '../../domain/vat';
import { prng } from '../support/prng';

const FR20: VatRate = { key: 'FR-S-2000', category: 'S', rateBp: 2000, exemptionReason: null };
const PLAN: SubscriptionPlan = { monthlyFeeCents: 9900, monthlyPrepaidCents: 5000 };
/** Effective date: 31 January 2026, 00:00 Paris. */
const EFFECTIVE = new Date('2026-01-31T00:00:00+01:00');
/** The lines as issued (draftLines), with the VAT rate issueInvoice would attach. */
const withVat = (lines: readonly BillingLine[]) => draftLines(lines).map((l) => ({ ...l, vatRate: FR20 }));

describe('billing months', () => {
  it('When the effective date is 31 January, then 13 months run from the 31st, clamped to month ends, through the renewal', () => {
    const months = billingMonths(EFFECTIVE, 13);
    expect(months.map((m) => parisDate(m.start))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
      '2026-11-30',
      '2026-12-31',
      '2027-01-31',
    ]);
    // Paris midnight on both sides of both DST changes
    for (const m of months) expect(m.start).toEqual(startOfParisDay(m.start));
    expect(months[2].start.toISOString()).toBe('2026-03-30T22:00:00.000Z'); // CEST
    expect(months[9].start.toISOString()).toBe('2026-10-30T23:00:00.000Z'); // CET
    // contiguous
    for (let i = 0; i < 12; i++) expect(months[i].end).toEqual(months[i + 1].start);
    expect(months.map((m) => [m.annualPeriodIndex, m.monthIndex])[12]).toEqual([1, 0]);
    expect(months[11]).toMatchObject({ annualPeriodIndex: 0, monthIndex: 11 });
  });

  it('When the effective time is 10:00 Paris, then every month starts at 10:00 Paris across DST', () => {
    const months = monthsOfAnnualPeriod(new Date('2026-03-15T10:00:00+01:00'));
    expect(months[0].start.toISOString()).toBe('2026-03-15T09:00:00.000Z');
    expect(months[1].start.toISOString()).toBe('2026-04-15T08:00:00.000Z');
  });

  it('When the effective date is 29 February 2028, then period 2 starts 28 February 2029 and its months run from the 28th', () => {
    const eff = new Date('2028-02-29T00:00:00+01:00');
    const p1 = annualPeriod(eff, 1);
    expect(parisDate(p1.start)).toBe('2029-02-28');
    expect(parisDate(p1.months[1].start)).toBe('2029-03-28');
    expect(p1.months[11].end).toEqual(annualPeriod(eff, 2).start); // 12 months tile the period
    expect(parisDate(annualPeriod(eff, 0).months[1].start)).toBe('2028-03-29');
  });

  it('When locating the annual period of an instant, then the boundary instant belongs to the next period', () => {
    const renewal = new Date('2027-01-31T00:00:00+01:00');
    expect(annualPeriodAt(EFFECTIVE, new Date(renewal.getTime() - 1)).index).toBe(0);
    expect(annualPeriodAt(EFFECTIVE, renewal).index).toBe(1);
    expect(annualPeriodAt(EFFECTIVE, new Date('2031-07-01T00:00:00Z')).index).toBe(5);
    expect(() => annualPeriodAt(EFFECTIVE, new Date(EFFECTIVE.getTime() - 1))).toThrow(BillingCycleError);
  });
});

describe('monthly invoice', () => {
  it('When the first month’s invoice is built, then its lines are exact and describe the period in Paris dates', () => {
    const [m] = billingMonths(EFFECTIVE, 1);
    const lines = monthlyInvoiceLines({
      plan: PLAN,
      periodStart: m.start,
      periodEnd: m.end,
      overagePreviousMonthCents: 1234,
    });
    expect(lines).toEqual([
      {
        kind: 'subscription_fee',
        description: 'Abonnement — mensualité du 31/01/2026 au 27/02/2026',
        quantity: 1,
        unitPriceCents: 9900,
        period: { start: m.start, end: m.end },
      },
      {
        kind: 'prepaid_services',
        description: 'Services prépayés du 31/01/2026 au 27/02/2026',
        quantity: 1,
        unitPriceCents: 5000,
        period: { start: m.start, end: m.end },
      },
      {
        kind: 'overage',
        description: 'Services consommés au-delà du montant prépayé — mois précédent',
        quantity: 1,
        unitPriceCents: 1234,
      },
    ]);
    const t = computeInvoiceTotals(withVat(lines));
    expect(t).toMatchObject({ net: 16134, vat: 3227, total: 19361 }); // 3226.8 → 3227
  });

  it('When the plan has no prepaid part and there is no overage, then only the fee line is issued', () => {
    const [m] = billingMonths(EFFECTIVE, 1);
    const lines = monthlyInvoiceLines({
      plan: { monthlyFeeCents: 9900, monthlyPrepaidCents: 0 },
      periodStart: m.start,
      periodEnd: m.end,
      overagePreviousMonthCents: 0,
    });
    expect(lines.map((l) => l.kind)).toEqual(['subscription_fee']);
  });

  it('When inputs are inconsistent, then it throws', () => {
    const [m] = billingMonths(EFFECTIVE, 1);
    expect(() =>
      monthlyInvoiceLines({ plan: PLAN, periodStart: m.end, periodEnd: m.start, overagePreviousMonthCents: 0 }),
    ).toThrow(BillingCycleError);
    expect(() =>
      monthlyInvoiceLines({ plan: PLAN, periodStart: m.start, periodEnd: m.end, overagePreviousMonthCents: -1 }),
    ).toThrow(BillingCycleError);
    expect(() =>
      monthlyInvoiceLines({
        plan: { monthlyFeeCents: 99.5, monthlyPrepaidCents: 0 },
        periodStart: m.start,
        periodEnd: m.end,
        overagePreviousMonthCents: 0,
      }),
    ).toThrow();
  });
});

describe('early end (7.1.1)', () => {
  it('When the contract ends during month 5, then the 7 fees of months 6–12 are owed on one line (no refund)', () => {
    const endAt = new Date('2026-06-10T12:00:00+02:00');
    const lines = earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt });
    expect(lines).toEqual([
      {
        kind: 'early_end_fees',
        description:
          'Abonnement — fin anticipée : mensualités restantes de la période annuelle (7 mois, du 30/06/2026 au 30/01/2027)',
        quantity: 7,
        unitPriceCents: 9900,
        period: { start: new Date('2026-06-30T00:00:00+02:00'), end: new Date('2027-01-31T00:00:00+01:00') },
      },
    ]);
    expect(computeInvoiceTotals(withVat(lines))).toMatchObject({ net: 69300, vat: 13860, total: 83160 });
  });

  it('When the end is exactly at the start of month 6, then month 6 was not invoiced: 7 fees; 1 ms later it was: 6 fees', () => {
    const month6 = new Date('2026-06-30T00:00:00+02:00');
    expect(earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: month6 })[0].quantity).toBe(7);
    expect(
      earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: new Date(month6.getTime() + 1) })[0].quantity,
    ).toBe(6);
  });

  it('When the end is during month 12, then nothing more is owed; at the period end, nothing either', () => {
    expect(
      earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: new Date('2027-01-15T00:00:00+01:00') }),
    ).toEqual([]);
    expect(
      earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: new Date('2027-01-31T00:00:00+01:00') }),
    ).toEqual([]);
  });

  it('When the end is in the second annual period, then only that period’s remaining fees are owed', () => {
    const endAt = new Date('2027-03-15T09:00:00+01:00');
    const period = annualPeriodAt(EFFECTIVE, endAt);
    expect(period.index).toBe(1);
    const [line] = earlyEndLines({ plan: PLAN, annualPeriodStart: period.start, endAt });
    expect(line.quantity).toBe(10); // months 3–12 of the period (31 March 2027 → 31 January 2028)
    expect(parisDate(line.period!.start)).toBe('2027-03-31');
    expect(parisDate(line.period!.end)).toBe('2028-01-31');
  });

  it('When the end is not within the annual period, then it throws', () => {
    expect(() => earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: EFFECTIVE })).toThrow(
      BillingCycleError,
    );
    expect(() =>
      earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: new Date('2027-01-31T00:00:00.001+01:00') }),
    ).toThrow(BillingCycleError);
  });

  it('When the end falls anywhere in the period, then months invoiced (start < end) + months owed on the early-end invoice = 12', () => {
    const months = monthsOfAnnualPeriod(EFFECTIVE);
    const periodEnd = months[11].end.getTime();
    const r = prng(5);
    for (let i = 0; i < 300; i++) {
      const endAt = new Date(EFFECTIVE.getTime() + 1 + Math.floor(r() * (periodEnd - EFFECTIVE.getTime())));
      const owed = monthsNotInvoiced(EFFECTIVE, endAt);
      const invoiced = months.filter((m) => m.start < endAt);
      expect(invoiced.length + owed.length).toBe(12);
      expect(invoiced.length).toBeGreaterThanOrEqual(1);
      const lines = earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt });
      expect(
        lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0) + invoiced.length * PLAN.monthlyFeeCents,
      ).toBe(12 * PLAN.monthlyFeeCents);
    }
  });
});

describe('Pack (7.1.2)', () => {
  it('When a pack is bought, then one line at the pack price is invoiced', () => {
    expect(packPurchaseLines({ name: 'Pro 10 000 SMS', priceCents: 45000 })).toEqual([
      { kind: 'pack', description: 'Pack Pro 10 000 SMS', quantity: 1, unitPriceCents: 45000 },
    ]);
  });

  it('When the pack is invoiced, then the line issued is the pack price, once', () => {
    expect(draftLines(packPurchaseLines({ name: '500 €', priceCents: 50_000 }))).toEqual([
      { description: 'Pack 500 €', quantity: 1, unitPriceCents: 50_000 },
    ]);
  });
});

describe('charging an Order on the balance (7.1.1, 7.1.2; lib/ledger.ts reserveFunds)', () => {
  it('When the order fits the balance, then it is taken whole from it, to the e4 (exactly the balance fits)', () => {
    for (const formula of ['pack', 'subscription'] as const) {
      expect(chargeOnBalance(formula, 1_000_000, 450_000, false)).toEqual({
        outcome: 'reserved',
        fromBalanceE4: 450_000,
        overageE4: 0,
      });
      expect(chargeOnBalance(formula, 450_000, 450_000, false)).toEqual({
        outcome: 'reserved',
        fromBalanceE4: 450_000,
        overageE4: 0,
      });
    }
  });

  it('When a Pack order exceeds the balance by 1 e4 and partial was not asked, then it is refused with insufficient_balance', () => {
    expect(chargeOnBalance('pack', 449_999, 450_000, false)).toEqual({
      outcome: 'refused',
      reason: 'insufficient_balance',
      availableE4: 449_999,
      requestedE4: 450_000,
    });
  });

  it('When one e-mail (10 e4) is asked on a zero Pack balance, then it is refused even with partial: a priced order is never free', () => {
    expect(chargeOnBalance('pack', 0, 10, true)).toMatchObject({ outcome: 'refused', reason: 'insufficient_balance' });
    expect(chargeOnBalance('pack', 10, 10, false)).toEqual({ outcome: 'reserved', fromBalanceE4: 10, overageE4: 0 });
  });

  it('When partial was asked on a Pack, then the whole balance is reserved (the send path consumes what reached the carrier)', () => {
    expect(chargeOnBalance('pack', 1_000_000, 1_350_000, true)).toEqual({
      outcome: 'reserved',
      fromBalanceE4: 1_000_000,
      overageE4: 0,
    });
    expect(chargeOnBalance('pack', 1, 1_350_000, true)).toEqual({
      outcome: 'reserved',
      fromBalanceE4: 1,
      overageE4: 0,
    });
  });

  it('When a Subscription order exceeds the balance, then the rest is overage to the e4 (never refused, even on zero)', () => {
    expect(chargeOnBalance('subscription', 1_000_000, 1_350_001, false)).toEqual({
      outcome: 'reserved',
      fromBalanceE4: 1_000_000,
      overageE4: 350_001,
    });
    expect(chargeOnBalance('subscription', 0, 10, false)).toEqual({
      outcome: 'reserved',
      fromBalanceE4: 0,
      overageE4: 10,
    });
  });

  it('When random balances and orders are tried, then balance part + overage = the amount, never beyond the balance, overage only on a Subscription', () => {
    const r = prng(11);
    for (let i = 0; i < 3000; i++) {
      const formula = r() < 0.5 ? 'pack' : 'subscription';
      const amount = Math.floor(r() * 20_000_000);
      const available = Math.floor(r() * 20_000_000);
      const d = chargeOnBalance(formula, available, amount, r() < 0.5);
      if (d.outcome === 'refused') {
        expect(formula).toBe('pack');
        expect(amount).toBeGreaterThan(available);
        continue;
      }
      expect(d.fromBalanceE4).toBeLessThanOrEqual(available);
      if (formula === 'subscription') expect(d.fromBalanceE4 + d.overageE4).toBe(amount);
      else expect(d.overageE4).toBe(0);
    }
  });

  it('When the balance or amount is invalid, then it throws', () => {
    expect(() => chargeOnBalance('pack', -1, 450, false)).toThrow(BillingCycleError);
    expect(() => chargeOnBalance('pack', 100, 4.5, false)).toThrow(BillingCycleError);
  });
});
