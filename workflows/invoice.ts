// The life of one invoice (id `invoice:<invoiceId>`, ToS 7.3):
// - payment is due at `dueAt` (issue + the terms' paymentDue); unpaid past it, the account is
//   suspended at once, without notice (suspension {late_payment, invoiceId} on `account:<id>`),
//   and restored when the invoice is fully paid — only an invoice for a Service provided
//   (domain/invoice-suspension.ts): an unpaid Pack purchase suspends nothing;
// - the dispute window runs until `disputeDeadline` (lib/invoices.ts: the policy's invoiceDispute
//   after the invoice was made available, 15 calendar days in 2026-01); a dispute at or after it
//   is refused: the invoice is deemed accepted. The window is in the deadlines register (kind
//   invoice_dispute, clause 7.3);
// - once a late invoice is paid, its penalty invoice (interest at 3 × the legal rate per
//   semester + the 40 € indemnity) is issued; a legal rate missing from the table is recorded
//   as a configuration error and retried daily, never a silent zero. Penalty invoices bear no
//   further penalty.
// Payments reach the workflow as a signal; the workflow re-reads what is due from Postgres.
import {
  allHandlersFinished,
  condition,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { isDeemedAccepted } from '../domain/dispute-window';
import { invoiceMaySuspend } from '../domain/invoice-suspension';
import type { BillingActivities } from '../activities/billing';
import type { DeadlineActivities } from '../activities/deadlines';
import {
  fileDisputeUpdate,
  invoiceStateQuery,
  paymentRecordedSignal,
  type InvoiceWorkflowInput,
  type InvoiceWorkflowState,
} from './billing-messages';
import { invoiceWorkflowId } from './ids';
import { SA } from './search-attributes';

const acts = proxyActivities<BillingActivities & DeadlineActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '5 minutes' },
});

/** Retry interval after a configuration error (legal rate missing). */
export const PENALTY_RETRY_MS = 24 * 3600 * 1000;

export async function startInvoiceChild(inv: InvoiceWorkflowInput): Promise<void> {
  try {
    await startChild(invoiceWorkflow, {
      workflowId: invoiceWorkflowId(inv.invoiceId),
      args: [inv],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: SA.AccountId, value: inv.accountId },
        { key: SA.CaseKind, value: 'invoice' },
      ],
    });
  } catch (err) {
    // Already started (a re-run of the same billing step): the invoice has its workflow.
    if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
  }
}

export async function invoiceWorkflow(input: InvoiceWorkflowInput): Promise<InvoiceWorkflowState> {
  const dueAt = Date.parse(input.dueAt);
  const deadline = Date.parse(input.disputeDeadline);
  const workflowId = workflowInfo().workflowId;
  const state: InvoiceWorkflowState = {
    invoiceId: input.invoiceId,
    paid: false,
    late: false,
    suspended: false,
    disputeWindow: 'open',
    disputes: 0,
    penalty: 'not_applicable',
    penaltyInvoiceId: null,
    configError: null,
  };
  let paymentSignalled = false;
  let retryPenaltyAt: number | null = null;

  setHandler(invoiceStateQuery, () => state);
  setHandler(paymentRecordedSignal, () => {
    paymentSignalled = true;
  });
  setHandler(fileDisputeUpdate, async ({ reason, by }) => {
    // The workflow clock decides: at or after the deadline the invoice is deemed accepted.
    if (isDeemedAccepted(new Date(deadline), new Date())) {
      return { accepted: false, refused: 'deemed_accepted', deadline: input.disputeDeadline };
    }
    const disputeId = uuid4();
    state.disputes += 1;
    await acts.recordInvoiceDispute({
      disputeId,
      invoiceId: input.invoiceId,
      accountId: input.accountId,
      reason,
      by: { ...by },
      filedAt: new Date().toISOString(),
    });
    return { accepted: true, disputeId, deadline: input.disputeDeadline };
  });

  upsertSearchAttributes([
    { key: SA.AccountId, value: input.accountId },
    { key: SA.CaseKind, value: 'invoice' },
  ]);
  await acts.recordDeadline({
    workflowId,
    kind: 'invoice_dispute',
    accountId: input.accountId,
    clause: '7.3',
    dueAt: input.disputeDeadline,
    state: 'open',
  });

  const refresh = async () => {
    const st = await acts.invoicePaymentState(input.invoiceId);
    state.paid = st.outstandingCents === 0;
  };
  await refresh();

  for (;;) {
    if (paymentSignalled) {
      paymentSignalled = false;
      await refresh();
    }
    const now = Date.now();
    if (!state.paid && !state.late && now > dueAt) {
      state.late = true;
      // 7.3 suspends for a Service provided (no penalty either otherwise); runs recorded before
      // the patch suspended for any invoice.
      if (invoiceMaySuspend(input.purpose) || !patched('invoice-suspends-only-for-services')) {
        if (input.purpose !== 'penalty') state.penalty = 'pending';
        await acts.suspendForLatePayment({
          accountId: input.accountId,
          invoiceId: input.invoiceId,
          number: input.number,
        });
        state.suspended = true;
      }
    }
    if (state.paid && state.suspended) {
      await acts.liftLatePaymentSuspension({ accountId: input.accountId, invoiceId: input.invoiceId });
      state.suspended = false;
    }
    if (state.disputeWindow === 'open' && isDeemedAccepted(new Date(deadline), new Date(now))) {
      state.disputeWindow = 'closed';
      await acts.recordDeadline({
        workflowId,
        kind: 'invoice_dispute',
        accountId: input.accountId,
        clause: '7.3',
        dueAt: input.disputeDeadline,
        state: 'closed',
        outcome: state.disputes > 0 ? 'disputed' : 'deemed_accepted',
      });
    }
    if (state.paid && state.penalty === 'pending' && (retryPenaltyAt === null || now >= retryPenaltyAt)) {
      const r = await acts.issueLatePenaltyInvoice({
        invoiceId: input.invoiceId,
        issuedAt: new Date(now).toISOString(),
      });
      if (r.status === 'rate_missing') {
        state.configError = { code: 'legal_rate_missing', detail: r.detail, at: new Date(now).toISOString() };
        retryPenaltyAt = now + PENALTY_RETRY_MS;
      } else {
        state.configError = null;
        retryPenaltyAt = null;
        if (r.status === 'issued') {
          state.penalty = 'issued';
          state.penaltyInvoiceId = r.penaltyInvoice.invoiceId;
          await startInvoiceChild(r.penaltyInvoice);
        } else {
          state.penalty = 'none_due';
        }
      }
    }
    if (state.paid && state.disputeWindow === 'closed' && state.penalty !== 'pending') break;

    const waits: number[] = [];
    if (!state.paid && !state.late) waits.push(dueAt + 1); // late is strictly after the due instant
    if (state.disputeWindow === 'open') waits.push(deadline);
    if (state.paid && state.penalty === 'pending' && retryPenaltyAt !== null) waits.push(retryPenaltyAt);
    const next = waits.length ? Math.min(...waits) : null;
    upsertSearchAttributes([{ key: SA.NextDeadline, value: next === null ? null : new Date(next) }]);
    if (next === null) await condition(() => paymentSignalled);
    else await condition(() => paymentSignalled, Math.max(1, next - Date.now()));
  }
  await condition(allHandlersFinished);
  return state;
}
