// Subscription (ToS 7.1.1) and Pack (7.1.2) billing rules. No I/O, no Node built-ins.
//
// Written-down rules:
// - Annual periods. Annual period k of a subscription starts at addCalendarYears(effectiveAt, k)
//   and ends (exclusive) where period k+1 starts.
// - Billing months. Month i (0…11) of an annual period starts at
//   addCalendarMonths(annualPeriodStart, i), always computed from the period start, never chained
//   from the previous month: 31 January → 28 (29) February → 31 March → 30 April … Same Paris
//   wall-clock time, day clamped to the month's end (calendar.ts). Month 11 ends where the next
//   annual period starts, so 12 months tile the period exactly.
// - Monthly invoice, issued at the start of each billing month: the monthly fee (1/12 of the
//   annual fixed price) and the month's prepaid services, both in advance, plus the previous
//   month's overage in arrears. Zero-amount lines are left out.
// - Prepaid balance: available = carried in + prepaid of the month; consumption is charged
//   against it; beyond it is overage (billed at list price next month); what is left is carried
//   to the next month, indefinitely, and never refunded.
// - Early end (any reason, 7.1.1): no refund; the monthly fees of the months of the current
//   annual period that have not been invoiced are owed. A month has been invoiced iff it started
//   while the contract was in force: start < endAt. So an end during month 5 (i = 4) owes months
//   6…12 = 7 fees; an end exactly at the start of month 6 also owes 7; an end at the period's end
//   owes nothing. Only fees: prepaid services of months not begun are not owed.
// - Pack: the price is invoiced at purchase. An Order is charged within the remaining balance:
//   accepted whole if it fits, otherwise refused ('insufficient_balance') unless the User asked
//   for partial acceptance, in which case the largest quantity that fits is accepted.
import { addCalendarMonths, addCalendarYears, parisDate } from './calendar';
import { assertCents, mulDivRoundHalfUp, sum, type Cents, type PriceE4 } from './money';
import type { InvoiceLineInput } from './invoice-math';
import type { VatRate } from './vat';

export interface SubscriptionPlan {
  /** 1/12 of the annual fixed price, excl. VAT. */
  monthlyFeeCents: Cents;
  /** Services prepaid each month, excl. VAT. */
  monthlyPrepaidCents: Cents;
}

export interface Period {
  start: Date;
  /** Exclusive. */
  end: Date;
}

export interface BillingMonth extends Period {
  annualPeriodIndex: number;
  /** 0 … 11 within the annual period. */
  monthIndex: number;
}

export interface AnnualPeriod extends Period {
  index: number;
  months: BillingMonth[];
}

export type BillingLineKind = 'subscription_fee' | 'prepaid_services' | 'overage' | 'early_end_fees' | 'pack';

/** A billable line before VAT is attached (see toInvoiceLines). */
export interface BillingLine {
  kind: BillingLineKind;
  description: string;
  quantity: number;
  unitPriceCents: Cents;
  period?: Period;
}

export class BillingCycleError extends RangeError {
  override name = 'BillingCycleError';
}

function assertInstant(d: Date, label: string): void {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new BillingCycleError(`${label} must be a valid Date`);
}

function assertPlan(plan: SubscriptionPlan): void {
  assertCents(plan.monthlyFeeCents, 'monthlyFeeCents');
  assertCents(plan.monthlyPrepaidCents, 'monthlyPrepaidCents');
  if (plan.monthlyFeeCents < 0 || plan.monthlyPrepaidCents < 0) throw new BillingCycleError('plan amounts must not be negative');
}

function frDate(d: Date): string {
  const [y, m, day] = parisDate(d).split('-');
  return `${day}/${m}/${y}`;
}

/** "du 31/01/2026 au 27/02/2026": the last Paris day before the exclusive end. */
function periodText(p: Period): string {
  return `du ${frDate(p.start)} au ${frDate(new Date(p.end.getTime() - 1))}`;
}

/** The 12 billing months of the annual period starting at `annualPeriodStart`. */
export function monthsOfAnnualPeriod(annualPeriodStart: Date, annualPeriodIndex = 0): BillingMonth[] {
  assertInstant(annualPeriodStart, 'annualPeriodStart');
  return Array.from({ length: 12 }, (_, i) => ({
    annualPeriodIndex,
    monthIndex: i,
    start: addCalendarMonths(annualPeriodStart, i),
    end: addCalendarMonths(annualPeriodStart, i + 1),
  }));
}

