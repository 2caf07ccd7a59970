// The account lifecycle (id `account:<accountId>`): holds the account's state — active, suspended
// (while at least one suspension holds), terminated — and projects it to Postgres, where the API
// reads it on the hot path. The workflow is the source of truth; the projection carries a
// version so that an older write can never overwrite a newer one. When the status changes, the
// account's started campaigns are told (patch `account-holds-campaigns`): a suspension holds them
// at once, its lift releases them, a termination cancels them (6.3.4, 7.3, 10.3).
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import type { AccountActivities } from '../activities/accounts';
import type { AccountCampaignActivities } from '../activities/account-campaigns';
import {
  AccountState,
  accountStateQuery,
  liftSuspension,
  suspendAccount,
  terminateAccount,
  termsVersionBound,
} from './messages';
import { packValidityWorkflowId, subscriptionTermWorkflowId } from './ids';
import { SA } from './search-attributes';

const acts = proxyActivities<AccountActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const campaigns = proxyActivities<AccountCampaignActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface AccountLifecycleInput {
  accountId: string;
  termsVersion: string;
  /** Carried across continue-as-new. */
  state?: AccountState;
  /**
   * When given (registration), the account's term clock is started as a child on the first
   * run: `subscription-term:<id>` (3.2 i) or `pack-validity:<id>` (3.2 ii). ABANDON: the clock
   * outlives this run's continue-as-new; its id makes a second start harmless.
   */
  contract?: { formula: 'subscription' | 'pack' };
}

export async function accountLifecycleWorkflow(input: AccountLifecycleInput): Promise<AccountState> {
  const state: AccountState = input.state ?? {
    accountId: input.accountId,
    status: 'active',
    suspensions: [],
    termsVersion: input.termsVersion,
    stateVersion: 0,
  };
  let pendingProjection = input.state === undefined; // first run: write the initial projection

  const changed = () => {
    state.status = state.terminatedAt ? 'terminated' : state.suspensions.length > 0 ? 'suspended' : 'active';
    state.stateVersion += 1;
    pendingProjection = true;
  };

  setHandler(accountStateQuery, () => state);
  // 3.3: a new terms version binds the account (the projection is written by the terms clock).
  setHandler(termsVersionBound, ({ version }) => {
    state.termsVersion = version;
  });

  setHandler(suspendAccount, async ({ kind, ref, reason, by }) => {
    if (!state.terminatedAt && !state.suspensions.some((s) => s.kind === kind && s.ref === ref)) {
      state.suspensions.push({ kind, ref, reason, since: new Date().toISOString() });
      changed();
      await project({ event: 'suspension', kind, ref, reason, by });
    }
    return state;
  });

  setHandler(liftSuspension, async ({ kind, ref, by }) => {
    const before = state.suspensions.length;
    state.suspensions = state.suspensions.filter((s) => !(s.kind === kind && s.ref === ref));
    if (state.suspensions.length !== before) {
      changed();
      await project({ event: 'suspension_lifted', kind, ref, by });
    }
    return state;
  });

  setHandler(terminateAccount, async ({ clause, reason, by }) => {
    if (!state.terminatedAt) {
      state.terminatedAt = new Date().toISOString();
      state.termination = { clause, reason };
      changed();
      await project({ event: 'termination', clause, reason, by });
    }
    return state;
  });

  // Projections from handlers run inside the handler; this one covers the first write.
  let toldCampaigns: AccountState['status'] = state.status;
  async function project(event?: Record<string, unknown>): Promise<void> {
    pendingProjection = false;
    upsertSearchAttributes([{ key: SA.ContractState, value: state.status }]);
    await acts.projectAccountState({ state: { ...state, suspensions: [...state.suspensions] }, event });
    // After the projection, so that a page reading the account row finds at least this version;
    // before the update answers, so that staff see the campaigns held when it returns.
    if (event && state.status !== toldCampaigns && patched('account-holds-campaigns')) {
      toldCampaigns = state.status;
      await campaigns.signalAccountCampaigns({
        accountId: state.accountId,
        state: {
          status: state.status,
          stateVersion: state.stateVersion,
          ...(state.termination ? { clause: state.termination.clause } : {}),
        },
      });
    }
  }

  if (pendingProjection) await project();

  if (input.state === undefined && input.contract) {
    const clock =
      input.contract.formula === 'pack'
        ? { type: 'packValidityWorkflow', id: packValidityWorkflowId(input.accountId), kind: 'pack_validity' }
        : {
            type: 'subscriptionTermWorkflow',
            id: subscriptionTermWorkflowId(input.accountId),
            kind: 'subscription_term',
          };
    try {
      await startChild(clock.type, {
        workflowId: clock.id,
        args: [{ accountId: input.accountId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: SA.AccountId, value: input.accountId },
          { key: SA.CaseKind, value: clock.kind },
          { key: SA.ContractState, value: 'running' },
        ],
      });
    } catch (err) {
      if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    }
  }

  await condition(() => state.status === 'terminated' || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  if (state.status === 'terminated') return state;
  return continueAsNew<typeof accountLifecycleWorkflow>({
    accountId: input.accountId,
    termsVersion: state.termsVersion,
    state,
  });
}
