// Workflow ids are business keys (docs/ARCHITECTURE.md): starting twice is harmless (reuse policy
// REJECT_DUPLICATE). Every id is spelled here once. Pure and workflow-safe: workflows compute child
// and external ids with it, and lib/workflow-clients/ re-exports each with its workflow's client.

export const accountWorkflowId = (accountId: string) => `account:${accountId}`;
export const subscriptionTermWorkflowId = (accountId: string) => `subscription-term:${accountId}`;
export const packValidityWorkflowId = (accountId: string) => `pack-validity:${accountId}`;
export const termsChangeWorkflowId = (version: string, accountId: string) => `terms-change:${version}:${accountId}`;
export const terminationWorkflowId = (accountId: string) => `termination:${accountId}`;
export const formalNoticeWorkflowId = (caseId: string) => `formal-notice:${caseId}`;
export const forceMajeureWorkflowId = (caseId: string) => `force-majeure:${caseId}`;
export const dataBreachWorkflowId = (caseId: string) => `data-breach:${caseId}`;
export const maintenanceWorkflowId = (windowId: string) => `maintenance:${windowId}`;
export const invoiceWorkflowId = (invoiceId: string) => `invoice:${invoiceId}`;
export const subscriptionBillingWorkflowId = (accountId: string) => `subscription-billing:${accountId}`;
export const campaignWorkflowId = (orderId: string) => `campaign:${orderId}`;
/** One per channel, for the whole platform. */
export const statusReconciliationWorkflowId = (channel: 'sms' | 'email') => `status-reconciliation:${channel}`;
/** One per single-send lane (its task queue) and channel. */
export const singleDispatchWorkflowId = (lane: string, channel: 'sms' | 'email') =>
  `single-dispatch:${lane}:${channel}`;
/** One per webhook endpoint and generation (enabling a disabled endpoint starts a new dispatcher). */
export const webhookDispatchWorkflowId = (endpointId: string, generation: number) =>
  `webhook-dispatch:${endpointId}:${generation}`;

// Cases decided by staff without a workflow of their own keep an id of the same shape in
// contract_cases.workflow_id (the deadlines register and the case view key on it).
export const prohibitedUseCaseWorkflowId = (caseId: string) => `prohibited-use:${caseId}`;
export const complaintCaseWorkflowId = (orderId: string) => `complaint-rate:${orderId}`;

/** The inverse: the kind of a workflow id (its prefix, e.g. `subscription-term`) and its business key. */
export function parseWorkflowId(workflowId: string): { kind: string; key: string } {
  const at = workflowId.indexOf(':');
  return at < 0 ? { kind: workflowId, key: '' } : { kind: workflowId.slice(0, at), key: workflowId.slice(at + 1) };
}
