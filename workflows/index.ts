// Every workflow the lifecycle worker runs.
export { accountLifecycleWorkflow } from './account';