/** Annual period k (0 = the first) of a subscription that took effect at `effectiveAt`. */
export function annualPeriod(effectiveAt: Date, index: number): AnnualPeriod {
  assertInstant(effectiveAt, 'effectiveAt');
  if (!Number.isSafeInteger(index) || index < 0) throw new BillingCycleError(`annual period index must be >= 0, got ${index}`);
  const start = addCalendarYears(effectiveAt, index);
  return { index, start, end: addCalendarYears(effectiveAt, index + 1), months: monthsOfAnnualPeriod(start, index) };
}

/** The annual period containing `at` (at >= effectiveAt). */
export function annualPeriodAt(effectiveAt: Date, at: Date): AnnualPeriod {
  assertInstant(effectiveAt, 'effectiveAt');
  assertInstant(at, 'at');
  if (at.getTime() < effectiveAt.getTime()) throw new BillingCycleError('instant before the effective date');
  let k = Math.max(0, Number(parisDate(at).slice(0, 4)) - Number(parisDate(effectiveAt).slice(0, 4)) - 1);
  while (addCalendarYears(effectiveAt, k + 1).getTime() <= at.getTime()) k++;
  return annualPeriod(effectiveAt, k);
}

/** Billing months n = 0 … count-1 counted from the effective date, across renewals. */
export function billingMonths(effectiveAt: Date, count: number): BillingMonth[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new BillingCycleError(`count must be >= 0, got ${count}`);
  const out: BillingMonth[] = [];
  for (let k = 0; out.length < count; k++) out.push(...annualPeriod(effectiveAt, k).months.slice(0, count - out.length));
  return out;
}

export interface MonthlyInvoiceInput {
  plan: SubscriptionPlan;
  periodStart: Date;
  periodEnd: Date;
  /** Services consumed beyond the available prepaid balance during the previous month. */
  overagePreviousMonthCents: Cents;
}

export function monthlyInvoiceLines({ plan, periodStart, periodEnd, overagePreviousMonthCents }: MonthlyInvoiceInput): BillingLine[] {
  assertPlan(plan);
  assertInstant(periodStart, 'periodStart');
  assertInstant(periodEnd, 'periodEnd');
  if (periodEnd.getTime() <= periodStart.getTime()) throw new BillingCycleError('periodEnd must be after periodStart');
  assertCents(overagePreviousMonthCents, 'overagePreviousMonthCents');
  if (overagePreviousMonthCents < 0) throw new BillingCycleError('overage must not be negative');
  const period = { start: periodStart, end: periodEnd };
  const lines: BillingLine[] = [];
  if (plan.monthlyFeeCents > 0) {
    lines.push({
      kind: 'subscription_fee',
      description: `Abonnement — mensualité ${periodText(period)}`,
      quantity: 1,
      unitPriceCents: plan.monthlyFeeCents,
      period,
    });
  }
  if (plan.monthlyPrepaidCents > 0) {
    lines.push({
      kind: 'prepaid_services',
      description: `Services prépayés ${periodText(period)}`,
      quantity: 1,
      unitPriceCents: plan.monthlyPrepaidCents,
      period,
    });
  }
  if (overagePreviousMonthCents > 0) {
    lines.push({
      kind: 'overage',
      description: 'Services consommés au-delà du montant prépayé — mois précédent',
      quantity: 1,
      unitPriceCents: overagePreviousMonthCents,
    });
  }
  return lines;
}

export interface PrepaidMonthInput {
  /** Balance carried from the previous month. */
  carriedInCents: Cents;
  /** The month's prepaid services. */
  prepaidCents: Cents;
  /** Services consumed during the month (sum of the month's Orders). */
  consumedCents: Cents;
}

export interface PrepaidMonthSettlement {
  availableCents: Cents;
  /** Part of the consumption covered by the balance. */
  coveredCents: Cents;
  /** Billed with next month's invoice. */
  overageCents: Cents;
  /** Carried to the next month, never refunded. */
  carriedOutCents: Cents;
}

export function settlePrepaidMonth({ carriedInCents, prepaidCents, consumedCents }: PrepaidMonthInput): PrepaidMonthSettlement {
  for (const [label, v] of [['carriedInCents', carriedInCents], ['prepaidCents', prepaidCents], ['consumedCents', consumedCents]] as const) {
    assertCents(v, label);
    if (v < 0) throw new BillingCycleError(`${label} must not be negative`);
  }
  const availableCents = sum([carriedInCents, prepaidCents]);
  const coveredCents = Math.min(availableCents, consumedCents);
  return {
    availableCents,
    coveredCents,
    overageCents: consumedCents - coveredCents,
    carriedOutCents: availableCents - coveredCents,
  };
}

