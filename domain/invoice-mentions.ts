// The French mandatory mentions of an invoice (CGI art. 242 nonies A; Code de commerce L441-9,
// L441-10, D441-5, R123-237), as data, and two renderings: a printable HTML document and a
// Factur-X / EN 16931 CII XML. No I/O, no Node built-ins: workflows import this module.
//
// Written-down rules:
// - invoiceMentions(doc) computes the totals (invoice-math.ts) and checks that every mandatory
//   mention can be printed; any gap throws InvoiceMentionsError listing all the problems.
// - Dates are Paris calendar dates of the instants given.
// - Every interpolated value in HTML and XML goes through an escaping template tag; only
//   fragments built by the same tags are inserted unescaped.
// - A credit note ("avoir") is a negative invoice: its lines and totals are negative in the
//   data and the HTML, and it must name the invoice it corrects. In the CII XML it is
//   TypeCode 381 with the signs flipped to positive, as EN 16931 expects.
// - CII, category O (not subject to French VAT, buyer outside the EU): per EN 16931 BR-O-02 the
//   XML carries no VAT identifiers and no rate; the HTML still prints the seller's VAT number.
import { parisDate } from './calendar';
import { computeInvoiceTotals, type ComputedLine, type InvoiceLineInput, type RateTotal } from './invoice-math';
import { centsToDecimal, e4ToDecimal, formatEur, formatEurE4, isCents, type Cents } from './money';
import { checkVatNumber, formatRateBp, isValidSiren, normalizeVatNumber, type VatRate } from './vat';

