// Notices and evidence of the contract: a notice is sent once per key (e-mail + evidence entry,
// optional acknowledgment and data-collection links: 10.2), a contract event is appended to the
// evidence log once per key, and the platform-wide maintenance announcement (6.4.3) is a notice.
// The other contract activities (contract-state.ts, contract-data.ts) send through `sendNotice`.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import type { Config } from '../lib/config';
import { appendEvidence } from '../lib/evidence';
import { recordEvents, type EventType } from '../lib/webhooks/events';
import { sha256 } from '../lib/credentials';
import type { Actor } from '../workflows/messages';
import type { Mailer } from './mailer';

/** What every contract activity is built from (activities/contract.ts composes them). */
export interface ContractActivityDeps {
  db: Knex;
  config: Config;
  temporal: Client;
  mailer: Mailer;
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
  /** For platform-wide notices: explicit recipients. Otherwise the account's owners. */
  to?: string[];
  payload?: Record<string, unknown>;
}

export interface NoticeResult {
  noticeId: string;
  recipients: string[];
  alreadySent: boolean;
}

export async function accountRecipients(db: Knex | Knex.Transaction, accountId: string): Promise<string[]> {
  const rows = await db('members')
    .where({ account_id: accountId })
    .where('role', 'owner')
    .whereNull('disabled_at')
    .orderBy('created_at')
    .select('email');
  return rows.map((r) => r.email as string);
}

// The notices that are also webhook events (10.1 formal notice, 3.3 terms change, 6.4.3 maintenance);
// suspension, its lifting and termination are events of the account's status (activities/accounts.ts).
const NOTICE_EVENTS: Record<string, EventType | undefined> = {
  formal_notice: 'notice.formal_notice',
  terms_change: 'notice.terms_change',
  maintenance_announcement: 'notice.maintenance_announced',
};

/**
 * Sends a notice once per key: the notice row is written first, the e-mail sent, then the row
 * is marked sent and the evidence entry appended in one transaction. A retry after a crash
 * between the e-mail and the mark may send the e-mail twice (at least once, never zero).
 */
export async function sendNotice(
  { db, config, mailer }: Pick<ContractActivityDeps, 'db' | 'config' | 'mailer'>,
  n: NoticeInput,
): Promise<NoticeResult> {
  const existing = await db('contract_notices').where({ key: n.key }).first();
  if (existing?.sent_at) return { noticeId: existing.id, recipients: existing.recipients, alreadySent: true };
  const id: string = existing?.id ?? randomUUID();
  const recipients: string[] =
    existing?.recipients ?? n.to ?? (n.accountId ? await accountRecipients(db, n.accountId) : []);
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
      id,
      key: n.key,
      account_id: n.accountId,
      case_id: n.caseId ?? null,
      kind: n.kind,
      clause: n.clause,
      recipients,
      subject: n.subject,
      body: text,
      ack_token_hash: tokenHash,
    });
  }
  if (recipients.length > 0)
    await mailer.send({
      to: recipients,
      subject: existing?.subject ?? n.subject,
      text,
      accountId: n.accountId,
      noticeKey: n.key,
    });
  await db.transaction(async (trx) => {
    const marked = await trx('contract_notices').where({ id }).whereNull('sent_at').update({ sent_at: trx.fn.now() });
    if (marked === 0) return;
    const type = NOTICE_EVENTS[n.kind];
    if (type) {
      // A platform-wide notice (maintenance) goes to every account with access that has an endpoint.
      const accounts: string[] = n.accountId
        ? [n.accountId]
        : (
            await trx('webhook_endpoints as e')
              .join('accounts as a', 'a.id', 'e.account_id')
              .whereIn('a.status', ['active', 'suspended'])
              .where('e.enabled', true)
              .distinct('e.account_id')
          ).map((r) => r.account_id as string);
      const data = { notice_id: id, kind: n.kind, clause: n.clause, subject: existing?.subject ?? n.subject };
      await recordEvents(
        trx,
        accounts.map((accountId) => ({ accountId, type, key: `evt_nt${id}`, data })),
      );
    }
    await appendEvidence(trx, {
      accountId: n.accountId,
      kind: 'notice_sent',
      occurredAt: new Date(),
      actor: { type: 'system' },
      payload: {
        noticeId: id,
        noticeKind: n.kind,
        clause: n.clause,
        caseId: n.caseId ?? null,
        subject: existing?.subject ?? n.subject,
        recipients,
        bodySha256: sha256(text.replace(/token=[A-Za-z0-9_-]+/g, 'token=…')),
        transport: mailer.transport,
        acknowledgmentRequested: Boolean(n.acknowledgment),
        ...n.payload,
      },
    });
  });
  return { noticeId: id, recipients, alreadySent: false };
}

