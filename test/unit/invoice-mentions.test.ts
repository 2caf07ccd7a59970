import { creditNoteLines, type InvoiceLineInput } from '../../domain/invoice-math';
import { escapeMarkup } from '../../domain/invoice-markup';
import {
  invoiceMentions,
  InvoiceMentionsError,
  LATE_PENALTY_TEXT,
  NO_DISCOUNT_TEXT,
  RECOVERY_INDEMNITY_TEXT,
  renderCiiXml,
  renderInvoiceHtml,
  type Buyer,
  type InvoiceDocument,
  type Seller,
} from '../../domain/invoice-mentions';
import { OUTSIDE_EU_MENTION, REVERSE_CHARGE_MENTION, vatTreatment } from '../../domain/vat';

const ISSUED = new Date('2026-02-28T00:00:00+01:00');

const SELLER: Seller = {
  name: 'Tentacle',
  legalForm: 'SAS',
  shareCapitalCents: 1_000_000,
  siren: '123456782',
  rcsCity: 'Paris',
  vatNumber: 'FR11123456782',
  address: { lines: ['10 rue de la Paix'], postalCode: '75002', city: 'Paris', country: 'FR' },
};

const FR_BUYER: Buyer = {
  name: 'Boulangerie Martin',
  legalForm: 'SARL',
  siren: '987654324',
  vatNumber: 'FR14987654324',
  address: { lines: ['3 place du Marché', 'Bâtiment B'], postalCode: '69001', city: 'Lyon', country: 'FR' },
};

const DE_BUYER: Buyer = {
  name: 'Muster GmbH',
  vatNumber: 'DE123456789',
  address: { lines: ['Hauptstraße 1'], postalCode: '10115', city: 'Berlin', country: 'DE' },
};

const US_BUYER: Buyer = {
  name: 'Acme Inc.',
  address: { lines: ['1 Main St'], postalCode: '94105', city: 'San Francisco', country: 'US' },
};

function linesFor(buyer: Buyer): InvoiceLineInput[] {
  const { rate } = vatTreatment({ buyerCountry: buyer.address.country, buyerVatNumber: buyer.vatNumber, on: ISSUED });
  return [
    { description: 'Abonnement — mensualité', quantity: 1, unitPriceCents: 9900, vatRate: rate },
    { description: 'SMS France', quantity: 1234, unitPriceE4: 455, vatRate: rate }, // 5615
  ];
}

function invoice(buyer: Buyer, over: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    kind: 'invoice',
    number: 'F-2026-000042',
    issuedAt: ISSUED,
    dueAt: ISSUED,
    seller: SELLER,
    buyer,
    lines: linesFor(buyer),
    servicePeriod: { start: new Date('2026-01-31T00:00:00+01:00'), end: new Date('2026-02-28T00:00:00+01:00') },
    ...over,
  };
}

/** Minimal well-formedness check: tags nest and close, attributes are quoted, no stray '<' or '&'. */
function assertWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<&]*")*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(body))) {
    const text = body.slice(last, m.index);
    expect(text).not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|#39);)/);
    last = tagRe.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) stack.push(name);
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
}

