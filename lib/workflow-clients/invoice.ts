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
import type { Knex } from 'knex';
import { enqueueStart, type OutboxConfig, type PendingStart } from './outbox';

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

/** Writes, in the invoice's transaction, the start of an invoice issued outside a workflow (a Pack purchase). */
export function enqueueInvoiceWorkflow(trx: Knex, config: OutboxConfig, inv: InvoiceView): Promise<PendingStart> {
  return enqueueStart(trx, invoiceWorkflow, {
    taskQueue: config.LIFECYCLE_TASK_QUEUE,
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
