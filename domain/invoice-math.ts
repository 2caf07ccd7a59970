// Invoice totals. No I/O and no Node built-ins: workflows import this module.
//
// Written-down rules:
// - A line is either quantity × unit price (unit price in cents, or in ten-thousandths of a euro
//   for sub-cent prices such as SMS) or an amount already computed. Quantity is an integer.
// - Line net = quantity × unit price, rounded half away from zero to the cent, once per line.
// - Lines are grouped by VAT rate key; each group's base is the exact sum of its line nets, and
//   its VAT = base × rate, rounded half away from zero ONCE per rate (not per line).
// - net = Σ bases, vat = Σ per-rate VAT, total = net + vat. All integers, no float.
// - Credit notes are negative invoices of the same shape (negative quantities or amounts).
//   Rounding is symmetric (half away from zero), so the credit note of an invoice's lines
//   (creditNoteLines) has exactly the negated totals: -10.5 cents → -11, never -10.
// - perRate is ordered by rate (highest first), then key: independent of line order.
import { assertCents, mulDivRoundHalfUp, sum, type Cents, type PriceE4 } from './money';
import type { VatRate } from './vat';

interface LineBase {
  description: string;
  vatRate: VatRate;
  /** Optional service period shown on the invoice (end exclusive). */
  period?: { start: Date; end: Date };
}

export type InvoiceLineInput =
  | (LineBase & { quantity: number; unitPriceCents: Cents })
  | (LineBase & { quantity: number; unitPriceE4: PriceE4 })
  | (LineBase & { amountCents: Cents });

export interface ComputedLine {
  description: string;
  vatRate: VatRate;
  period?: { start: Date; end: Date };
  /** null when the line was given as an amount. */
  quantity: number | null;
  unitPriceCents: Cents | null;
  unitPriceE4: PriceE4 | null;
  /** Line net (excl. VAT), in cents. */
  net: Cents;
}

export interface RateTotal {
  rate: VatRate;
  /** Sum of the nets of the lines at this rate. */
  base: Cents;
  /** base × rate, rounded once. */
  vat: Cents;
}

export interface InvoiceTotals {
  lines: ComputedLine[];
  perRate: RateTotal[];
  net: Cents;
  vat: Cents;
  total: Cents;
}

export class InvoiceMathError extends RangeError {
  override name = 'InvoiceMathError';
}

function assertQuantity(q: number, i: number): void {
  if (!Number.isSafeInteger(q)) throw new InvoiceMathError(`line #${i}: quantity must be an integer, got ${q}`);
}

function assertRate(rate: VatRate, i: number): void {
  if (!rate || typeof rate.key !== 'string' || !Number.isSafeInteger(rate.rateBp) || rate.rateBp < 0) {
    throw new InvoiceMathError(`line #${i}: invalid VAT rate ${JSON.stringify(rate)}`);
  }
}

function computeLine(line: InvoiceLineInput, index = 0): ComputedLine {
  assertRate(line.vatRate, index);
  const base = {
    description: line.description,
    vatRate: line.vatRate,
    ...(line.period ? { period: line.period } : {}),
  };
  if ('amountCents' in line) {
    assertCents(line.amountCents, `line #${index} amount`);
    return { ...base, quantity: null, unitPriceCents: null, unitPriceE4: null, net: line.amountCents };
  }
  assertQuantity(line.quantity, index);
  if ('unitPriceCents' in line) {
    assertCents(line.unitPriceCents, `line #${index} unit price`);
    return {
      ...base,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
      unitPriceE4: null,
      net: mulDivRoundHalfUp(line.quantity, line.unitPriceCents, 1),
    };
  }
  if (!Number.isSafeInteger(line.unitPriceE4))
    throw new InvoiceMathError(`line #${index}: unitPriceE4 must be an integer`);
  return {
    ...base,
    quantity: line.quantity,
    unitPriceCents: null,
    unitPriceE4: line.unitPriceE4,
    net: mulDivRoundHalfUp(line.quantity, line.unitPriceE4, 100),
  };
}

/** VAT of a base at a rate in basis points, rounded half away from zero. */
export function vatOf(base: Cents, rateBp: number): Cents {
  return mulDivRoundHalfUp(base, rateBp, 10_000);
}

export function computeInvoiceTotals(lines: readonly InvoiceLineInput[]): InvoiceTotals {
  const computed = lines.map((l, i) => computeLine(l, i));
  const groups = new Map<string, { rate: VatRate; nets: Cents[] }>();
  for (const l of computed) {
    const g = groups.get(l.vatRate.key);
    if (!g) {
      groups.set(l.vatRate.key, { rate: l.vatRate, nets: [l.net] });
    } else {
      if (g.rate.rateBp !== l.vatRate.rateBp || g.rate.category !== l.vatRate.category) {
        throw new InvoiceMathError(`VAT rate key ${l.vatRate.key} used with different rates`);
      }
      g.nets.push(l.net);
    }
  }
  const perRate: RateTotal[] = [...groups.values()]
    .map(({ rate, nets }) => {
      const base = sum(nets);
      return { rate, base, vat: vatOf(base, rate.rateBp) };
    })
    .sort((a, b) => b.rate.rateBp - a.rate.rateBp || (a.rate.key < b.rate.key ? -1 : a.rate.key > b.rate.key ? 1 : 0));
  const net = sum(perRate.map((r) => r.base));
  const vat = sum(perRate.map((r) => r.vat));
  return { lines: computed, perRate, net, vat, total: sum([net, vat]) };
}

/** The lines of a credit note cancelling `lines`: same lines with the quantity (or amount) negated. */
export function creditNoteLines(lines: readonly InvoiceLineInput[]): InvoiceLineInput[] {
  return lines.map((l) => {
    if ('amountCents' in l) return { ...l, amountCents: l.amountCents === 0 ? 0 : -l.amountCents };
    return { ...l, quantity: l.quantity === 0 ? 0 : -l.quantity };
  });
}