describe('invoiceMentions', () => {
  it('When a French buyer is invoiced, then every mandatory mention is present as data with exact totals', () => {
    const m = invoiceMentions(invoice(FR_BUYER));
    expect(m).toMatchObject({
      title: 'Facture',
      number: 'F-2026-000042',
      issueDate: '2026-02-28',
      dueDate: '2026-02-28',
      servicePeriod: { from: '2026-01-31', to: '2026-02-27' },
      seller: {
        name: 'Tentacle',
        siren: '123456782',
        vatNumber: 'FR11123456782',
        rcs: 'RCS Paris 123 456 782',
        capital: 'SAS au capital de 10\u202f000,00\u00a0€',
      },
      buyer: { name: 'Boulangerie Martin', siren: '987654324', vatNumber: 'FR14987654324' },
      net: 15515,
      vat: 3103,
      total: 18618,
      vatMentions: [],
      vatOnDebits: null,
    });
    expect(m.perRate).toEqual([{ rate: expect.objectContaining({ rateBp: 2000 }), base: 15515, vat: 3103 }]);
    expect(m.latePenalty).toContain("3 fois le taux d'intérêt légal");
    expect(m.recoveryIndemnity).toContain('40 €');
    expect(m.noDiscount).toBe("Pas d'escompte pour paiement anticipé.");
  });

  it('When the buyer is reverse charged or outside the EU, then the matching VAT mention is listed', () => {
    expect(invoiceMentions(invoice(DE_BUYER)).vatMentions).toEqual([REVERSE_CHARGE_MENTION]);
    expect(invoiceMentions(invoice(US_BUYER)).vatMentions).toEqual([OUTSIDE_EU_MENTION]);
    expect(invoiceMentions(invoice(DE_BUYER))).toMatchObject({ vat: 0, total: 15515 });
  });

  it('When mentions are missing, then issuing is refused with every problem listed', () => {
    const bad = invoice(
      { ...FR_BUYER, siren: null },
      { number: ' ', seller: { ...SELLER, siren: '123456789', rcsCity: '' } },
    );
    expect(() => invoiceMentions(bad)).toThrow(InvoiceMentionsError);
    try {
      invoiceMentions(bad);
    } catch (e) {
      expect((e as InvoiceMentionsError).problems).toEqual(
        expect.arrayContaining([
          'invoice number missing',
          'seller SIREN invalid',
          'seller RCS city missing',
          'buyer SIREN missing (buyer in France)',
        ]),
      );
    }
  });

  it("When the seller's VAT number does not match its SIREN, then it is refused", () => {
    expect(() => invoiceMentions(invoice(FR_BUYER, { seller: { ...SELLER, vatNumber: 'FR44732829320' } }))).toThrow(
      /does not match SIREN/,
    );
  });

  it('When a line is reverse charged but the buyer has no VAT number, then it is refused', () => {
    const lines = linesFor(DE_BUYER);
    expect(() => invoiceMentions(invoice({ ...DE_BUYER, vatNumber: null }, { lines }))).toThrow(/reverse charge/);
  });

  it('When a credit note does not reference the invoice it corrects, or an invoice is negative, then it is refused', () => {
    const lines = creditNoteLines(linesFor(FR_BUYER));
    expect(() => invoiceMentions(invoice(FR_BUYER, { kind: 'credit_note', lines }))).toThrow(/corrected invoice/);
    expect(() => invoiceMentions(invoice(FR_BUYER, { lines }))).toThrow(/credit note/);
  });

  it('When the due date precedes the issue date or there are no lines, then it is refused', () => {
    expect(() => invoiceMentions(invoice(FR_BUYER, { dueAt: new Date(ISSUED.getTime() - 1) }))).toThrow(
      /due date before issue date/,
    );
    expect(() => invoiceMentions(invoice(FR_BUYER, { lines: [] }))).toThrow(/no lines/);
  });
});

