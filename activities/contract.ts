// The contract's clocks' activities (see docs/contract.md), built from their dependencies and
// composed into one object: the state of the contract and the acts on the account workflow
// (contract-state.ts), notices and evidence (contract-notices.ts), the data at the end
// (contract-data.ts). Activity names are recorded in workflow histories: never rename one.
import { createContractDataActivities } from './contract-data';
import { createContractNoticeActivities, type ContractActivityDeps } from './contract-notices';
import { createContractStateActivities } from './contract-state';

export function createContractActivities(deps: ContractActivityDeps) {
  return {
    ...createContractStateActivities(deps),
    ...createContractNoticeActivities(deps),
    ...createContractDataActivities(deps),
  };
}

export type ContractActivities = ReturnType<typeof createContractActivities>;
