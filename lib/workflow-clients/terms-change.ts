// Client of a terms change for one account (workflows/terms-change.ts, id
// `terms-change:<version>:<accountId>`, 3.3): started by staff when a version is published.
import { termsChangeWorkflow, type TermsChangeInput } from '../../workflows/terms-change';
import { termsChangeWorkflowId } from '../../workflows/ids';
import { SA } from '../../workflows/search-attributes';
import { startOnce, type Started, type WorkflowClientDeps } from './start-once';

export function startTermsChange(deps: WorkflowClientDeps, input: TermsChangeInput): Promise<Started> {
  return startOnce(deps, termsChangeWorkflow, {
    workflowId: termsChangeWorkflowId(input.version, input.accountId),
    args: [input],
    searchAttributes: [
      { key: SA.AccountId, value: input.accountId },
      { key: SA.CaseKind, value: 'terms_change' },
      { key: SA.ContractState, value: 'notifying' },
    ],
  });
}
