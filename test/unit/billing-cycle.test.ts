import {
  annualPeriod,
  annualPeriodAt,
  BillingCycleError,
  billingMonths,
  canCharge,
  earlyEndLines,
  monthlyInvoiceLines,
  monthsNotInvoiced,
  monthsOfAnnualPeriod,
  packPurchaseLines,
  settlePrepaidMonth,
  toInvoiceLines,
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

describe('billing months', () => {
  it('When the effective date is 31 January, then 13 months run from the 31st, clamped to month ends, through the renewal', () => {
    const months = billingMonths(EFFECTIVE, 13);
    expect(months.map((m) => parisDate(m.start))).toEqual([
      '2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30',
      '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31', '2027-01-31',
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

describe('monthly invoice and prepaid carry-over over 13 months', () => {
  it('When a subscription runs 13 months through a renewal, then each invoice has fee + prepaid + last month’s overage, and unused balance is carried, never refunded', () => {
    const consumed = [3000, 9000, 0, 12000, 5000, 4000, 6000, 0, 0, 20000, 1000, 5000, 7000];
    const months = billingMonths(EFFECTIVE, 13);
    let carried = 0;
    let overagePrev = 0;
    const carries: number[] = [];
    const overages: number[] = [];
    const invoiceNets: number[] = [];
    months.forEach((m, i) => {
      const lines = monthlyInvoiceLines({ plan: PLAN, periodStart: m.start, periodEnd: m.end, overagePreviousMonthCents: overagePrev });
      invoiceNets.push(computeInvoiceTotals(toInvoiceLines(lines, FR20)).net);
      const s = settlePrepaidMonth({ carriedInCents: carried, prepaidCents: PLAN.monthlyPrepaidCents, consumedCents: consumed[i] });
      carried = s.carriedOutCents;
      overagePrev = s.overageCents;
      carries.push(s.carriedOutCents);
      overages.push(s.overageCents);
    });
    expect(overages).toEqual([0, 2000, 0, 2000, 0, 0, 0, 0, 0, 5000, 0, 0, 0]);
    expect(carries).toEqual([2000, 0, 5000, 0, 0, 1000, 0, 5000, 10000, 0, 4000, 4000, 2000]);
    expect(invoiceNets).toEqual([14900, 14900, 16900, 14900, 16900, 14900, 14900, 14900, 14900, 14900, 19900, 14900, 14900]);
    expect(invoiceNets.reduce((a, b) => a + b, 0)).toBe(13 * 14900 + 9000); // 202 700
  });

  it('When the first month’s invoice is built, then its lines are exact and describe the period in Paris dates', () => {
    const [m] = billingMonths(EFFECTIVE, 1);
    const lines = monthlyInvoiceLines({ plan: PLAN, periodStart: m.start, periodEnd: m.end, overagePreviousMonthCents: 1234 });
    expect(lines).toEqual([
      { kind: 'subscription_fee', description: 'Abonnement — mensualité du 31/01/2026 au 27/02/2026', quantity: 1, unitPriceCents: 9900, period: { start: m.start, end: m.end } },
      { kind: 'prepaid_services', description: 'Services prépayés du 31/01/2026 au 27/02/2026', quantity: 1, unitPriceCents: 5000, period: { start: m.start, end: m.end } },
      { kind: 'overage', description: 'Services consommés au-delà du montant prépayé — mois précédent', quantity: 1, unitPriceCents: 1234 },
    ]);
    const t = computeInvoiceTotals(toInvoiceLines(lines, FR20));
    expect(t).toMatchObject({ net: 16134, vat: 3227, total: 19361 }); // 3226.8 → 3227
  });

  it('When the plan has no prepaid part and there is no overage, then only the fee line is issued', () => {
    const [m] = billingMonths(EFFECTIVE, 1);
    const lines = monthlyInvoiceLines({ plan: { monthlyFeeCents: 9900, monthlyPrepaidCents: 0 }, periodStart: m.start, periodEnd: m.end, overagePreviousMonthCents: 0 });
    expect(lines.map((l) => l.kind)).toEqual(['subscription_fee']);
  });

  it('When inputs are inconsistent, then it throws', () => {
    const [m] = billingMonths(EFFECTIVE, 1);
    expect(() => monthlyInvoiceLines({ plan: PLAN, periodStart: m.end, periodEnd: m.start, overagePreviousMonthCents: 0 })).toThrow(BillingCycleError);
    expect(() => monthlyInvoiceLines({ plan: PLAN, periodStart: m.start, periodEnd: m.end, overagePreviousMonthCents: -1 })).toThrow(BillingCycleError);
    expect(() => monthlyInvoiceLines({ plan: { monthlyFeeCents: 99.5, monthlyPrepaidCents: 0 }, periodStart: m.start, periodEnd: m.end, overagePreviousMonthCents: 0 })).toThrow();
    expect(() => settlePrepaidMonth({ carriedInCents: 0, prepaidCents: 0, consumedCents: -1 })).toThrow(BillingCycleError);
  });
});

describe('early end (7.1.1)', () => {
  it('When the contract ends during month 5, then the 7 fees of months 6–12 are owed on one line (no refund)', () => {
    const endAt = new Date('2026-06-10T12:00:00+02:00');
    const lines = earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt });
    expect(lines).toEqual([
      {
        kind: 'early_end_fees',
        description: 'Abonnement — fin anticipée : mensualités restantes de la période annuelle (7 mois, du 30/06/2026 au 30/01/2027)',
        quantity: 7,
        unitPriceCents: 9900,
        period: { start: new Date('2026-06-30T00:00:00+02:00'), end: new Date('2027-01-31T00:00:00+01:00') },
      },
    ]);
    expect(computeInvoiceTotals(toInvoiceLines(lines, FR20))).toMatchObject({ net: 69300, vat: 13860, total: 83160 });
  });

  it('When the end is exactly at the start of month 6, then month 6 was not invoiced: 7 fees; 1 ms later it was: 6 fees', () => {
    const month6 = new Date('2026-06-30T00:00:00+02:00');
    expect(earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: month6 })[0].quantity).toBe(7);
    expect(earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: new Date(month6.getTime() + 1) })[0].quantity).toBe(6);
  });

  it('When the end is during month 12, then nothing more is owed; at the period end, nothing either', () => {
    expect(earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: new Date('2027-01-15T00:00:00+01:00') })).toEqual([]);
    expect(earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: new Date('2027-01-31T00:00:00+01:00') })).toEqual([]);
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
    expect(() => earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: EFFECTIVE })).toThrow(BillingCycleError);
    expect(() => earlyEndLines({ plan: PLAN, annualPeriodStart: EFFECTIVE, endAt: new Date('2027-01-31T00:00:00.001+01:00') })).toThrow(BillingCycleError);
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
      expect(lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0) + invoiced.length * PLAN.monthlyFeeCents).toBe(12 * PLAN.monthlyFeeCents);
    }
  });
});

