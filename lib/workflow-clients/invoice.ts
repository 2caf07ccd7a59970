// Client of an invoice's workflow (workflows/invoice.ts, id `invoice:<invoiceId>`, 7.3): started
// for an invoice issued outside a workflow (a Pack purchase; the billing workflows start their
// invoices as children); takes disputes (update) and hears of payments (signal).
import type { Client, WorkflowHandle } from '@temporalio/client';
import { invoiceWorkflow } from '../../workflows/invoice';
import { invoiceWorkflowId } from '../../workflows/ids';
import {
  fileDisputeUpdate,
  paymentRecordedSignal,
  type DisputeInput,
  type DisputeResult,
  type InvoiceWorkflowInput,
} from '../../workflows/billing-messages';
import { SA } from '../../workflows/search-attributes';
import type { InvoiceView } from '../invoices-documents';
import { startOnce, type Started, type WorkflowClientDeps } from './start-once';

export { invoiceWorkflowId };

/** The workflow input of an issued invoice: one builder for every start, child or not. */
export function invoiceWorkflowInput(inv: InvoiceView): InvoiceWorkflowInput {
  return {
    invoiceId: inv.id,
    accountId: inv.accountId,
    number: inv.number,
    purpose: inv.purpose,
    issuedAt: inv.issuedAt,
    dueAt: inv.dueAt,
    disputeDeadline: inv.disputeDeadline ?? inv.issuedAt,
  };
}

/** Starts (idempotently) the workflow of an invoice issued outside a workflow (e.g. a Pack purchase). */
export function startInvoiceWorkflow(deps: WorkflowClientDeps, inv: InvoiceView): Promise<Started> {
  return startOnce(deps, invoiceWorkflow, {
    workflowId: invoiceWorkflowId(inv.id),
    args: [invoiceWorkflowInput(inv)],
    searchAttributes: [
      { key: SA.AccountId, value: inv.accountId },
      { key: SA.CaseKind, value: 'invoice' },
    ],
  });
}

const handle = (temporal: Client, invoiceId: string): WorkflowHandle<typeof invoiceWorkflow> =>
  temporal.workflow.getHandle<typeof invoiceWorkflow>(invoiceWorkflowId(invoiceId));

export const fileInvoiceDispute = (temporal: Client, invoiceId: string, d: DisputeInput): Promise<DisputeResult> =>
  handle(temporal, invoiceId).executeUpdate(fileDisputeUpdate, { args: [d] });
export const signalPaymentRecorded = (temporal: Client, invoiceId: string): Promise<void> =>
  handle(temporal, invoiceId).signal(paymentRecordedSignal);
