// Which unpaid invoices suspend the account (ToS 7.3). No I/O, no Node built-ins: the invoice
// workflow imports this module.
//
// 7.3 suspends "in the event that payment is not made before the Service is provided": the delay
// in paying for a Service provided. A Pack purchase invoice pays for nothing provided yet — the
// Pack is credited only once its invoice is paid (7.1.2) — so leaving it unpaid gives nothing to
// suspend for, and no late-payment penalty either: the account keeps using the balance it has
// paid for, and the unpaid Pack is simply never credited. Every other invoice (the month's
// Subscription invoice, the early-end fees, a staff manual invoice, a penalty invoice) is for
// Services provided or owed and suspends from the instant after its due instant until paid.

/** Invoice purposes whose late payment never suspends (nor bears a penalty). */
const NOT_FOR_A_SERVICE_PROVIDED: ReadonlySet<string> = new Set(['pack']);

/** True when an invoice of this purpose, unpaid past its due instant, suspends the account (7.3). */
export function invoiceMaySuspend(purpose: string): boolean {
  return !NOT_FOR_A_SERVICE_PROVIDED.has(purpose);
}