export interface EarlyEndInput {
  plan: SubscriptionPlan;
  /** Start of the annual period in force (annualPeriod(effectiveAt, k).start). */
  annualPeriodStart: Date;
  /** When the contract ends: annualPeriodStart < endAt <= end of that annual period. */
  endAt: Date;
}

/** The months of the annual period not invoiced at `endAt` (start >= endAt). */
export function monthsNotInvoiced(annualPeriodStart: Date, endAt: Date): BillingMonth[] {
  assertInstant(endAt, 'endAt');
  const months = monthsOfAnnualPeriod(annualPeriodStart);
  const periodEnd = months[11].end;
  if (endAt.getTime() <= annualPeriodStart.getTime() || endAt.getTime() > periodEnd.getTime()) {
    throw new BillingCycleError(
      `endAt ${endAt.toISOString()} is not within the annual period ${annualPeriodStart.toISOString()} – ${periodEnd.toISOString()}`,
    );
  }
  return months.filter((m) => m.start.getTime() >= endAt.getTime());
}

/** Early-end invoice lines: the remaining monthly fees of the current annual period; no refund. */
export function earlyEndLines({ plan, annualPeriodStart, endAt }: EarlyEndInput): BillingLine[] {
  assertPlan(plan);
  const remaining = monthsNotInvoiced(annualPeriodStart, endAt);
  if (remaining.length === 0 || plan.monthlyFeeCents === 0) return [];
  const period = { start: remaining[0].start, end: remaining[remaining.length - 1].end };
  return [
    {
      kind: 'early_end_fees',
      description: `Abonnement — fin anticipée : mensualités restantes de la période annuelle (${remaining.length} mois, ${periodText(period)})`,
      quantity: remaining.length,
      unitPriceCents: plan.monthlyFeeCents,
      period,
    },
  ];
}

// ---- Pack (7.1.2) ---------------------------------------------------------------------------

export interface Pack {
  name: string;
  priceCents: Cents;
}

export function packPurchaseLines(pack: Pack): BillingLine[] {
  assertCents(pack.priceCents, 'pack price');
  if (pack.priceCents < 0) throw new BillingCycleError('pack price must not be negative');
  return [{ kind: 'pack', description: `Pack ${pack.name}`, quantity: 1, unitPriceCents: pack.priceCents }];
}

export interface ChargeRequest {
  quantity: number;
  unitPriceE4: PriceE4;
}

export type ChargeDecision =
  | { outcome: 'accepted'; quantity: number; amountE4: PriceE4 }
  | { outcome: 'partial'; quantity: number; amountE4: PriceE4; requestedQuantity: number }
  | { outcome: 'refused'; reason: 'insufficient_balance'; requiredE4: PriceE4; balanceE4: PriceE4 };

/**
 * Can an Order of `quantity` units at `unitPriceE4` be charged on a Pack balance? Both in e4,
 * the ledger's unit (docs/billing.md): the Order amount is exactly quantity × price, never
 * rounded to a free or dearer cent. Partial: the largest q with q × p <= balance.
 */
export function canCharge(balanceE4: PriceE4, request: ChargeRequest, allowPartial: boolean): ChargeDecision {
  if (!Number.isSafeInteger(balanceE4) || balanceE4 < 0) throw new BillingCycleError('balance must be a non-negative integer e4');
  const { quantity, unitPriceE4 } = request;
  if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new BillingCycleError(`quantity must be a positive integer, got ${quantity}`);
  if (!Number.isSafeInteger(unitPriceE4) || unitPriceE4 < 0) throw new BillingCycleError('unitPriceE4 must be a non-negative integer');
  const requiredE4 = mulDivRoundHalfUp(quantity, unitPriceE4, 1); // exact; throws beyond 2^53
  if (requiredE4 <= balanceE4) return { outcome: 'accepted', quantity, amountE4: requiredE4 };
  if (allowPartial && balanceE4 > 0) {
    const q = Math.floor(balanceE4 / unitPriceE4); // unitPriceE4 > 0 here: 0 would be accepted
    if (q > 0) return { outcome: 'partial', quantity: q, amountE4: q * unitPriceE4, requestedQuantity: quantity };
  }
  return { outcome: 'refused', reason: 'insufficient_balance', requiredE4, balanceE4 };
}

/** Attaches the invoice's VAT rate to billing lines. */
export function toInvoiceLines(lines: readonly BillingLine[], vatRate: VatRate): InvoiceLineInput[] {
  return lines.map((l) => ({
    description: l.description,
    quantity: l.quantity,
    unitPriceCents: l.unitPriceCents,
    vatRate,
    ...(l.period ? { period: l.period } : {}),
  }));
}