describe('renderInvoiceHtml', () => {
  it('When rendering a French invoice, then the document shows every mandatory mention', () => {
    const html = renderInvoiceHtml(invoice(FR_BUYER));
    const expected = [
      '<!DOCTYPE html>',
      '<meta charset="utf-8">',
      'Facture n° F-2026-000042',
      "Date d'émission : 28/02/2026",
      "Date d'échéance : 28/02/2026",
      'Période de prestation : du 31/01/2026 au 27/02/2026',
      'Tentacle',
      'SAS au capital de 10\u202f000,00\u00a0€',
      'RCS Paris 123 456 782',
      'SIREN : 123456782',
      'N° TVA intracommunautaire : FR11123456782',
      '10 rue de la Paix<br>75002 Paris',
      'Boulangerie Martin (SARL)',
      '3 place du Marché<br>Bâtiment B<br>69001 Lyon',
      'SIREN : 987654324',
      'FR14987654324',
      'Abonnement — mensualité',
      '0,0455\u00a0€', // unit price of an SMS
      '56,15\u00a0€', // SMS line net
      'Base HT 20\u00a0%</th><td class="num">155,15\u00a0€',
      'TVA 20\u00a0%</th><td class="num">31,03\u00a0€',
      'Total HT</th><td class="num">155,15\u00a0€',
      'Total TVA</th><td class="num">31,03\u00a0€',
      'Total TTC</th><td class="num">186,18\u00a0€',
      'Catégorie de l&#39;opération : prestations de services.',
      'Paiement immédiat, à réception de la facture.',
      escapeMarkup(NO_DISCOUNT_TEXT),
      escapeMarkup(LATE_PENALTY_TEXT),
      escapeMarkup(RECOVERY_INDEMNITY_TEXT),
      '3 fois le taux d&#39;intérêt légal',
      'frais de recouvrement en cas de retard de paiement : 40 €',
      'Pas d&#39;escompte pour paiement anticipé',
    ];
    for (const s of expected) expect(html).toContain(s);
    expect(html).not.toContain('Autoliquidation');
    expect(html).not.toContain('259-1');
  });

  it('When rendering for an EU buyer with a VAT number, then the reverse-charge mention and the buyer VAT number are shown', () => {
    const html = renderInvoiceHtml(invoice(DE_BUYER));
    expect(html).toContain(escapeMarkup(REVERSE_CHARGE_MENTION));
    expect(html).toContain('N° TVA intracommunautaire : DE123456789');
    expect(html).toContain('0\u00a0% (autoliquidation)');
    expect(html).toContain('Total TTC</th><td class="num">155,15\u00a0€');
  });

  it('When rendering for a buyer outside the EU, then the 259-1 mention is shown', () => {
    expect(renderInvoiceHtml(invoice(US_BUYER))).toContain('TVA non applicable, article 259-1 du CGI');
  });

  it('When names, addresses and descriptions contain markup, then every one is escaped', () => {
    const evil: Buyer = {
      ...US_BUYER,
      name: '<script>alert("x")</script> & Cie',
      address: { lines: ['<b onmouseover=alert(1)>1 Main St</b>'], postalCode: '"><i>', city: "O'Hare", country: 'US' },
    };
    const lines = linesFor(US_BUYER).map((l, i) =>
      i === 0 ? { ...l, description: '<img src=x onerror=alert(1)>' } : l,
    );
    const html = renderInvoiceHtml(invoice(evil, { lines, number: 'F-<1>' }));
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b ');
    expect(html).not.toContain('"><i>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cie');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('O&#39;Hare');
    expect(html).toContain('<title>Facture F-&lt;1&gt;</title>');
  });

  it('When rendering a credit note, then it is titled Avoir, references the invoice and shows negative amounts', () => {
    const html = renderInvoiceHtml(
      invoice(FR_BUYER, {
        kind: 'credit_note',
        number: 'A-2026-000003',
        lines: creditNoteLines(linesFor(FR_BUYER)),
        correctedInvoice: { number: 'F-2026-000042', issuedAt: ISSUED },
      }),
    );
    expect(html).toContain('Avoir n° A-2026-000003');
    expect(html).toContain('Avoir sur la facture n° F-2026-000042 du 28/02/2026');
    expect(html).toContain('Total TTC</th><td class="num">-186,18\u00a0€');
  });
});

