// Billing invariants as property tests over random inputs (seeded, so a failure reproduces).
import { computeInvoiceTotals, creditNoteLines, vatOf, type InvoiceLineInput } from '../../domain/invoice-math';
import { latePenalty, RECOVERY_INDEMNITY_CENTS, type LegalRateEntry } from '../../domain/late-penalty';
import { REVERSE_CHARGE_RATE, type VatRate } from '../../domain/vat';
import { signWebhook, verifyWebhookSignature } from '../../lib/payments';

function rng(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

const RATES: VatRate[] = [
  { key: 'FR-S-2000', category: 'S', rateBp: 2000, exemptionReason: null },
  { key: 'FR-S-550', category: 'S', rateBp: 550, exemptionReason: null },
  REVERSE_CHARGE_RATE,
];

function randomLines(r: (n: number) => number): InvoiceLineInput[] {
  return Array.from({ length: 1 + r(12) }, (_, i) => {
    const vatRate = RATES[r(RATES.length)];
    switch (r(3)) {
      case 0:
        return { description: `L${i}`, quantity: 1 + r(100_000), unitPriceE4: 1 + r(2000), vatRate };
      case 1:
        return { description: `L${i}`, quantity: 1 + r(50), unitPriceCents: 1 + r(100_000), vatRate };
      default:
        return { description: `L${i}`, amountCents: 1 + r(1_000_000), vatRate };
    }
  });
}

describe('invoice totals (property)', () => {
  test("When 1 000 random invoices are computed, then total = Σ line nets + Σ per-rate VAT, each rate's VAT rounded once on its summed base, and a credit note negates it exactly", () => {
    const r = rng(7);
    for (let i = 0; i < 1000; i++) {
      const lines = randomLines(r);
      const t = computeInvoiceTotals(lines);
      const lineSum = t.lines.reduce((s, l) => s + l.net, 0);
      expect(t.net).toBe(lineSum);
      expect(t.total).toBe(t.net + t.vat);
      for (const pr of t.perRate) {
        const base = t.lines.filter((l) => l.vatRate.key === pr.rate.key).reduce((s, l) => s + l.net, 0);
        expect(pr.base).toBe(base);
        expect(pr.vat).toBe(vatOf(base, pr.rate.rateBp));
        // Rounded once: within half a cent of the exact VAT of the base.
        expect(Math.abs(pr.vat - (base * pr.rate.rateBp) / 10_000)).toBeLessThanOrEqual(0.5);
      }
      expect(t.vat).toBe(t.perRate.reduce((s, p) => s + p.vat, 0));
      const cn = computeInvoiceTotals(creditNoteLines(lines));
      const neg = (x: number) => (x === 0 ? 0 : -x);
      expect([cn.net, cn.vat, cn.total]).toEqual([neg(t.net), neg(t.vat), neg(t.total)]);
    }
  });
});

describe('late penalty (property)', () => {
  const table: LegalRateEntry[] = [
    { semester: '2025-S1', rateBp: 371 },
    { semester: '2025-S2', rateBp: 276 },
    { semester: '2026-S1', rateBp: 262 },
  ];
  const rateOf = (iso: string) =>
    table.find((e) => e.semester === `${iso.slice(0, 4)}-S${Number(iso.slice(5, 7)) <= 6 ? 1 : 2}`)!.rateBp;

  test("When random invoices are paid late within the rate table, then interest = Σ over late days of amount × 3 × the rate of that day's semester / 365, rounded once, and the indemnity is 40 € exactly once", () => {
    const r = rng(11);
    for (let i = 0; i < 300; i++) {
      const amount = 1 + r(5_000_000);
      const dueAt = new Date(Date.UTC(2025, 0, 1) + r(500) * 86_400_000 + r(86_400_000));
      const paidAt = new Date(dueAt.getTime() + r(60) * 86_400_000 + r(86_400_000));
      if (paidAt >= new Date('2026-06-30T00:00:00+02:00')) continue;
      const p = latePenalty({ amountDueCents: amount, dueAt, paidAt, table });
      // Reference computation, day by day in Paris dates.
      const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' });
      const dueDate = fmt.format(dueAt);
      const paidDate = fmt.format(paidAt);
      let exact = 0;
      let days = 0;
      for (let d = new Date(`${dueDate}T12:00:00Z`); ; ) {
        d = new Date(d.getTime() + 86_400_000);
        const iso = d.toISOString().slice(0, 10);
        if (iso > paidDate) break;
        days += 1;
        exact += (amount * 3 * rateOf(iso)) / 10_000 / 365;
      }
      expect(p.daysLate).toBe(days);
      expect(Math.abs(p.interestCents - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
      expect(p.indemnityCents).toBe(days > 0 ? RECOVERY_INDEMNITY_CENTS : 0);
      expect(p.totalCents).toBe(p.interestCents + p.indemnityCents);
    }
  });
});

describe('payment webhook signature', () => {
  const secret = 'whsec-test-0123456789';
  const body = '{"id":"evt_1","type":"payment.succeeded"}';
  const t = 1_790_000_000;
  test.each([
    [
      'a valid signature inside the window',
      signWebhook(secret, body, t),
      body,
      t * 1000 + 299_000,
      { ok: true, timestampSec: t },
    ],
    [
      'a signature one second past the window',
      signWebhook(secret, body, t),
      body,
      t * 1000 + 301_000,
      { ok: false, reason: 'outside_replay_window' },
    ],
    [
      'a tampered body',
      signWebhook(secret, body, t),
      body.replace('1', '2'),
      t * 1000,
      { ok: false, reason: 'bad_signature' },
    ],
    [
      'another secret',
      signWebhook('another-secret-0123456', body, t),
      body,
      t * 1000,
      { ok: false, reason: 'bad_signature' },
    ],
    [
      'a changed timestamp',
      signWebhook(secret, body, t).replace(`t=${t}`, `t=${t + 1}`),
      body,
      t * 1000,
      { ok: false, reason: 'bad_signature' },
    ],
    ['no header', undefined, body, t * 1000, { ok: false, reason: 'malformed' }],
  ])('When the webhook carries %s, then the check says so', (_label, header, raw, now, expected) => {
    expect(verifyWebhookSignature(secret, raw, header, now, 300)).toEqual(expected);
  });
});