describe('Pack (7.1.2)', () => {
  it('When a pack is bought, then one line at the pack price is invoiced', () => {
    expect(packPurchaseLines({ name: 'Pro 10 000 SMS', priceCents: 45000 })).toEqual([
      { kind: 'pack', description: 'Pack Pro 10 000 SMS', quantity: 1, unitPriceCents: 45000 },
    ]);
  });

  it('When the order fits the balance, then it is accepted whole', () => {
    expect(canCharge(1_000_000, { quantity: 1000, unitPriceE4: 450 }, false)).toEqual({ outcome: 'accepted', quantity: 1000, amountE4: 450_000 });
    expect(canCharge(450_000, { quantity: 1000, unitPriceE4: 450 }, false)).toMatchObject({ outcome: 'accepted' }); // exactly the balance
  });

  it('When one e-mail (10 e4) is asked on a zero balance, then it is refused: a priced order is never free; 10 e4 are enough', () => {
    expect(canCharge(0, { quantity: 1, unitPriceE4: 10 }, false)).toEqual({ outcome: 'refused', reason: 'insufficient_balance', requiredE4: 10, balanceE4: 0 });
    expect(canCharge(0, { quantity: 1, unitPriceE4: 10 }, true)).toMatchObject({ outcome: 'refused' });
    expect(canCharge(10, { quantity: 1, unitPriceE4: 10 }, false)).toEqual({ outcome: 'accepted', quantity: 1, amountE4: 10 });
  });

  it('When the order exceeds the balance and partial was not asked, then it is refused with insufficient_balance', () => {
    expect(canCharge(1_000_000, { quantity: 3000, unitPriceE4: 450 }, false)).toEqual({
      outcome: 'refused',
      reason: 'insufficient_balance',
      requiredE4: 1_350_000,
      balanceE4: 1_000_000,
    });
  });

  it('When partial was asked, then the largest quantity whose exact amount fits is accepted', () => {
    // 2222 × 0.0450 = 99.9900 € fits 100 €; 2223 × 0.0450 = 100.0350 € does not
    expect(canCharge(1_000_000, { quantity: 3000, unitPriceE4: 450 }, true)).toEqual({ outcome: 'partial', quantity: 2222, amountE4: 999_900, requestedQuantity: 3000 });
    // 1 × 0.0450 € fits 0.0450 € exactly, and costs exactly that (not 5 cents)
    expect(canCharge(450, { quantity: 10, unitPriceE4: 450 }, true)).toMatchObject({ outcome: 'partial', quantity: 1, amountE4: 450 });
    // not even one unit fits 0.0449 €
    expect(canCharge(449, { quantity: 10, unitPriceE4: 450 }, true)).toMatchObject({ outcome: 'refused', reason: 'insufficient_balance' });
    expect(canCharge(0, { quantity: 10, unitPriceE4: 450 }, true)).toMatchObject({ outcome: 'refused', reason: 'insufficient_balance' });
  });

  it('When random balances and orders are tried with partial allowed, then the accepted quantity is maximal and its amount fits', () => {
    const r = prng(11);
    for (let i = 0; i < 3000; i++) {
      const price = 1 + Math.floor(r() * 5000);
      const quantity = 1 + Math.floor(r() * 100000);
      const balance = Math.floor(r() * 20_000_000);
      const d = canCharge(balance, { quantity, unitPriceE4: price }, true);
      const amount = (q: number) => q * price;
      if (d.outcome === 'accepted') {
        expect(amount(quantity)).toBeLessThanOrEqual(balance);
      } else if (d.outcome === 'partial') {
        expect(d.quantity).toBeLessThan(quantity);
        expect(d.amountE4).toBe(amount(d.quantity));
        expect(d.amountE4).toBeLessThanOrEqual(balance);
        expect(amount(d.quantity + 1)).toBeGreaterThan(balance);
      } else {
        expect(amount(1)).toBeGreaterThan(balance);
      }
    }
  });

  it('When the quantity or balance is invalid, then it throws', () => {
    expect(() => canCharge(100, { quantity: 0, unitPriceE4: 450 }, false)).toThrow(BillingCycleError);
    expect(() => canCharge(-1, { quantity: 1, unitPriceE4: 450 }, false)).toThrow(BillingCycleError);
  });
});
