// The contract's state: the account's contract as read by the clocks (terms version → policy,
// as data from terms_versions; 3.2 ii last use), the case projection, the terms version that
// binds (3.3), and the acts on the account workflow: suspension (6.3.4, 7.3, 10.3) and its lift,
// termination with its end-of-contract workflow (10.2, Annex 2.4). `suspendAccountNow` and
// `terminateAccountNow` are also what the staff routes call. Workflows pass the instants.
import { loadPolicy } from '../lib/terms';
import { lastOrderAt } from '../lib/orders';
import { suspensionNotice } from '../domain/suspension';
import {
  liftSuspensionOf,
  signalTermsVersionBound,
  suspendAccountOf,
  terminateAccountOf,
} from '../lib/workflow-clients/account';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import { enqueueTermination } from '../lib/workflow-clients/termination';
import type { TermsPolicy } from '../domain/terms-policy';
import type { Actor } from '../workflows/messages';
import { recordContractEvent, sendNotice, type ContractActivityDeps } from './contract-notices';

export interface ContractView {
  accountId: string;
  termsVersion: string;
  policy: TermsPolicy;
  effectiveDate: string;
  formula: 'subscription' | 'pack';
  status: 'active' | 'suspended' | 'terminated';
  dataDestroyed: boolean;
}

/**
 * Terminates the account (idempotent) and starts its end-of-contract workflow (10.2, Annex 2.4):
 * the account workflow's projection of the termination wrote that start in its transaction
 * (activities/accounts.ts); written again here (nothing if it is there), then relayed now.
 */
export async function terminateAccountNow(
  deps: Pick<ContractActivityDeps, 'db' | 'config' | 'temporal'>,
  t: { accountId: string; clause: string; reason: string; by: Actor },
): Promise<{ terminatedAt: string }> {
  const { db, temporal } = deps;
  const row = await db('accounts').where({ id: t.accountId }).first('status');
  if (!row) throw new Error(`no account ${t.accountId}`);
  let terminatedAt = new Date().toISOString();
  if (row.status !== 'terminated') {
    const state = await terminateAccountOf(temporal, t.accountId, { clause: t.clause, reason: t.reason, by: t.by });
    terminatedAt = state.terminatedAt ?? terminatedAt;
  }
  const start = await enqueueTermination(db, deps.config, { accountId: t.accountId, clause: t.clause, terminatedAt });
  await relayNow({ db, temporal }, start);
  return { terminatedAt };
}

export interface SuspensionInput {
  accountId: string;
  kind: string;
  ref: string;
  reason: string;
  by: Actor;
}

/** A notice is sent only for the kinds whose clause requires one (not 7.3's late payment). */
type SuspensionDeps = Pick<ContractActivityDeps, 'db' | 'temporal'> &
  Partial<Pick<ContractActivityDeps, 'config' | 'mailer'>>;

/**
 * Applies a suspension (6.3.4, 7.3, 10.3): every caller — staff routes, the invoice workflow's
 * late payment — suspends here. Nothing for a terminated account (its workflow has completed; an
 * amount owed stays owed); else the account workflow's update (idempotent per kind and ref), then
 * the information the clause requires (domain/suspension.ts), idempotent by key.
 */
export async function suspendAccountNow(deps: SuspensionDeps, s: SuspensionInput): Promise<{ applied: boolean }> {
  const { db, temporal } = deps;
  const row = await db('accounts').where({ id: s.accountId }).first('status');
  if (row?.status === 'terminated') return { applied: false };
  const { kind, ref, reason, by } = s;
  await suspendAccountOf(temporal, s.accountId, { kind, ref, reason, by });
  const notice = suspensionNotice(kind, reason);
  if (notice) {
    const { config, mailer } = deps;
    if (!config || !mailer)
      throw new Error(`a ${kind} suspension informs the User (${notice.clause}): mailer required`);
    await sendNotice(
      { db, config, mailer },
      {
        key: `suspension:${s.accountId}:${kind}:${ref}`,
        accountId: s.accountId,
        kind: 'suspension_information',
        clause: notice.clause,
        subject: notice.subject,
        text: notice.text,
        payload: { suspensionKind: kind, ref, reason },
      },
    );
  }
  return { applied: true };
}

export function createContractStateActivities(deps: ContractActivityDeps) {
  const { db, temporal } = deps;
  return {
    async loadContract({ accountId }: { accountId: string }): Promise<ContractView> {
      const a = await db('accounts')
        .where({ id: accountId })
        .first('id', 'terms_version', 'effective_date', 'formula', 'status', 'data_destroyed_at');
      if (!a) throw new Error(`no account ${accountId}`);
      return {
        accountId,
        termsVersion: a.terms_version,
        policy: await loadPolicy(db, a.terms_version),
        effectiveDate: new Date(a.effective_date).toISOString(),
        formula: a.formula,
        status: a.status,
        dataDestroyed: a.data_destroyed_at !== null,
      };
    },

    /** 3.2 ii: the last use of the Services read from Postgres (lib/orders.ts lastOrderAt), null before any. */
    async lastUseOfServices({ accountId }: { accountId: string }): Promise<{ lastUseAt: string | null }> {
      const at = await lastOrderAt(db, accountId);
      return { lastUseAt: at ? at.toISOString() : null };
    },

    async loadTermsPolicy({ version }: { version: string }): Promise<TermsPolicy> {
      return loadPolicy(db, version);
    },

    async updateCase({
      caseId,
      state,
      details,
      closed,
    }: {
      caseId: string;
      state: string;
      details?: Record<string, unknown>;
      closed?: boolean;
    }): Promise<void> {
      await db('contract_cases')
        .where({ id: caseId })
        .update({
          state,
          updated_at: db.fn.now(),
          ...(closed ? { closed_at: db.raw('coalesce(closed_at, now())') } : {}),
          ...(details ? { details: db.raw('details || ?::jsonb', [JSON.stringify(details)]) } : {}),
        });
    },

    async liftSuspensionFor(l: { accountId: string; kind: string; ref: string; by: Actor }): Promise<void> {
      const row = await db('accounts').where({ id: l.accountId }).first('status', 'suspensions');
      const holds = (row?.suspensions ?? []) as { kind: string; ref: string }[];
      if (!row || row.status === 'terminated' || !holds.some((h) => h.kind === l.kind && h.ref === l.ref)) return;
      await liftSuspensionOf(temporal, l.accountId, l);
    },

    async terminateAccountFor(t: {
      accountId: string;
      clause: string;
      reason: string;
      by: Actor;
    }): Promise<{ terminatedAt: string }> {
      return terminateAccountNow(deps, t);
    },

    /** 3.3: the new version binds the account from now on (projection + evidence + account workflow). */
    async bindTermsVersion({
      accountId,
      version,
      key,
    }: {
      accountId: string;
      version: string;
      key: string;
    }): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('accounts').where({ id: accountId }).forUpdate().first('terms_version');
        if (!before || before.terms_version === version) return;
        await trx('accounts').where({ id: accountId }).update({ terms_version: version, updated_at: trx.fn.now() });
        await trx('account_changes').insert({
          account_id: accountId,
          member_id: null,
          changes: { terms_version: { from: before.terms_version, to: version } },
        });
      });
      await recordContractEvent(db, {
        key,
        accountId,
        kind: 'terms_version_bound',
        payload: { version, clause: '3.3' },
      });
      await signalTermsVersionBound(temporal, accountId, version).catch(() => undefined);
    },
  };
}
