// The Factur-X / EN 16931 CII XML of an invoice (CGI art. 242 nonies A; EN 16931): the mentions
// computed by invoice-mentions.ts as a Cross Industry Invoice. A credit note is TypeCode 381
// with its signs flipped to positive; category O carries no VAT identifiers and no rate
// (BR-O-02). Every interpolated value is escaped (invoice-markup.ts). No I/O, no Node built-ins.
import type { VatRate } from './vat';
import { centsToDecimal, e4ToDecimal, type Cents } from './money';
import type { InvoiceMentions, PartyMentions } from './invoice-mentions';
import { blank, Markup, markup } from './invoice-markup';

const d102 = (iso: string): string => iso.replace(/-/g, '');

function percent(rateBp: number): string {
  return `${Math.trunc(rateBp / 100)}.${String(rateBp % 100).padStart(2, '0')}`;
}

function partyXml(tag: 'SellerTradeParty' | 'BuyerTradeParty', p: PartyMentions, withVatId: boolean): Markup {
  const a = p.address;
  const lines = a.lines.filter((l) => !blank(l));
  return markup`<ram:${new Markup(tag)}>
<ram:Name>${p.name}</ram:Name>
${p.siren ? markup`<ram:SpecifiedLegalOrganization><ram:ID schemeID="0002">${p.siren}</ram:ID></ram:SpecifiedLegalOrganization>` : ''}
<ram:PostalTradeAddress>
<ram:PostcodeCode>${a.postalCode}</ram:PostcodeCode>
${lines[0] !== undefined ? markup`<ram:LineOne>${lines[0]}</ram:LineOne>` : ''}
${lines[1] !== undefined ? markup`<ram:LineTwo>${lines[1]}</ram:LineTwo>` : ''}
${lines.length > 2 ? markup`<ram:LineThree>${lines.slice(2).join(', ')}</ram:LineThree>` : ''}
<ram:CityName>${a.city}</ram:CityName>
<ram:CountryID>${a.country}</ram:CountryID>
</ram:PostalTradeAddress>
${withVatId && p.vatNumber ? markup`<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">${p.vatNumber}</ram:ID></ram:SpecifiedTaxRegistration>` : ''}
</ram:${new Markup(tag)}>`;
}

function taxXml(rate: VatRate): Markup {
  return markup`<ram:TypeCode>VAT</ram:TypeCode>
<ram:CategoryCode>${rate.category}</ram:CategoryCode>${
    rate.category === 'O'
      ? ''
      : markup`
<ram:RateApplicablePercent>${percent(rate.rateBp)}</ram:RateApplicablePercent>`
  }`;
}

/** The CII XML of mentions already computed and checked (renderCiiXml). */
export function ciiXml(m: InvoiceMentions): string {
  const sign = m.kind === 'credit_note' ? -1 : 1;
  const flip = (c: Cents): Cents => (c === 0 ? 0 : sign * c);
  const notSubject = m.perRate.some((r) => r.rate.category === 'O');
  const items = m.lines.map((l, i) => {
    const net = flip(l.net);
    let price: string;
    let qty: number;
    if (l.quantity === null) {
      price = centsToDecimal(Math.abs(net));
      qty = net < 0 ? -1 : 1;
    } else {
      const unit = l.unitPriceE4 ?? l.unitPriceCents!;
      price = l.unitPriceE4 !== null ? e4ToDecimal(Math.abs(unit)) : centsToDecimal(Math.abs(unit));
      qty = sign * l.quantity * (unit < 0 ? -1 : 1);
    }
    return markup`<ram:IncludedSupplyChainTradeLineItem>
<ram:AssociatedDocumentLineDocument><ram:LineID>${i + 1}</ram:LineID></ram:AssociatedDocumentLineDocument>
<ram:SpecifiedTradeProduct><ram:Name>${l.description}</ram:Name></ram:SpecifiedTradeProduct>
<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>${price}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>
<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="C62">${qty === 0 ? 0 : qty}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
<ram:SpecifiedLineTradeSettlement>
<ram:ApplicableTradeTax>
${taxXml(l.vatRate)}
</ram:ApplicableTradeTax>
<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>${centsToDecimal(net)}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
</ram:SpecifiedLineTradeSettlement>
</ram:IncludedSupplyChainTradeLineItem>`;
  });
  const taxes = m.perRate.map(
    (r) => markup`<ram:ApplicableTradeTax>
<ram:CalculatedAmount>${centsToDecimal(flip(r.vat))}</ram:CalculatedAmount>
<ram:TypeCode>VAT</ram:TypeCode>
${r.rate.exemptionReason ? markup`<ram:ExemptionReason>${r.rate.exemptionReason}</ram:ExemptionReason>` : ''}
<ram:BasisAmount>${centsToDecimal(flip(r.base))}</ram:BasisAmount>
<ram:CategoryCode>${r.rate.category}</ram:CategoryCode>${
      r.rate.category === 'O'
        ? ''
        : markup`
<ram:RateApplicablePercent>${percent(r.rate.rateBp)}</ram:RateApplicablePercent>`
    }
</ram:ApplicableTradeTax>`,
  );
  const notes = [
    ['REG', `${m.seller.capital} — ${m.seller.rcs}`],
    ['PMT', m.recoveryIndemnity],
    ['PMD', m.latePenalty],
    ['AAB', m.noDiscount],
    ...m.vatMentions.map((t) => ['TXD', t]),
  ].map(
    ([code, text]) =>
      markup`<ram:IncludedNote><ram:Content>${text}</ram:Content><ram:SubjectCode>${code}</ram:SubjectCode></ram:IncludedNote>`,
  );
  const xml = markup`<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
<rsm:ExchangedDocumentContext>
<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter>
</rsm:ExchangedDocumentContext>
<rsm:ExchangedDocument>
<ram:ID>${m.number}</ram:ID>
<ram:TypeCode>${m.kind === 'credit_note' ? '381' : '380'}</ram:TypeCode>
<ram:IssueDateTime><udt:DateTimeString format="102">${d102(m.issueDate)}</udt:DateTimeString></ram:IssueDateTime>
${notes}
</rsm:ExchangedDocument>
<rsm:SupplyChainTradeTransaction>
${items}
<ram:ApplicableHeaderTradeAgreement>
${partyXml('SellerTradeParty', m.seller, !notSubject)}
${partyXml('BuyerTradeParty', m.buyer, !notSubject)}
</ram:ApplicableHeaderTradeAgreement>
<ram:ApplicableHeaderTradeDelivery/>
<ram:ApplicableHeaderTradeSettlement>
<ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
${taxes}
${m.servicePeriod ? markup`<ram:BillingSpecifiedPeriod><ram:StartDateTime><udt:DateTimeString format="102">${d102(m.servicePeriod.from)}</udt:DateTimeString></ram:StartDateTime><ram:EndDateTime><udt:DateTimeString format="102">${d102(m.servicePeriod.to)}</udt:DateTimeString></ram:EndDateTime></ram:BillingSpecifiedPeriod>` : ''}
<ram:SpecifiedTradePaymentTerms>
<ram:Description>${m.paymentTerms}</ram:Description>
<ram:DueDateDateTime><udt:DateTimeString format="102">${d102(m.dueDate)}</udt:DateTimeString></ram:DueDateDateTime>
</ram:SpecifiedTradePaymentTerms>
<ram:SpecifiedTradeSettlementHeaderMonetarySummation>
<ram:LineTotalAmount>${centsToDecimal(flip(m.net))}</ram:LineTotalAmount>
<ram:TaxBasisTotalAmount>${centsToDecimal(flip(m.net))}</ram:TaxBasisTotalAmount>
<ram:TaxTotalAmount currencyID="EUR">${centsToDecimal(flip(m.vat))}</ram:TaxTotalAmount>
<ram:GrandTotalAmount>${centsToDecimal(flip(m.total))}</ram:GrandTotalAmount>
<ram:DuePayableAmount>${centsToDecimal(flip(m.total))}</ram:DuePayableAmount>
</ram:SpecifiedTradeSettlementHeaderMonetarySummation>
${m.correctedInvoice ? markup`<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>${m.correctedInvoice.number}</ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format="102">${d102(m.correctedInvoice.issueDate)}</qdt:DateTimeString></ram:FormattedIssueDateTime></ram:InvoiceReferencedDocument>` : ''}
</ram:ApplicableHeaderTradeSettlement>
</rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
`;
  return xml.value;
}
