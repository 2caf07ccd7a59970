import {
  computeInvoiceTotals,
  creditNoteLines,
  InvoiceMathError,
  vatOf,
  type InvoiceLineInput,
} from '../../domain/invoice-math';
import { REVERSE_CHARGE_RATE, type VatRate } from '../../domain/vat';
import { prng, intIn } from '../support/prng';

const FR20: VatRate = { key: 'FR-S-2000', category: 'S', rateBp: 2000, exemptionReason: null };
const FR55: VatRate = { key: 'FR-R-550', category: 'S', rateBp: 550, exemptionReason: null };
const FR10: VatRate = { key: 'FR-R-1000', category: 'S', rateBp: 1000, exemptionReason: null };

describe('computeInvoiceTotals', () => {
  it('When a monthly invoice has a fee, prepaid services and SMS overage, then every figure is exact', () => {
    const t = computeInvoiceTotals([
      { description: 'Abonnement', quantity: 1, unitPriceCents: 9900, vatRate: FR20 },
      { description: 'Prépayé', quantity: 1, unitPriceCents: 5000, vatRate: FR20 },
      { description: 'SMS France', quantity: 1234, unitPriceE4: 455, vatRate: FR20 }, // 561.47 → 5614.7 cents → 5615
    ]);
    expect(t.lines.map((l) => l.net)).toEqual([9900, 5000, 5615]);
    expect(t.perRate).toEqual([{ rate: FR20, base: 20515, vat: 4103 }]); // 20515 × 20 % = 4103.0
    expect(t).toMatchObject({ net: 20515, vat: 4103, total: 24618 });
  });

  it('When a line is priced in ten-thousandths, then its net is rounded half-up once per line', () => {
    const t = computeInvoiceTotals([
      { description: '1 SMS', quantity: 1, unitPriceE4: 450, vatRate: FR20 }, // 4.5 → 5
      { description: '3 SMS', quantity: 3, unitPriceE4: 455, vatRate: FR20 }, // 13.65 → 14
      { description: '1000 SMS', quantity: 1000, unitPriceE4: 450, vatRate: FR20 }, // 4500
      { description: '7 SMS', quantity: 7, unitPriceE4: 449, vatRate: FR20 }, // 31.43 → 31
    ]);
    expect(t.lines.map((l) => l.net)).toEqual([5, 14, 4500, 31]);
    expect(t.lines[0]).toMatchObject({ quantity: 1, unitPriceE4: 450, unitPriceCents: null });
  });

  it('When a line is given as an amount, then it is taken as is with no quantity', () => {
    const t = computeInvoiceTotals([{ description: 'Dépassement', amountCents: 1234, vatRate: FR20 }]);
    expect(t.lines[0]).toMatchObject({ quantity: null, unitPriceCents: null, unitPriceE4: null, net: 1234 });
    expect(t).toMatchObject({ net: 1234, vat: 247, total: 1481 }); // 246.8 → 247
  });

  it('When VAT per rate rounded once differs from per-line rounding, then the once-rounded figure is used', () => {
    const lines: InvoiceLineInput[] = [
      { description: 'a', amountCents: 7, vatRate: FR20 }, // 1.4
      { description: 'b', amountCents: 7, vatRate: FR20 }, // 1.4
    ];
    const perLine = vatOf(7, 2000) + vatOf(7, 2000);
    expect(perLine).toBe(2); // 1 + 1
    const t = computeInvoiceTotals(lines);
    expect(t.vat).toBe(3); // round(14 × 20 %) = round(2.8) = 3
    expect(t.total).toBe(17);
  });

  it('When lines carry several rates, then bases and VAT are per rate, ordered by rate, and totals add up', () => {
    const t = computeInvoiceTotals([
      { description: 'x', amountCents: 1001, vatRate: FR55 },
      { description: 'y', amountCents: 3333, vatRate: FR20 },
      { description: 'z', amountCents: 999, vatRate: FR55 },
      { description: 'w', amountCents: 5000, vatRate: REVERSE_CHARGE_RATE },
    ]);
    expect(t.perRate).toEqual([
      { rate: FR20, base: 3333, vat: 667 }, // 666.6 → 667
      { rate: FR55, base: 2000, vat: 110 }, // 110.0
      { rate: REVERSE_CHARGE_RATE, base: 5000, vat: 0 },
    ]);
    expect(t).toMatchObject({ net: 10333, vat: 777, total: 11110 });
  });

  it('When there are no lines, then every total is 0', () => {
    expect(computeInvoiceTotals([])).toEqual({ lines: [], perRate: [], net: 0, vat: 0, total: 0 });
  });

  it('When a quantity is fractional or a rate key is reused with another rate, then it throws', () => {
    expect(() =>
      computeInvoiceTotals([{ description: 'x', quantity: 1.5, unitPriceCents: 100, vatRate: FR20 }]),
    ).toThrow(InvoiceMathError);
    expect(() =>
      computeInvoiceTotals([
        { description: 'x', amountCents: 100, vatRate: FR20 },
        { description: 'y', amountCents: 100, vatRate: { ...FR20, rateBp: 1000 } },
      ]),
    ).toThrow(/different rates/);
    expect(() => computeInvoiceTotals([{ description: 'x', amountCents: 1.5, vatRate: FR20 }])).toThrow();
  });
});

