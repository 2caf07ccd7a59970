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
//   against it; beyond it is overage (billed at list price next month: chargeOnBalance); what is
//   left is carried to the next month, indefinitely, and never refunded (lib/ledger.ts carryOver
//   at each month close).
// - Early end (any reason, 7.1.1): no refund; the monthly fees of the months of the current
//   annual period that have not been invoiced are owed. A month has been invoiced iff it started
//   while the contract was in force: start < endAt. So an end during month 5 (i = 4) owes months
//   6…12 = 7 fees; an end exactly at the start of month 6 also owes 7; an end at the period's end
//   owes nothing. Only fees: prepaid services of months not begun are not owed.
// - Pack: the price is invoiced at purchase (packPurchaseLines). An Order is charged within the
//   remaining balance: accepted whole if it fits, otherwise refused ('insufficient_balance')
//   unless the User asked for partial acceptance, in which case the whole balance is reserved
//   (chargeOnBalance; the send path then consumes what reached the carrier).
import { addCalendarMonths, addCalendarYears, parisDate } from './calendar';
import { assertCents, type Cents, type PriceE4 } from './money';

export interface SubscriptionPlan {
  /** 1/12 of the annual fixed price, excl. VAT. */
  monthlyFeeCents: Cents;
  /** Services prepaid each month, excl. VAT. */
  monthlyPrepaidCents: Cents;
}

interface Period {
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

type BillingLineKind = 'subscription_fee' | 'prepaid_services' | 'overage' | 'early_end_fees' | 'pack';

/** A billable line before VAT is attached (see draftLines). */
export interface BillingLine {
  kind: BillingLineKind;
  description: string;
  quantity: number;
  unitPriceCents: Cents;
  period?: Period;
}

export interface DraftBillingLine {
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
  if (plan.monthlyFeeCents < 0 || plan.monthlyPrepaidCents < 0)
    throw new BillingCycleError('plan amounts must not be negative');
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
  if (!Number.isSafeInteger(index) || index < 0)
    throw new BillingCycleError(`annual period index must be >= 0, got ${index}`);
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
  for (let k = 0; out.length < count; k++)
    out.push(...annualPeriod(effectiveAt, k).months.slice(0, count - out.length));
  return out;
}

export interface MonthlyInvoiceInput {
  plan: SubscriptionPlan;
  periodStart: Date;
  periodEnd: Date;
  /** Services consumed beyond the available prepaid balance during the previous month. */
  overagePreviousMonthCents: Cents;
}

export function monthlyInvoiceLines({
  plan,
  periodStart,
  periodEnd,
  overagePreviousMonthCents,
}: MonthlyInvoiceInput): BillingLine[] {
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

export type ReservationDecision =
  | { outcome: 'reserved'; fromBalanceE4: PriceE4; overageE4: PriceE4 }
  | { outcome: 'refused'; reason: 'insufficient_balance'; availableE4: PriceE4; requestedE4: PriceE4 };

/**
 * How an Order of `amountE4` is charged on the available balance, in e4 (the ledger's unit: the
 * amount is exact, never rounded to a free or dearer cent). lib/ledger.ts reserveFunds decides
 * here. Whole from the balance when it fits. Beyond it: a Subscription reserves the balance and
 * the rest as overage, billed at list price next month (7.1.1); a Pack refuses the Order, each
 * being charged "within the limit of the Pack" (7.1.2), unless partial acceptance was asked and
 * some balance is left: then the whole balance is reserved (a priced Order is never free).
 */
export function chargeOnBalance(
  formula: 'subscription' | 'pack',
  availableE4: PriceE4,
  amountE4: PriceE4,
  allowPartial: boolean,
): ReservationDecision {
  if (!Number.isSafeInteger(availableE4) || availableE4 < 0)
    throw new BillingCycleError('balance must be a non-negative integer e4');
  if (!Number.isSafeInteger(amountE4) || amountE4 < 0)
    throw new BillingCycleError('amount must be a non-negative integer e4');
  if (amountE4 <= availableE4) return { outcome: 'reserved', fromBalanceE4: amountE4, overageE4: 0 };
  if (formula === 'subscription')
    return { outcome: 'reserved', fromBalanceE4: availableE4, overageE4: amountE4 - availableE4 };
  if (allowPartial && availableE4 > 0) return { outcome: 'reserved', fromBalanceE4: availableE4, overageE4: 0 };
  return { outcome: 'refused', reason: 'insufficient_balance', availableE4, requestedE4: amountE4 };
}

/** Billing lines as invoice lines to issue (lib/invoices.ts issueInvoice attaches the VAT). */
export function draftLines(lines: readonly BillingLine[]): DraftBillingLine[] {
  return lines.map((l) => ({
    description: l.description,
    quantity: l.quantity,
    unitPriceCents: l.unitPriceCents,
    ...(l.period ? { period: l.period } : {}),
  }));
}
