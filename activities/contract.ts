// Side effects of the contract's clocks: read the account's contract (terms version → policy,
// as data from terms_versions), send notices (e-mail + evidence, idempotent by key), append
// contract evidence (idempotent by key), act on the account workflow (suspend, terminate), bind
// a terms version, return and destroy data. Workflows pass the instants they decide on.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import { appendEvidence } from '../lib/evidence';
import { loadPolicy } from '../lib/terms';
import { lastOrderAt } from '../lib/orders';
import { sha256 } from '../lib/credentials';
import { suspensionNotice } from '../domain/suspension';
import {
  liftSuspensionOf, signalTermsVersionBound, suspendAccountOf, terminateAccountOf,
} from '../lib/workflow-clients/account';
import { startTermination } from '../lib/workflow-clients/termination';
import type { TermsPolicy } from '../domain/terms-policy';
import type { Actor } from '../workflows/messages';
import type { Mailer } from './mailer';
import { COLLECTION_WINDOW_MS, deleteReturnedExport, storeReturnedExport } from './data-return';

export interface ContractActivityDeps { db: Knex; config: Config; temporal: Client; mailer: Mailer }

export interface ContractView {
  accountId: string;
  termsVersion: string;
  policy: TermsPolicy;
  effectiveDate: string;
  formula: 'subscription' | 'pack';
  status: 'active' | 'suspended' | 'terminated';
  dataDestroyed: boolean;
}

export interface NoticeInput {
  /** Idempotency key, e.g. `formal-notice:<caseId>`. */
  key: string;
  accountId: string | null;
  caseId?: string;
  kind: string;
  clause: string;
  subject: string;
  text: string;
  /** Adds an acknowledgment-of-receipt link (random token, stored hashed). */
  acknowledgment?: boolean;
  /** 10.2: with `acknowledgment`, a link to collect the returned export with the same token, until then. */
  download?: Date;
  /** For platform-wide notices: explicit recipients. Otherwise the account's owners and admins. */
  to?: string[];
  payload?: Record<string, unknown>;
}

export interface NoticeResult { noticeId: string; recipients: string[]; alreadySent: boolean }

async function accountRecipients(db: Knex | Knex.Transaction, accountId: string): Promise<string[]> {
  const rows = await db('members').where({ account_id: accountId }).whereIn('role', ['owner', 'admin']).whereNull('disabled_at').orderBy('created_at').select('email');
  return rows.map((r) => r.email as string);
}

/**
 * Sends a notice once per key: the notice row is written first, the e-mail sent, then the row
 * is marked sent and the evidence entry appended in one transaction. A retry after a crash
 * between the e-mail and the mark may send the e-mail twice (at least once, never zero).
 */
export async function sendNotice({ db, config, mailer }: Pick<ContractActivityDeps, 'db' | 'config' | 'mailer'>, n: NoticeInput): Promise<NoticeResult> {
  const existing = await db('contract_notices').where({ key: n.key }).first();
  if (existing?.sent_at) return { noticeId: existing.id, recipients: existing.recipients, alreadySent: true };
  const id: string = existing?.id ?? randomUUID();
  const recipients: string[] = existing?.recipients ?? n.to ?? (n.accountId ? await accountRecipients(db, n.accountId) : []);
  let text: string = existing?.body ?? n.text;
  let tokenHash: string | null = null;
  if (n.acknowledgment) {
    const token = randomBytes(32).toString('base64url');
    tokenHash = sha256(token);
    const base = (config.PUBLIC_BASE_URL ?? `http://127.0.0.1:${config.API_PORT}`).replace(/\/$/, '');
    text = `${n.text}\n\nAcknowledge receipt of this notice: ${base}/v1/notices/${id}/acknowledge?token=${token}\n`;
    if (n.download) {
      text += `Download your data until ${n.download.toISOString()}: ${base}/v1/notices/${id}/export?token=${token}\n`;
    }
  }
  if (existing) {
    if (tokenHash) await db('contract_notices').where({ id }).update({ ack_token_hash: tokenHash, body: text });
  } else {
    await db('contract_notices').insert({
      id, key: n.key, account_id: n.accountId, case_id: n.caseId ?? null, kind: n.kind, clause: n.clause,
      recipients, subject: n.subject, body: text, ack_token_hash: tokenHash,
    });
  }
  if (recipients.length > 0) await mailer.send({ to: recipients, subject: existing?.subject ?? n.subject, text, accountId: n.accountId, noticeKey: n.key });
  await db.transaction(async (trx) => {
    const marked = await trx('contract_notices').where({ id }).whereNull('sent_at').update({ sent_at: trx.fn.now() });
    if (marked === 0) return;
    await appendEvidence(trx, {
      accountId: n.accountId, kind: 'notice_sent', occurredAt: new Date(), actor: { type: 'system' },
      payload: {
        noticeId: id, noticeKind: n.kind, clause: n.clause, caseId: n.caseId ?? null, subject: existing?.subject ?? n.subject,
        recipients, bodySha256: sha256(text.replace(/token=[A-Za-z0-9_-]+/g, 'token=…')), transport: mailer.transport,
        acknowledgmentRequested: Boolean(n.acknowledgment), ...n.payload,
      },
    });
  });
  return { noticeId: id, recipients, alreadySent: false };
}

