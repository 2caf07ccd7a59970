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
//
// The renderings: invoice-html.ts (printable HTML), invoice-cii.ts (CII XML); both through the
// escaping tags of invoice-markup.ts.
import { parisDate } from './calendar';
import { computeInvoiceTotals, type ComputedLine, type InvoiceLineInput, type RateTotal } from './invoice-math';
import { formatEur, isCents, type Cents } from './money';
import { checkVatNumber, isValidSiren, normalizeVatNumber } from './vat';
import { ciiXml } from './invoice-cii';
import { invoiceHtml } from './invoice-html';
import { blank } from './invoice-markup';

export interface PostalAddress {
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
  "En cas de retard de paiement, pénalités de retard au taux de 3 fois le taux d'intérêt légal en vigueur, " +
  "exigibles de plein droit dès le lendemain de la date d'échéance (article L441-10 du code de commerce).";
export const RECOVERY_INDEMNITY_TEXT =
  'Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € ' +
  '(articles L441-10 et D441-5 du code de commerce).';
export const NO_DISCOUNT_TEXT = "Pas d'escompte pour paiement anticipé.";
const OPERATION_CATEGORY_TEXT = "Catégorie de l'opération : prestations de services.";
const VAT_ON_DEBITS_TEXT = "Option pour le paiement de la taxe d'après les débits.";

export interface PartyMentions {
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
    else if (isValidSiren(s.siren ?? '') && v.normalized.slice(4) !== s.siren)
      problems.push('seller VAT number does not match SIREN');
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
    if (!c || blank(c.number) || !validInstant(c.issuedAt))
      problems.push('credit note must reference the corrected invoice');
  }
  if (
    doc.servicePeriod &&
    !(
      validInstant(doc.servicePeriod.start) &&
      validInstant(doc.servicePeriod.end) &&
      doc.servicePeriod.end > doc.servicePeriod.start
    )
  ) {
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

  const vatMentions = [
    ...new Set(totals.perRate.map((r) => r.rate.exemptionReason).filter((m): m is string => !blank(m))),
  ];
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

/** A self-contained printable HTML document (A4 print CSS, UTF-8). */
export function renderInvoiceHtml(doc: InvoiceDocument): string {
  return invoiceHtml(invoiceMentions(doc));
}

/**
 * EN 16931 (Factur-X profile EN16931) Cross Industry Invoice XML. Minimal: document header, one
 * line item per line, seller/buyer, VAT breakdown per rate, payment terms, monetary summation.
 */
export function renderCiiXml(doc: InvoiceDocument): string {
  return ciiXml(invoiceMentions(doc));
}
