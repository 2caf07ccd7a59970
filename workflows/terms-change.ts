// 3.3 — Terms change (id `terms-change:<version>:<accountId>`): the account is e-mailed the new
// version (evidence); the version binds the account 1 month (the policy of the version in force
// for it) after the notification was sent; until then the old version applies. The User may
// terminate under 3.2 i meanwhile (the subscription-term clock handles that notice).
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { termsBindingAt } from '../domain/contract-clocks';
import { durationWords } from '../domain/duration-wording';
import { clockStateQuery, contractTerminated, type ClockState } from './messages';
import { acts, deadline, iso, nowDate, raceDeadline, searchAttributes } from './clock-support';

export interface TermsChangeInput {
  accountId: string;
  version: string;
}

const CLAUSE = '3.3';
const KIND = 'terms_change_binding';

export async function termsChangeWorkflow({ accountId, version }: TermsChangeInput): Promise<ClockState> {
  const workflowId = workflowInfo().workflowId;
  const contract = await acts.loadContract({ accountId });
  let state = 'notifying';
  let sentAt: Date | null = null;
  let bindAt: Date | null = null;
  let terminated = false;
  const view = (): ClockState => ({
    kind: 'terms_change',
    accountId,
    state,
    nextDeadline: state === 'notified' ? iso(bindAt) : null,
    details: { version, previousVersion: contract.termsVersion, notifiedAt: iso(sentAt), bindsAt: iso(bindAt) },
  });
  setHandler(clockStateQuery, view);
  setHandler(contractTerminated, () => {
    terminated = true;
  });
  if (contract.status === 'terminated' || contract.termsVersion === version) {
    state = contract.status === 'terminated' ? 'account_terminated' : 'already_bound';
    return view();
  }
  searchAttributes({ accountId, caseKind: 'terms_change', state, next: null });
  await acts.sendContractNotice({
    key: `terms-change:${version}:${accountId}`,
    accountId,
    kind: 'terms_change',
    clause: CLAUSE,
    subject: `New terms of service (version ${version})`,
    text:
      `Our terms of service change: version ${version} replaces version ${contract.termsVersion}. Under article 3.3` +
      ` it applies to your account ${durationWords(contract.policy.termsChangeTakesEffect)} after this notification; ` +
      `until then version ${contract.termsVersion} applies. You may terminate under article 3.2 (i).`,
    payload: { version, previousVersion: contract.termsVersion },
  });
  sentAt = nowDate();
  bindAt = termsBindingAt(sentAt, contract.policy);
  state = 'notified';
  searchAttributes({ accountId, caseKind: 'terms_change', state, next: bindAt });
  await deadline({ workflowId, kind: KIND, subject: version, accountId, clause: CLAUSE, dueAt: bindAt, state: 'open' });

  await raceDeadline(() => terminated, bindAt);
  const current = terminated ? null : await acts.loadContract({ accountId });
  if (!current || current.status === 'terminated') {
    state = 'account_terminated';
    await deadline({
      workflowId,
      kind: KIND,
      subject: version,
      accountId,
      clause: CLAUSE,
      dueAt: bindAt,
      state: 'closed',
      outcome: 'account_terminated',
    });
  } else {
    await acts.bindTermsVersion({ accountId, version, key: `terms-bound:${version}:${accountId}` });
    state = 'bound';
    await deadline({
      workflowId,
      kind: KIND,
      subject: version,
      accountId,
      clause: CLAUSE,
      dueAt: bindAt,
      state: 'closed',
      outcome: 'bound',
    });
  }
  searchAttributes({ accountId, caseKind: 'terms_change', state, next: null });
  return view();
}