/** Appends an evidence entry once per key (activity retries append nothing twice). */
async function recordContractEvent(db: Knex, e: { key: string; accountId: string | null; caseId?: string; kind: string; actor?: Actor | Record<string, unknown>; payload: Record<string, unknown> }): Promise<boolean> {
  return db.transaction(async (trx) => {
    const inserted = await trx('contract_events').insert({ key: e.key, account_id: e.accountId, case_id: e.caseId ?? null, kind: e.kind, at: new Date() })
      .onConflict('key').ignore().returning('key');
    if (inserted.length === 0) return false;
    const entry = await appendEvidence(trx, { accountId: e.accountId, kind: e.kind, occurredAt: new Date(), actor: (e.actor ?? { type: 'system' }) as Record<string, unknown>, payload: { ...e.payload, caseId: e.caseId ?? undefined } });
    await trx('contract_events').where({ key: e.key }).update({ evidence_id: entry.id });
    return true;
  });
}

/** Terminates the account (idempotent) and starts its end-of-contract workflow (10.2, Annex 2.4). */
export async function terminateAccountNow(deps: Pick<ContractActivityDeps, 'db' | 'config' | 'temporal'>, t: { accountId: string; clause: string; reason: string; by: Actor }): Promise<{ terminatedAt: string }> {
  const { db, temporal } = deps;
  const row = await db('accounts').where({ id: t.accountId }).first('status');
  if (!row) throw new Error(`no account ${t.accountId}`);
  let terminatedAt = new Date().toISOString();
  if (row.status !== 'terminated') {
    const state = await terminateAccountOf(temporal, t.accountId, { clause: t.clause, reason: t.reason, by: t.by });
    terminatedAt = state.terminatedAt ?? terminatedAt;
  }
  await startTermination(deps, { accountId: t.accountId, clause: t.clause, terminatedAt });
  return { terminatedAt };
}

export interface SuspensionInput { accountId: string; kind: string; ref: string; reason: string; by: Actor }

/** A notice is sent only for the kinds whose clause requires one (not 7.3's late payment). */
type SuspensionDeps = Pick<ContractActivityDeps, 'db' | 'temporal'>
  & Partial<Pick<ContractActivityDeps, 'config' | 'mailer'>>;

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
    if (!config || !mailer) throw new Error(`a ${kind} suspension informs the User (${notice.clause}): mailer required`);
    await sendNotice({ db, config, mailer }, {
      key: `suspension:${s.accountId}:${kind}:${ref}`, accountId: s.accountId, kind: 'suspension_information',
      clause: notice.clause, subject: notice.subject, text: notice.text, payload: { suspensionKind: kind, ref, reason },
    });
  }
  return { applied: true };
}