describe('credit notes', () => {
  it('When a credit note negates lines with halves, then rounding is symmetric (half away from zero) and totals are exactly negated', () => {
    const lines: InvoiceLineInput[] = [
      { description: '1 SMS', quantity: 1, unitPriceE4: 450, vatRate: FR55 }, // 4.5 → 5 ; credit -4.5 → -5
      { description: 'x', amountCents: 95, vatRate: FR55 },
    ];
    const inv = computeInvoiceTotals(lines);
    expect(inv).toMatchObject({ net: 100, vat: 6, total: 106 }); // 100 × 5.5 % = 5.5 → 6
    const cn = computeInvoiceTotals(creditNoteLines(lines));
    expect(cn.lines.map((l) => l.net)).toEqual([-5, -95]);
    expect(cn.perRate).toEqual([{ rate: FR55, base: -100, vat: -6 }]); // -5.5 → -6, not -5
    expect(cn).toMatchObject({ net: -100, vat: -6, total: -106 });
  });
});

describe('invoice totals: properties over random invoices', () => {
  const RATES = [FR20, FR55, FR10, REVERSE_CHARGE_RATE];

  function randomLine(r: () => number): InvoiceLineInput {
    const vatRate = RATES[intIn(r, 0, RATES.length - 1)];
    const kind = intIn(r, 0, 2);
    if (kind === 0)
      return { description: 'c', quantity: intIn(r, -50, 500), unitPriceCents: intIn(r, -10000, 100000), vatRate };
    if (kind === 1)
      return { description: 'e4', quantity: intIn(r, 0, 2_000_000), unitPriceE4: intIn(r, 1, 2000), vatRate };
    return { description: 'a', amountCents: intIn(r, -100000, 1_000_000), vatRate };
  }

  it('When 1000 random invoices are totalled, then total = Σ line nets + Σ per-rate VAT, each rate rounded once, order-independent, and credit notes negate exactly', () => {
    const r = prng(42);
    for (let i = 0; i < 1000; i++) {
      const lines = Array.from({ length: intIn(r, 1, 12) }, () => randomLine(r));
      const t = computeInvoiceTotals(lines);

      const sumNets = t.lines.reduce((s, l) => s + l.net, 0);
      expect(t.net).toBe(sumNets);
      expect(t.total).toBe(t.net + t.vat);
      expect(t.vat).toBe(t.perRate.reduce((s, p) => s + p.vat, 0));
      for (const p of t.perRate) {
        const base = t.lines.filter((l) => l.vatRate.key === p.rate.key).reduce((s, l) => s + l.net, 0);
        expect(p.base).toBe(base);
        // VAT rounded once: |base × rate − vat × 10000| ≤ 5000 (half a cent), independently of mulDiv
        const err = BigInt(p.base) * BigInt(p.rate.rateBp) - BigInt(p.vat) * 10000n;
        expect(2n * (err < 0n ? -err : err) <= 10000n).toBe(true);
      }
      // line nets: |quantity × price − net| ≤ half a cent
      t.lines.forEach((l) => {
        if (l.unitPriceE4 !== null) expect(Math.abs(l.quantity! * l.unitPriceE4 - l.net * 100)).toBeLessThanOrEqual(50);
        if (l.unitPriceCents !== null) expect(l.net).toBe(l.quantity! * l.unitPriceCents + 0); // + 0: no -0
      });

      const shuffled = [...lines].sort(() => r() - 0.5);
      const t2 = computeInvoiceTotals(shuffled);
      expect(t2.perRate).toEqual(t.perRate);

      const cn = computeInvoiceTotals(creditNoteLines(lines));
      const neg = (x: number): number => (x === 0 ? 0 : -x); // totals are never -0
      expect(cn.net).toBe(neg(t.net));
      expect(cn.vat).toBe(neg(t.vat));
      expect(cn.total).toBe(neg(t.total));
    }
  });
});
