// Invoices against the real Postgres: numbering, immutability, totals, credit notes.
// (The late-payment penalty and payments: billing-payments.test.ts.)
import { randomUUID } from 'node:crypto';
import { createDb } from '../../lib/db';
import { issueCreditNote, issueInvoice } from '../../lib/invoices';
import { renderInvoice } from '../../lib/invoices-documents';
import { invoicePaymentState } from '../../lib/invoices-payment-state';
import { computeInvoiceTotals } from '../../domain/invoice-math';
import { insertAccount } from '../support/billing';

const db = createDb(process.env.DATABASE_URL!);
afterAll(async () => {
  await db.destroy();
});

const line = (description: string, quantity: number, unitPriceCents: number) => ({
  description,
  quantity,
  unitPriceCents,
});

describe('invoices', () => {
  test(
    'When 50 invoices are issued concurrently in a series, then their numbers are exactly 1..50, in issue ' + 'order',
    async () => {
      const accountId = await insertAccount(db);
      const series = `T${randomUUID().slice(0, 8)}`;
      const issued = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          issueInvoice(db, {
            accountId,
            purpose: 'manual',
            lines: [line('Service', 1, 100 + i)],
            idemKey: `${series}:${i}`,
            series,
          }),
        ),
      );
      const seqs = issued.map((r) => r.invoice.seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const rows = await db('invoices').where({ series }).orderBy('seq');
      expect(rows.map((r) => r.number)).toEqual(
        Array.from({ length: 50 }, (_, i) => `${series}-${String(i + 1).padStart(6, '0')}`),
      );
      // Chronological: a later number is never issued earlier.
      for (let i = 1; i < rows.length; i++)
        expect(new Date(rows[i].issued_at).getTime()).toBeGreaterThanOrEqual(new Date(rows[i - 1].issued_at).getTime());
    },
  );

  test('When an issue fails after taking a number, then the number is given back: no gap', async () => {
    const accountId = await insertAccount(db);
    const series = `G${randomUUID().slice(0, 8)}`;
    await issueInvoice(db, {
      accountId,
      purpose: 'manual',
      lines: [line('A', 1, 100)],
      idemKey: `${series}:1`,
      series,
    });
    await expect(
      db.transaction(async (trx) => {
        await issueInvoice(trx, {
          accountId,
          purpose: 'manual',
          lines: [line('B', 1, 100)],
          idemKey: `${series}:2`,
          series,
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const third = await issueInvoice(db, {
      accountId,
      purpose: 'manual',
      lines: [line('C', 1, 100)],
      idemKey: `${series}:3`,
      series,
    });
    expect(third.invoice.seq).toBe(2);
  });

  test('When an issued invoice is updated or deleted, then the database refuses', async () => {
    const accountId = await insertAccount(db);
    const { invoice } = await issueInvoice(db, {
      accountId,
      purpose: 'manual',
      lines: [line('A', 1, 100)],
      idemKey: randomUUID(),
    });
    await expect(db('invoices').where({ id: invoice.id }).update({ total_cents: 1 })).rejects.toThrow(/append-only/);
    await expect(db('invoices').where({ id: invoice.id }).delete()).rejects.toThrow(/append-only/);
  });

  test('When an invoice is issued twice with the same key, then one invoice exists', async () => {
    const accountId = await insertAccount(db);
    const key = randomUUID();
    const a = await issueInvoice(db, { accountId, purpose: 'manual', lines: [line('A', 1, 100)], idemKey: key });
    const b = await issueInvoice(db, { accountId, purpose: 'manual', lines: [line('A', 1, 100)], idemKey: key });
    expect(b).toEqual({ invoice: a.invoice, created: false });
  });

  test.each([
    // [lines (qty, unit cents), net, vat, total]: VAT on the summed base, rounded once.
    [
      [
        [1, 1],
        [1, 1],
        [1, 1],
      ],
      3,
      1,
      4,
    ], // per line: 3 × round(0.2) = 0; once: round(0.6) = 1
    [[[3, 333]], 999, 200, 1199],
    [
      [
        [1, 2],
        [1, 2],
      ],
      4,
      1,
      5,
    ], // 0.8 → 1 (per line 0.4 → 0 twice)
    [
      [
        [12, 4900],
        [1, 5000],
        [1, 1234],
      ],
      65034,
      13007,
      78041,
    ],
  ])(
    'When an invoice with lines %j is issued, then net = %d, VAT = %d (rounded once), total = %d = Σ lines + VAT',
    async (lines, net, vat, total) => {
      const accountId = await insertAccount(db);
      const { invoice } = await issueInvoice(db, {
        accountId,
        purpose: 'manual',
        lines: lines.map(([q, p], i) => line(`L${i}`, q, p)),
        idemKey: randomUUID(),
      });
      expect([invoice.netCents, invoice.vatCents, invoice.totalCents]).toEqual([net, vat, total]);
      expect(invoice.totalCents).toBe(
        computeInvoiceTotals(invoice.lines).lines.reduce((s, l) => s + l.net, 0) + invoice.vatCents,
      );
      expect(invoice.perRate).toHaveLength(1);
      expect(invoice.perRate[0].rate.rateBp).toBe(2000);
    },
  );

  test(
    'When the buyer is in another EU state with a VAT number, then the ' + 'invoice is reverse-charged at 0 %',
    async () => {
      const accountId = await insertAccount(db, { country: 'DE', vatNumber: 'DE123456789', siren: null });
      const { invoice } = await issueInvoice(db, {
        accountId,
        purpose: 'manual',
        lines: [line('A', 1, 1000)],
        idemKey: randomUUID(),
      });
      expect([invoice.netCents, invoice.vatCents, invoice.totalCents]).toEqual([1000, 0, 1000]);
      expect(invoice.perRate[0].rate.category).toBe('AE');
    },
  );

  test(
    'When an invoice is rendered, then the HTML carries the mandatory ' + 'mentions and the CII XML its number',
    async () => {
      const accountId = await insertAccount(db);
      const { invoice } = await issueInvoice(db, {
        accountId,
        purpose: 'manual',
        lines: [line('Abonnement', 1, 4900)],
        idemKey: randomUUID(),
      });
      const html = await renderInvoice(db, invoice, 'html');
      expect(html).toContain(`Facture n° ${invoice.number}`);
      expect(html).toContain('RCS Paris 552 100 554');
      expect(html).toContain('40 €');
      const xml = await renderInvoice(db, invoice, 'xml');
      expect(xml).toContain(`<ram:ID>${invoice.number}</ram:ID>`);
    },
  );

  test(
    'When a credit note corrects an invoice, then it is negative, names the invoice, and reduces what is ' +
      'due; never beyond it',
    async () => {
      const accountId = await insertAccount(db);
      const { invoice } = await issueInvoice(db, {
        accountId,
        purpose: 'manual',
        lines: [line('A', 1, 1000)],
        idemKey: randomUUID(),
      });
      const { invoice: cn } = await issueCreditNote(db, {
        invoiceId: invoice.id,
        amountCents: 400,
        reason: 'geste',
        idemKey: randomUUID(),
      });
      expect(cn.kind).toBe('credit_note');
      expect([cn.netCents, cn.vatCents, cn.totalCents]).toEqual([-400, -80, -480]);
      expect(cn.number).toMatch(/^A-/);
      expect(cn.correctsInvoiceId).toBe(invoice.id);
      expect((await invoicePaymentState(db, invoice.id)).outstandingCents).toBe(1200 - 480);
      await expect(
        issueCreditNote(db, { invoiceId: invoice.id, amountCents: 601, reason: 'trop', idemKey: randomUUID() }),
      ).rejects.toMatchObject({ code: 'credit_exceeds_invoice' });
      expect(await renderInvoice(db, cn, 'html')).toContain(`Avoir sur la facture n° ${invoice.number}`);
    },
  );
});