export function createContractActivities(deps: ContractActivityDeps) {
  const { db, temporal } = deps;
  return {
    async loadContract({ accountId }: { accountId: string }): Promise<ContractView> {
      const a = await db('accounts').where({ id: accountId }).first('id', 'terms_version', 'effective_date', 'formula', 'status', 'data_destroyed_at');
      if (!a) throw new Error(`no account ${accountId}`);
      return {
        accountId, termsVersion: a.terms_version, policy: await loadPolicy(db, a.terms_version), effectiveDate: new Date(a.effective_date).toISOString(),
        formula: a.formula, status: a.status, dataDestroyed: a.data_destroyed_at !== null,
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

    async sendContractNotice(n: NoticeInput): Promise<NoticeResult> {
      return sendNotice(deps, n);
    },

    async recordContractEvidence(e: { key: string; accountId: string | null; caseId?: string; kind: string; actor?: Actor; payload: Record<string, unknown> }): Promise<boolean> {
      return recordContractEvent(db, e);
    },

    async updateCase({ caseId, state, details, closed }: { caseId: string; state: string; details?: Record<string, unknown>; closed?: boolean }): Promise<void> {
      await db('contract_cases').where({ id: caseId }).update({
        state, updated_at: db.fn.now(), ...(closed ? { closed_at: db.raw('coalesce(closed_at, now())') } : {}),
        ...(details ? { details: db.raw('details || ?::jsonb', [JSON.stringify(details)]) } : {}),
      });
    },

    async liftSuspensionFor(l: { accountId: string; kind: string; ref: string; by: Actor }): Promise<void> {
      const row = await db('accounts').where({ id: l.accountId }).first('status', 'suspensions');
      const holds = (row?.suspensions ?? []) as { kind: string; ref: string }[];
      if (!row || row.status === 'terminated' || !holds.some((h) => h.kind === l.kind && h.ref === l.ref)) return;
      await liftSuspensionOf(temporal, l.accountId, l);
    },

    async terminateAccountFor(t: { accountId: string; clause: string; reason: string; by: Actor }): Promise<{ terminatedAt: string }> {
      return terminateAccountNow(deps, t);
    },

    /** 3.3: the new version binds the account from now on (projection + evidence + account workflow). */
    async bindTermsVersion({ accountId, version, key }: { accountId: string; version: string; key: string }): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('accounts').where({ id: accountId }).forUpdate().first('terms_version');
        if (!before || before.terms_version === version) return;
        await trx('accounts').where({ id: accountId }).update({ terms_version: version, updated_at: trx.fn.now() });
        await trx('account_changes').insert({ account_id: accountId, member_id: null, changes: { terms_version: { from: before.terms_version, to: version } } });
      });
      await recordContractEvent(db, { key, accountId, kind: 'terms_version_bound', payload: { version, clause: '3.3' } });
      await signalTermsVersionBound(temporal, accountId, version).catch(() => undefined);
    },

    /**
     * 10.2: the full export is written once (activities/data-return.ts) and the User told where
     * to collect it: the notice's link carries its token, valid after the credentials are
     * destroyed, until `availableUntil` (notice + evidence with the manifest's counts and hashes).
     */
    async returnAccountData({ accountId }: { accountId: string }): Promise<{ bytes: number; availableUntil: string }> {
      const availableUntil = new Date(Date.now() + COLLECTION_WINDOW_MS);
      const heartbeat = () => { try { Context.current().heartbeat(); } catch { /* called outside an activity */ } };
      const stored = await storeReturnedExport(db, accountId, availableUntil, heartbeat);
      const row = await db('account_exports').where({ id: stored.exportId }).first('available_until');
      const until = new Date(row.available_until);
      await db('accounts').where({ id: accountId }).update({ data_exported_at: db.raw('coalesce(data_exported_at, now())') });
      await sendNotice(deps, {
        key: `data-return:${accountId}`, accountId, kind: 'data_returned', clause: '10.2',
        acknowledgment: true, download: until, subject: 'Your data is ready',
        text: `As you asked under article 10.2, your data has been exported in full (${stored.manifest.format}:`
          + ' NDJSON ending with a manifest of counts and SHA-256 hashes;'
          + ` ${stored.bytes} bytes, SHA-256 ${stored.sha256}).`,
        payload: {
          exportId: stored.exportId, format: stored.manifest.format, bytes: stored.bytes, sha256: stored.sha256,
          sections: stored.manifest.sections, availableUntil: until.toISOString(),
        },
      });
      return { bytes: stored.bytes, availableUntil: until.toISOString() };
    },

    /** Annex 2.4: the returned copy's collection window is over; it is deleted. */
    async deleteReturnedExport({ accountId }: { accountId: string }): Promise<{ deleted: number }> {
      return deleteReturnedExport(db, accountId);
    },

    /**
     * Annex 2.4: destroys the account's personal data (members' identities, credentials) and
     * keeps what the law requires (invoicing identity of the account, invoices, the evidence
     * log). The confirmation notice is prepared in the same transaction, with the recipients
     * captured before their addresses are erased, then sent by `sendContractNotice`.
     */
    async destroyAccountData({ accountId }: { accountId: string }): Promise<{ noticeKey: string }> {
      const noticeKey = `destruction:${accountId}`;
      await db.transaction(async (trx) => {
        const a = await trx('accounts').where({ id: accountId }).forUpdate().first('data_destroyed_at');
        if (!a || a.data_destroyed_at) return;
        const recipients = await accountRecipients(trx, accountId);
        await trx('contract_notices').insert({
          id: randomUUID(), key: noticeKey, account_id: accountId, kind: 'destruction_confirmation', clause: 'Annex 2.4', recipients,
          subject: 'Confirmation of the destruction of your data',
          body: 'Your contract has ended. As provided by article 10.2 and Annex 2.4, the personal data held for your account has been destroyed. Records the law requires us to keep (invoices, accounting, evidence of the contract) are retained for their legal period.',
        }).onConflict('key').ignore();
        const members = await trx('members').where({ account_id: accountId }).select('id');
        for (const m of members) {
          await trx('members').where({ id: m.id }).update({ username: `destroyed-${m.id}`, email: `destroyed-${m.id}@invalid`, full_name: 'destroyed', password_hash: '!', disabled_at: trx.raw('coalesce(disabled_at, now())') });
        }
        await trx('sessions').where({ account_id: accountId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
        await trx('api_keys').where({ account_id: accountId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
        await trx('account_changes').where({ account_id: accountId }).del();
        await trx('data_subject_requests').where({ account_id: accountId }).update({ subject_contact: 'destroyed', details: '' });
        // Recipients' personal data, processed for the User (art. 12): numbers, addresses and
        // template variables are erased; counts, prices and statuses stay for the billing records.
        const recipientsErased = await trx('messages').where({ account_id: accountId }).update({ recipient: 'erased', vars: null });
        await trx('recipient_rejections').whereIn('order_id', trx('campaigns').where({ account_id: accountId }).select('order_id')).update({ value: null });
        await trx('suppressions').where({ account_id: accountId }).del();
        await trx('accounts').where({ id: accountId }).update({ data_destroyed_at: trx.fn.now(), updated_at: trx.fn.now() });
        await appendEvidence(trx, { accountId, kind: 'data_destroyed', occurredAt: new Date(), actor: { type: 'system' }, payload: { members: members.length, recipientsErased, clause: 'Annex 2.4' } });
      });
      return { noticeKey };
    },

    async setMaintenanceState({ windowId, state, announced }: { windowId: string; state: string; announced?: boolean }): Promise<void> {
      await db('maintenance_windows').where({ id: windowId }).update({ state, ...(announced ? { announced_at: db.raw('coalesce(announced_at, now())') } : {}) });
    },

    /** 6.4.3: every User with access (active or suspended) is told of the window. */
    async announceMaintenance({ windowId }: { windowId: string }): Promise<{ recipients: number }> {
      const w = await db('maintenance_windows').where({ id: windowId }).first();
      const rows = await db('members as m').join('accounts as a', 'a.id', 'm.account_id').whereIn('a.status', ['active', 'suspended'])
        .whereIn('m.role', ['owner', 'admin']).whereNull('m.disabled_at').distinct('m.email');
      const to = rows.map((r) => r.email as string);
      await sendNotice(deps, {
        key: `maintenance:${windowId}`, accountId: null, kind: 'maintenance_announcement', clause: '6.4.3', to,
        subject: `Scheduled maintenance ${new Date(w.starts_at).toISOString()} – ${new Date(w.ends_at).toISOString()}`,
        text: `The platform will be unavailable from ${new Date(w.starts_at).toISOString()} to ${new Date(w.ends_at).toISOString()} (UTC) for scheduled maintenance (article 6.4.3). Reason: ${w.reason}.`,
        payload: { windowId, startsAt: new Date(w.starts_at).toISOString(), endsAt: new Date(w.ends_at).toISOString() },
      });
      await db('maintenance_windows').where({ id: windowId }).update({ announced_at: db.raw('coalesce(announced_at, now())') });
      return { recipients: to.length };
    },
  };
}

export type ContractActivities = ReturnType<typeof createContractActivities>;