/** Appends an evidence entry once per key (activity retries append nothing twice). */
export async function recordContractEvent(
  db: Knex,
  e: {
    key: string;
    accountId: string | null;
    caseId?: string;
    kind: string;
    actor?: Actor | Record<string, unknown>;
    payload: Record<string, unknown>;
  },
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const inserted = await trx('contract_events')
      .insert({ key: e.key, account_id: e.accountId, case_id: e.caseId ?? null, kind: e.kind, at: new Date() })
      .onConflict('key')
      .ignore()
      .returning('key');
    if (inserted.length === 0) return false;
    const entry = await appendEvidence(trx, {
      accountId: e.accountId,
      kind: e.kind,
      occurredAt: new Date(),
      actor: (e.actor ?? { type: 'system' }) as Record<string, unknown>,
      payload: { ...e.payload, caseId: e.caseId ?? undefined },
    });
    await trx('contract_events').where({ key: e.key }).update({ evidence_id: entry.id });
    return true;
  });
}

export function createContractNoticeActivities(deps: ContractActivityDeps) {
  const { db } = deps;
  return {
    async sendContractNotice(n: NoticeInput): Promise<NoticeResult> {
      return sendNotice(deps, n);
    },

    async recordContractEvidence(e: {
      key: string;
      accountId: string | null;
      caseId?: string;
      kind: string;
      actor?: Actor;
      payload: Record<string, unknown>;
    }): Promise<boolean> {
      return recordContractEvent(db, e);
    },

    async setMaintenanceState({
      windowId,
      state,
      announced,
    }: {
      windowId: string;
      state: string;
      announced?: boolean;
    }): Promise<void> {
      await db('maintenance_windows')
        .where({ id: windowId })
        .update({ state, ...(announced ? { announced_at: db.raw('coalesce(announced_at, now())') } : {}) });
    },

    /** 6.4.3: every User with access (active or suspended) is told of the window. */
    async announceMaintenance({ windowId }: { windowId: string }): Promise<{ recipients: number }> {
      const w = await db('maintenance_windows').where({ id: windowId }).first();
      const rows = await db('members as m')
        .join('accounts as a', 'a.id', 'm.account_id')
        .whereIn('a.status', ['active', 'suspended'])
        .where('m.role', 'owner')
        .whereNull('m.disabled_at')
        .distinct('m.email');
      const to = rows.map((r) => r.email as string);
      await sendNotice(deps, {
        key: `maintenance:${windowId}`,
        accountId: null,
        kind: 'maintenance_announcement',
        clause: '6.4.3',
        to,
        subject: `Scheduled maintenance ${new Date(w.starts_at).toISOString()} – ${new Date(w.ends_at).toISOString()}`,
        text: `The platform will be unavailable from ${new Date(w.starts_at).toISOString()} to ${new Date(w.ends_at).toISOString()} (UTC) for scheduled maintenance (article 6.4.3). Reason: ${w.reason}.`,
        payload: { windowId, startsAt: new Date(w.starts_at).toISOString(), endsAt: new Date(w.ends_at).toISOString() },
      });
      await db('maintenance_windows')
        .where({ id: windowId })
        .update({ announced_at: db.raw('coalesce(announced_at, now())') });
      return { recipients: to.length };
    },
  };
}