interface PostalAddress {
  lines: readonly string[];
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

export interface Seller {
  name: string;
  /** e.g. "SAS". */
  legalForm: string;
  shareCapitalCents: Cents;
  siren: string;
  /** City of the RCS registry, e.g. "Paris" → "RCS Paris 123 456 789". */
  rcsCity: string;
  vatNumber: string;
  address: PostalAddress;
}

export interface Buyer {
  name: string;
  legalForm?: string | null;
  /** Required for a buyer in France. */
  siren?: string | null;
  /** Required when a line is reverse charged. */
  vatNumber?: string | null;
  address: PostalAddress;
}

export interface InvoiceDocument {
  kind: 'invoice' | 'credit_note';
  number: string;
  issuedAt: Date;
  dueAt: Date;
  seller: Seller;
  buyer: Buyer;
  lines: readonly InvoiceLineInput[];
  /** Period the services were provided in (end exclusive), when it is not the issue date. */
  servicePeriod?: { start: Date; end: Date } | null;
  /** For a credit note: the invoice it corrects. */
  correctedInvoice?: { number: string; issuedAt: Date } | null;
  /** "Option pour le paiement de la taxe d'après les débits". */
  vatOnDebits?: boolean;
  /** Defaults to PAYMENT_TERMS_TEXT. */
  paymentTerms?: string;
}

const PAYMENT_TERMS_TEXT = 'Paiement immédiat, à réception de la facture.';
export const LATE_PENALTY_TEXT =
  "En cas de retard de paiement, pénalités de retard au taux de 3 fois le taux d'intérêt légal en vigueur, exigibles de plein droit dès le lendemain de la date d'échéance (article L441-10 du code de commerce).";
export const RECOVERY_INDEMNITY_TEXT =
  'Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (articles L441-10 et D441-5 du code de commerce).';
export const NO_DISCOUNT_TEXT = "Pas d'escompte pour paiement anticipé.";
const OPERATION_CATEGORY_TEXT = "Catégorie de l'opération : prestations de services.";
const VAT_ON_DEBITS_TEXT = "Option pour le paiement de la taxe d'après les débits.";

interface PartyMentions {
  name: string;
  legalForm: string | null;
  /** "SAS au capital de 10 000,00 €" (seller only). */
  capital: string | null;
  siren: string | null;
  /** "RCS Paris 732 829 320" (seller only). */
  rcs: string | null;
  vatNumber: string | null;
  address: PostalAddress;
}

export interface InvoiceMentions {
  kind: 'invoice' | 'credit_note';
  title: 'Facture' | 'Avoir';
  number: string;
  /** Paris dates YYYY-MM-DD. */
  issueDate: string;
  dueDate: string;
  servicePeriod: { from: string; to: string } | null;
  correctedInvoice: { number: string; issueDate: string } | null;
  seller: PartyMentions;
  buyer: PartyMentions;
  lines: ComputedLine[];
  perRate: RateTotal[];
  net: Cents;
  vat: Cents;
  total: Cents;
  /** Reverse-charge / exemption mentions of the rates used (deduplicated). */
  vatMentions: string[];
  operationCategory: string;
  vatOnDebits: string | null;
  paymentTerms: string;
  latePenalty: string;
  recoveryIndemnity: string;
  noDiscount: string;
}

export class InvoiceMentionsError extends Error {
  override name = 'InvoiceMentionsError';
  constructor(readonly problems: string[]) {
    super(`invoice cannot be issued: ${problems.join('; ')}`);
  }
}

const blank = (s: string | null | undefined): boolean => s == null || s.trim() === '';

function checkAddress(a: PostalAddress | undefined, who: string, problems: string[]): void {
  if (!a || !a.lines || a.lines.every(blank)) problems.push(`${who} address lines missing`);
  if (!a || blank(a.postalCode)) problems.push(`${who} postal code missing`);
  if (!a || blank(a.city)) problems.push(`${who} city missing`);
  if (!a || !/^[A-Z]{2}$/.test(a.country ?? '')) problems.push(`${who} country must be an ISO alpha-2 code`);
}

function validInstant(d: unknown): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

function groupSiren(siren: string): string {
  return `${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)}`;
}

/** Computes totals and checks the mandatory mentions; throws InvoiceMentionsError if any is missing. */
export function invoiceMentions(doc: InvoiceDocument): InvoiceMentions {
  const problems: string[] = [];
  if (doc.kind !== 'invoice' && doc.kind !== 'credit_note') problems.push('kind must be invoice or credit_note');
  if (blank(doc.number)) problems.push('invoice number missing');
  if (!validInstant(doc.issuedAt)) problems.push('issue date missing');
  if (!validInstant(doc.dueAt)) problems.push('due date missing');
  if (validInstant(doc.issuedAt) && validInstant(doc.dueAt) && doc.dueAt.getTime() < doc.issuedAt.getTime()) {
    problems.push('due date before issue date');
  }

  const s = doc.seller;
  if (!s) problems.push('seller missing');
  else {
    if (blank(s.name)) problems.push('seller name missing');
    if (blank(s.legalForm)) problems.push('seller legal form missing');
    if (!isCents(s.shareCapitalCents) || s.shareCapitalCents <= 0) problems.push('seller share capital missing');
    if (!isValidSiren(s.siren ?? '')) problems.push('seller SIREN invalid');
    if (blank(s.rcsCity)) problems.push('seller RCS city missing');
    const v = checkVatNumber(s.vatNumber ?? '');
    if (!v.ok || v.country !== 'FR') problems.push('seller VAT number invalid');
    else if (isValidSiren(s.siren ?? '') && v.normalized.slice(4) !== s.siren) problems.push('seller VAT number does not match SIREN');
    checkAddress(s.address, 'seller', problems);
  }

  const b = doc.buyer;
  if (!b) problems.push('buyer missing');
  else {
    if (blank(b.name)) problems.push('buyer name missing');
    checkAddress(b.address, 'buyer', problems);
    if (!blank(b.siren) && !isValidSiren(b.siren!)) problems.push('buyer SIREN invalid');
    if (b.address?.country === 'FR' && blank(b.siren)) problems.push('buyer SIREN missing (buyer in France)');
    if (!blank(b.vatNumber) && !checkVatNumber(b.vatNumber!).ok) problems.push('buyer VAT number invalid');
  }

  if (!doc.lines || doc.lines.length === 0) problems.push('no lines');
  if (doc.kind === 'credit_note') {
    const c = doc.correctedInvoice;
    if (!c || blank(c.number) || !validInstant(c.issuedAt)) problems.push('credit note must reference the corrected invoice');
  }
  if (doc.servicePeriod && !(validInstant(doc.servicePeriod.start) && validInstant(doc.servicePeriod.end) && doc.servicePeriod.end > doc.servicePeriod.start)) {
    problems.push('service period invalid');
  }
  if (problems.length) throw new InvoiceMentionsError(problems);

  const totals = computeInvoiceTotals(doc.lines);
  if (totals.perRate.some((r) => r.rate.category === 'AE') && blank(b.vatNumber)) {
    problems.push('buyer VAT number required for reverse charge');
  }
  if (doc.kind === 'invoice' && totals.net < 0) problems.push('an invoice cannot be negative: issue a credit note');
  if (doc.kind === 'credit_note' && totals.net > 0) problems.push('a credit note cannot be positive');
  if (problems.length) throw new InvoiceMentionsError(problems);

  const vatMentions = [...new Set(totals.perRate.map((r) => r.rate.exemptionReason).filter((m): m is string => !blank(m)))];
  return {
    kind: doc.kind,
    title: doc.kind === 'invoice' ? 'Facture' : 'Avoir',
    number: doc.number,
    issueDate: parisDate(doc.issuedAt),
    dueDate: parisDate(doc.dueAt),
    servicePeriod: doc.servicePeriod
      ? { from: parisDate(doc.servicePeriod.start), to: parisDate(new Date(doc.servicePeriod.end.getTime() - 1)) }
      : null,
    correctedInvoice: doc.correctedInvoice
      ? { number: doc.correctedInvoice.number, issueDate: parisDate(doc.correctedInvoice.issuedAt) }
      : null,
    seller: {
      name: s.name,
      legalForm: s.legalForm,
      capital: `${s.legalForm} au capital de ${formatEur(s.shareCapitalCents)}`,
      siren: s.siren,
      rcs: `RCS ${s.rcsCity} ${groupSiren(s.siren)}`,
      vatNumber: normalizeVatNumber(s.vatNumber),
      address: s.address,
    },
    buyer: {
      name: b.name,
      legalForm: blank(b.legalForm) ? null : b.legalForm!,
      capital: null,
      siren: blank(b.siren) ? null : b.siren!,
      rcs: null,
      vatNumber: blank(b.vatNumber) ? null : normalizeVatNumber(b.vatNumber!),
      address: b.address,
    },
    lines: totals.lines,
    perRate: totals.perRate,
    net: totals.net,
    vat: totals.vat,
    total: totals.total,
    vatMentions,
    operationCategory: OPERATION_CATEGORY_TEXT,
    vatOnDebits: doc.vatOnDebits ? VAT_ON_DEBITS_TEXT : null,
    paymentTerms: blank(doc.paymentTerms) ? PAYMENT_TERMS_TEXT : doc.paymentTerms!,
    latePenalty: LATE_PENALTY_TEXT,
    recoveryIndemnity: RECOVERY_INDEMNITY_TEXT,
    noDiscount: NO_DISCOUNT_TEXT,
  };
}

// ---- escaping templates ---------------------------------------------------------------------

/** A fragment already escaped by a template tag below. */
class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes & < > " ' — valid for HTML text, HTML attributes and XML. */
export function escapeMarkup(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function interpolate(v: unknown): string {
  if (v instanceof Markup) return v.value;
  if (Array.isArray(v)) return v.map(interpolate).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeMarkup(String(v));
}

/** Tag: every interpolated value is escaped unless it is a Markup built by this tag. */
function markup(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0];
  values.forEach((v, i) => {
    out += interpolate(v) + strings[i + 1];
  });
  return new Markup(out);
}

// ---- HTML -----------------------------------------------------------------------------------

function frDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

function rateLabel(rate: VatRate): string {
  if (rate.category === 'AE') return `${formatRateBp(rate.rateBp)} (autoliquidation)`;
  if (rate.category === 'O') return 'Non applicable';
  return formatRateBp(rate.rateBp);
}

function addressHtml(a: PostalAddress): Markup {
  return markup`${a.lines.filter((l) => !blank(l)).map((l) => markup`${l}<br>`)}${a.postalCode} ${a.city}<br>${a.country}`;
}

function partyHtml(role: string, p: PartyMentions): Markup {
  return markup`<section class="party">
<h2>${role}</h2>
<p class="name">${p.name}${p.legalForm && !p.capital ? markup` (${p.legalForm})` : ''}</p>
<p>${addressHtml(p.address)}</p>
${p.capital ? markup`<p>${p.capital}</p>` : ''}
${p.rcs ? markup`<p>${p.rcs}</p>` : ''}
${p.siren ? markup`<p>SIREN : ${p.siren}</p>` : ''}
${p.vatNumber ? markup`<p>N° TVA intracommunautaire : ${p.vatNumber}</p>` : ''}
</section>`;
}

function unitPriceText(l: ComputedLine): string {
  if (l.unitPriceE4 !== null) return formatEurE4(l.unitPriceE4);
  if (l.unitPriceCents !== null) return formatEur(l.unitPriceCents);
  return '—';
}

const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;font-size:10pt;color:#111;margin:2cm}
header{display:flex;justify-content:space-between;align-items:flex-start}
h1{font-size:18pt;margin:0 0 .3em}
h2{font-size:10pt;text-transform:uppercase;color:#555;margin:0 0 .3em}
.parties{display:flex;gap:2cm;margin:1.5em 0}
.party{flex:1}
.party p{margin:.15em 0}
.name{font-weight:bold}
table{width:100%;border-collapse:collapse;margin:1em 0}
th,td{border-bottom:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
.totals{width:auto;margin-left:auto}
.totals th{text-align:left;font-weight:normal}
.totals tr.grand th,.totals tr.grand td{font-weight:bold;border-top:2px solid #111}
.legal{font-size:8.5pt;color:#333;margin-top:2em}
.legal p{margin:.25em 0}
@media print{body{margin:0}}
`;

/** A self-contained printable HTML document (A4 print CSS, UTF-8). */
export function renderInvoiceHtml(doc: InvoiceDocument): string {
  const m = invoiceMentions(doc);
  const lineRows = m.lines.map(
    (l) => markup`<tr>
<td>${l.description}</td>
<td class="num">${l.quantity ?? '—'}</td>
<td class="num">${unitPriceText(l)}</td>
<td class="num">${rateLabel(l.vatRate)}</td>
<td class="num">${formatEur(l.net)}</td>
</tr>`,
  );
  const rateRows = m.perRate.map(
    (r) => markup`<tr><th>Base HT ${rateLabel(r.rate)}</th><td class="num">${formatEur(r.base)}</td></tr>
<tr><th>TVA ${rateLabel(r.rate)}</th><td class="num">${formatEur(r.vat)}</td></tr>`,
  );
  const page = markup`<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>${m.title} ${m.number}</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header>
<div>
<h1>${m.title} n° ${m.number}</h1>
<p>Date d'émission : ${frDate(m.issueDate)}</p>
<p>Date d'échéance : ${frDate(m.dueDate)}</p>
${m.servicePeriod ? markup`<p>Période de prestation : du ${frDate(m.servicePeriod.from)} au ${frDate(m.servicePeriod.to)}</p>` : ''}
${m.correctedInvoice ? markup`<p>Avoir sur la facture n° ${m.correctedInvoice.number} du ${frDate(m.correctedInvoice.issueDate)}</p>` : ''}
</div>
</header>
<div class="parties">
${partyHtml('Émetteur', m.seller)}
${partyHtml('Client', m.buyer)}
</div>
<table class="lines">
<thead><tr><th>Désignation</th><th class="num">Quantité</th><th class="num">Prix unitaire HT</th><th class="num">TVA</th><th class="num">Montant HT</th></tr></thead>
<tbody>
${lineRows}
</tbody>
</table>
<table class="totals">
<tbody>
${rateRows}
<tr><th>Total HT</th><td class="num">${formatEur(m.net)}</td></tr>
<tr><th>Total TVA</th><td class="num">${formatEur(m.vat)}</td></tr>
<tr class="grand"><th>Total TTC</th><td class="num">${formatEur(m.total)}</td></tr>
</tbody>
</table>
<section class="legal">
${m.vatMentions.map((t) => markup`<p class="vat-mention">${t}</p>`)}
<p>${m.operationCategory}</p>
${m.vatOnDebits ? markup`<p>${m.vatOnDebits}</p>` : ''}
<p>${m.paymentTerms}</p>
<p>${m.noDiscount}</p>
<p>${m.latePenalty}</p>
<p>${m.recoveryIndemnity}</p>
</section>
</body>
</html>
`;
  return page.value;
}

// ---- Factur-X / EN 16931 CII XML ------------------------------------------------------------

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
<ram:CategoryCode>${rate.category}</ram:CategoryCode>${rate.category === 'O' ? '' : markup`
<ram:RateApplicablePercent>${percent(rate.rateBp)}</ram:RateApplicablePercent>`}`;
}

/**
 * EN 16931 (Factur-X profile EN16931) Cross Industry Invoice XML. Minimal: document header, one
 * line item per line, seller/buyer, VAT breakdown per rate, payment terms, monetary summation.
 */
export function renderCiiXml(doc: InvoiceDocument): string {
  const m = invoiceMentions(doc);
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
<ram:CategoryCode>${r.rate.category}</ram:CategoryCode>${r.rate.category === 'O' ? '' : markup`
<ram:RateApplicablePercent>${percent(r.rate.rateBp)}</ram:RateApplicablePercent>`}
</ram:ApplicableTradeTax>`,
  );
  const notes = [
    ['REG', `${m.seller.capital} — ${m.seller.rcs}`],
    ['PMT', m.recoveryIndemnity],
    ['PMD', m.latePenalty],
    ['AAB', m.noDiscount],
    ...m.vatMentions.map((t) => ['TXD', t]),
  ].map(([code, text]) => markup`<ram:IncludedNote><ram:Content>${text}</ram:Content><ram:SubjectCode>${code}</ram:SubjectCode></ram:IncludedNote>`);
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