describe('renderCiiXml (Factur-X / EN 16931)', () => {
  it('When exporting a French invoice, then the XML is well-formed with document, parties, lines and totals', () => {
    const xml = renderCiiXml(invoice(FR_BUYER));
    assertWellFormedXml(xml);
    const expected = [
      '<ram:ID>urn:cen.eu:en16931:2017</ram:ID>',
      '<ram:ID>F-2026-000042</ram:ID>',
      '<ram:TypeCode>380</ram:TypeCode>',
      '<udt:DateTimeString format="102">20260228</udt:DateTimeString>',
      '<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">123456782</ram:ID></ram:SpecifiedLegalOrganization>',
      '<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR11123456782</ram:ID></ram:SpecifiedTaxRegistration>',
      '<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">FR14987654324</ram:ID></ram:SpecifiedTaxRegistration>',
      '<ram:ChargeAmount>0.0455</ram:ChargeAmount>',
      '<ram:BilledQuantity unitCode="C62">1234</ram:BilledQuantity>',
      '<ram:LineTotalAmount>56.15</ram:LineTotalAmount>',
      '<ram:CalculatedAmount>31.03</ram:CalculatedAmount>',
      '<ram:BasisAmount>155.15</ram:BasisAmount>',
      '<ram:CategoryCode>S</ram:CategoryCode>',
      '<ram:RateApplicablePercent>20.00</ram:RateApplicablePercent>',
      '<ram:TaxBasisTotalAmount>155.15</ram:TaxBasisTotalAmount>',
      '<ram:TaxTotalAmount currencyID="EUR">31.03</ram:TaxTotalAmount>',
      '<ram:GrandTotalAmount>186.18</ram:GrandTotalAmount>',
      '<ram:DuePayableAmount>186.18</ram:DuePayableAmount>',
      '<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>',
      '<ram:StartDateTime><udt:DateTimeString format="102">20260131</udt:DateTimeString></ram:StartDateTime>',
      '<ram:SubjectCode>PMD</ram:SubjectCode>',
    ];
    for (const s of expected) expect(xml).toContain(s);
    expect(xml.match(/<ram:IncludedSupplyChainTradeLineItem>/g)).toHaveLength(2);
  });

  it('When exporting a credit note, then it is TypeCode 381 with positive amounts and references the corrected invoice', () => {
    const xml = renderCiiXml(
      invoice(FR_BUYER, {
        kind: 'credit_note',
        number: 'A-2026-000003',
        lines: creditNoteLines(linesFor(FR_BUYER)),
        correctedInvoice: { number: 'F-2026-000042', issuedAt: ISSUED },
      }),
    );
    assertWellFormedXml(xml);
    expect(xml).toContain('<ram:TypeCode>381</ram:TypeCode>');
    expect(xml).toContain('<ram:GrandTotalAmount>186.18</ram:GrandTotalAmount>');
    expect(xml).toContain('<ram:BilledQuantity unitCode="C62">1234</ram:BilledQuantity>');
    expect(xml).toContain('<ram:IssuerAssignedID>F-2026-000042</ram:IssuerAssignedID>');
    expect(xml).not.toMatch(/>-\d/);
  });

  it('When exporting a reverse-charge invoice, then category AE carries the exemption reason and both VAT numbers', () => {
    const xml = renderCiiXml(invoice(DE_BUYER));
    assertWellFormedXml(xml);
    expect(xml).toContain('<ram:CategoryCode>AE</ram:CategoryCode>');
    expect(xml).toContain(`<ram:ExemptionReason>${escapeMarkup(REVERSE_CHARGE_MENTION)}</ram:ExemptionReason>`);
    expect(xml).toContain('<ram:ID schemeID="VA">DE123456789</ram:ID>');
    expect(xml).toContain('<ram:RateApplicablePercent>0.00</ram:RateApplicablePercent>');
  });

  it('When exporting an invoice not subject to VAT (category O), then no VAT identifier nor rate is given (BR-O-02)', () => {
    const xml = renderCiiXml(invoice(US_BUYER));
    assertWellFormedXml(xml);
    expect(xml).toContain('<ram:CategoryCode>O</ram:CategoryCode>');
    expect(xml).not.toContain('schemeID="VA"');
    expect(xml).not.toContain('RateApplicablePercent');
  });

  it('When values contain markup, then the XML escapes them and stays well-formed', () => {
    const evil: Buyer = { ...US_BUYER, name: 'A & B <Ltd> "quoted"' };
    const lines = linesFor(US_BUYER).map((l) => ({ ...l, description: '</ram:Name><x>' }));
    const xml = renderCiiXml(invoice(evil, { lines }));
    assertWellFormedXml(xml);
    expect(xml).toContain('<ram:Name>A &amp; B &lt;Ltd&gt; &quot;quoted&quot;</ram:Name>');
    expect(xml).toContain('<ram:Name>&lt;/ram:Name&gt;&lt;x&gt;</ram:Name>');
  });
});
