// Every workflow the lifecycle worker runs.
export { accountLifecycleWorkflow } from './account';
export { subscriptionTermWorkflow } from './subscription-term';
export { packValidityWorkflow } from './pack-validity';
export { termsChangeWorkflow } from './terms-change';
export { formalNoticeWorkflow } from './formal-notice';
export { terminationWorkflow } from './termination';
export { forceMajeureWorkflow } from './force-majeure';
export { dataBreachWorkflow } from './data-breach';
export { maintenanceWorkflow } from './maintenance';
export { invoiceWorkflow } from './invoice';
export { subscriptionBillingWorkflow } from './subscription-billing';
export { campaignWorkflow } from './campaign';
export { statusReconciliationWorkflow } from './status-reconciliation';
export { singleDispatchWorkflow } from './single-dispatch';
export { webhookDispatchWorkflow } from './webhook-dispatch';
