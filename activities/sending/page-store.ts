// The SQL of the page activities, as one small factory over the database: the campaign of an order
// (cached), a page's actionable messages, the bulk write of outcomes with their history, the
// screening (suppressions; quiet hours of 6.1), the mark under the account's share lock (6.3.4,
// 7.3, 10.3: a page of an account that is not active submits nothing), and the look-up of an
// e-mail batch already accepted. A page is a seq range of one order's messages.
import type { Knex } from 'knex';
import { failure, FailureType } from '../../workflows/failures';
import type { AccountSendState } from '../../workflows/messages';
import type { PageLease } from './lease';
import { compileTemplate } from '../../domain/templating';
import { fanOutSql, messageDataSql } from '../../lib/webhooks/events';
import {
  FRANCE_MARKETING_SMS_POLICY,
  isSendAllowed,
  nextAllowedInstant,
  quietHoursApply,
} from '../../domain/quiet-hours';

export interface PageInput {
  orderId: string;
  fromSeq: number;
  toSeq: number;
}

/** A batch of single sends (one message per order, many orders): their message ids. */
export interface MessageBatch {
  batchId: string;
  ids: string[];
}

/** What a page attempt works on and leases: a seq range of one order, or a batch of single sends. */
export type PageScope = PageInput | MessageBatch;

export const isBatch = (s: PageScope): s is MessageBatch => 'ids' in s;

/** How logs and failures name the scope (a page keeps its historical wording). */
export function scopeLabel(s: PageScope): string {
  return isBatch(s) ? `batch ${s.batchId}` : `page ${s.orderId} ${s.fromSeq}-${s.toSeq}`;
}

/** The scope's rows as a SQL condition over messages. */
export function scopeWhere(s: PageScope): { sql: string; bindings: (string | number | string[])[] } {
  return isBatch(s)
    ? { sql: 'id = any(?::bigint[])', bindings: [s.ids] }
    : { sql: 'order_id = ? and seq between ? and ?', bindings: [s.orderId, s.fromSeq, s.toSeq] };
}

export interface PageResult {
  /** Messages of the page that reached the carrier in this run (adopted after a crash included). */
  submitted: number;
  suppressed: number;
  /** Marketing SMS held by quiet hours; the workflow re-runs the page at `nextAllowedAt`. */
  held: number;
  rejected: number;
  /** Messages already past submission when the page was loaded (a retried or re-run page). */
  skipped: number;
  /** Messages found accepted by the carrier after a crash and adopted instead of resent. */
  adopted: number;
  nextAllowedAt: string | null;
  /** The account was not active at the mark: nothing was submitted; the page must run again. */
  refused?: AccountSendState;
}

export interface CampaignInfo {
  accountId: string;
  channel: 'sms' | 'email';
  purpose: string;
  sender: string;
  subject: string | null;
  template: string;
  /** The template and the (e-mail) subject compiled once; they throw TemplateError on missing variables. */
  render: (vars: Record<string, string | number | null>) => string;
  renderSubject: (vars: Record<string, string | number | null>) => string;
}

export interface PageRow {
  id: string;
  order_id: string;
  seq: number;
  recipient: string;
  vars: Record<string, string | number | null> | null;
  status: string;
  country: string | null;
  updated_at: Date;
  lease_owner: string | null;
}

export interface Outcome {
  id: string;
  status: 'submitted' | 'rejected_by_carrier' | 'suppressed' | 'held' | 'queued';
  carrierId: string | null;
  error: string | null;
}

/** Statuses a page may still act on; anything else is past submission (or cancelled). */
export const ACTIONABLE = ['queued', 'held', 'submitting'];

export function emptyPageResult(): PageResult {
  return { submitted: 0, suppressed: 0, held: 0, rejected: 0, skipped: 0, adopted: 0, nextAllowedAt: null };
}

export type PageStore = ReturnType<typeof createPageStore>;

// The webhook events of an outcome write: a message that became submitted or was refused by the
// carrier, for the accounts' endpoints subscribed to it (none: nothing is written).
const OUTCOME_EVENTS = fanOutSql(
  `select u.account_id, case h.status when 'submitted' then 'message.submitted' else 'message.failed' end as type,
          'evt_me' || h.id as key,
          ${messageDataSql('u', 'h', 'u.now_status', "case when h.status = 'rejected_by_carrier' then u.err end")} as data
     from h join u on u.id = h.message_id
    where h.status in ('submitted', 'rejected_by_carrier') and u.now_status = h.status`,
);

function campaignInfo(row: Record<string, string | null>): CampaignInfo {
  return {
    accountId: row.account_id!,
    channel: row.channel as 'sms' | 'email',
    purpose: row.purpose!,
    sender: row.sender!,
    subject: row.subject,
    template: row.template!,
    render: compileTemplate(row.template!),
    renderSubject: compileTemplate(row.subject ?? ''),
  };
}

export function createPageStore(db: Knex, now: () => Date) {
  // Campaign rows are tiny and immutable once sending starts; a bounded cache saves a query per page.
  const campaigns = new Map<string, CampaignInfo>();
  async function campaignOf(orderId: string): Promise<CampaignInfo> {
    const cached = campaigns.get(orderId);
    if (cached) return cached;
    const row = await db('campaigns')
      .where({ order_id: orderId })
      .first('account_id', 'channel', 'purpose', 'sender', 'subject', 'template');
    if (!row) throw failure(FailureType.CampaignNotFound, `no campaign for order ${orderId}`);
    const info = campaignInfo(row);
    if (campaigns.size >= 256) campaigns.clear();
    campaigns.set(orderId, info);
    return info;
  }

  /** The campaigns of many orders in one query (single sends: not cached, each order is new). */
  async function campaignsOf(orderIds: string[]): Promise<Map<string, CampaignInfo>> {
    const rows = await db('campaigns')
      .whereIn('order_id', orderIds)
      .select('order_id', 'account_id', 'channel', 'purpose', 'sender', 'subject', 'template');
    return new Map(rows.map((r) => [r.order_id as string, campaignInfo(r)]));
  }

  /** Step 1: the scope's messages still actionable; the others are counted as skipped. */
  async function loadPage(scope: PageScope): Promise<{ rows: PageRow[]; skipped: number }> {
    const where = scopeWhere(scope);
    const { rows } = await db.raw(
      `select id, order_id, seq, recipient, vars, status, country, updated_at, lease_owner from messages
        where ${where.sql} order by ${isBatch(scope) ? 'id' : 'seq'}`,
      where.bindings,
    );
    const all = rows as PageRow[];
    const actionable = all.filter((r) => ACTIONABLE.includes(r.status));
    return { rows: actionable, skipped: all.length - actionable.length };
  }

  /**
   * Writes outcomes, their history and their webhook events (the outbox, lib/webhooks/events.ts) in one statement. Only rows still in one of `from` change
   * status (a webhook's final status wins); a carrier id is filled in even then. A row still
   * 'submitting' is written (status or carrier id) only by the attempt whose lease it is under (`owner`): a fenced
   * attempt's late write changes nothing of the rows another attempt took over.
   */
  async function writeOutcomes(outcomes: Outcome[], from: string[], owner: string): Promise<void> {
    if (outcomes.length === 0) return;
    await db.raw(
      `with v as (select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) as v(id, status, carrier_id, err)),
       u as (
         update messages m set
           status = case when m.status = any(?::text[]) then v.status else m.status end,
           carrier_id = coalesce(m.carrier_id, v.carrier_id),
           carrier_error = case when m.status = any(?::text[]) then v.err else m.carrier_error end,
           submitted_at = case when v.status = 'submitted' then coalesce(m.submitted_at, now()) else m.submitted_at end,
           updated_at = now()
         from v where m.id = v.id and (m.status <> 'submitting' or m.lease_owner = ?)
           and (m.status = any(?::text[]) or (v.carrier_id is not null and m.carrier_id is null))
         returning m.id, v.status, v.err, m.status as now_status, m.account_id, m.order_id, m.channel, m.recipient,
                   m.carrier_id),
       h as (insert into message_events (message_id, status, detail) select id, status, err from u where status <> 'queued'
             returning id, message_id, status)
       ${OUTCOME_EVENTS}`,
      [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.carrierId),
        outcomes.map((o) => o.error),
        from,
        from,
        owner,
        from,
      ],
    );
  }

  /** The (account, address) pairs of `rows` on their account's suppression list, in one query. */
  async function suppressedOf(campaignOf: (r: PageRow) => CampaignInfo, rows: PageRow[]): Promise<Set<string>> {
    const accounts = [...new Set(rows.map((r) => campaignOf(r).accountId))];
    const channel = campaignOf(rows[0]).channel;
    const { rows: found } =
      accounts.length === 1
        ? await db.raw(
            `select account_id, address from suppressions
              where account_id = ? and channel = ? and address = any(?::text[])`,
            [accounts[0], channel, rows.map((r) => r.recipient)],
          )
        : await db.raw(
            `select s.account_id, s.address from suppressions s
               join unnest(?::uuid[], ?::text[]) as v(account_id, address)
                 on s.account_id = v.account_id and s.address = v.address
              where s.channel = ?`,
            [rows.map((r) => campaignOf(r).accountId), rows.map((r) => r.recipient), channel],
          );
    return new Set((found as { account_id: string; address: string }[]).map((r) => `${r.account_id} ${r.address}`));
  }

  /**
   * Step 3: suppression (one query for the scope's recipients) and quiet hours (6.1), each row by
   * its own campaign (a batch of single sends has one per message).
   */
  async function screen(
    campaignOf: (r: PageRow) => CampaignInfo,
    rows: PageRow[],
    result: PageResult,
    lease: PageLease,
  ): Promise<PageRow[]> {
    if (rows.length === 0) return rows;
    const suppressed = await suppressedOf(campaignOf, rows);
    const at = now();
    const outcomes: Outcome[] = [];
    const pass: PageRow[] = [];
    let nextAllowed: Date | null = null;
    for (const r of rows) {
      const campaign = campaignOf(r);
      if (suppressed.has(`${campaign.accountId} ${r.recipient}`)) {
        outcomes.push({ id: r.id, status: 'suppressed', carrierId: null, error: null });
        result.suppressed += 1;
      } else if (
        quietHoursApply(
          { purpose: campaign.purpose, channel: campaign.channel, country: r.country },
          FRANCE_MARKETING_SMS_POLICY,
        ) &&
        !isSendAllowed(at, FRANCE_MARKETING_SMS_POLICY)
      ) {
        if (r.status !== 'held') outcomes.push({ id: r.id, status: 'held', carrierId: null, error: null });
        result.held += 1;
        nextAllowed ??= nextAllowedInstant(at, FRANCE_MARKETING_SMS_POLICY);
      } else {
        pass.push(r);
      }
    }
    await writeOutcomes(outcomes, ACTIONABLE, lease.token);
    if (nextAllowed) result.nextAllowedAt = nextAllowed.toISOString();
    return pass;
  }

  /**
   * Step 4's mark: the rows this attempt owns are those the UPDATE returned, leased to it until
   * now() + TTL (lease.ts). A row 'submitting' under another attempt's token is never marked, even
   * once that lease expired: only a takeover (lease.ts), which the carrier reconciliation follows,
   * acquires it; such rows are counted as contended and the attempt fails when done.
   * 6.3.4, 7.3, 10.3: only while the account is active, read once per page under FOR SHARE, so
   * that the projection of a suspension or termination (an UPDATE of that row) waits for this
   * mark to commit: once it has committed, no page marks anything more, and only the pages
   * already marked may still submit. A batch of single sends reads each of its accounts so
   * (in id order: no deadlock between batches) and marks only the rows of the active ones; the
   * refused accounts are put in `refused`.
   */
  async function markSubmitting(
    account: string | ((r: PageRow) => string),
    rows: PageRow[],
    result: PageResult,
    lease: PageLease,
    refused?: Map<string, AccountSendState>,
  ): Promise<PageRow[]> {
    if (rows.length === 0) return rows;
    const accountOf = typeof account === 'string' ? () => account : account;
    const sentAt = Date.now(); // before the statement: the local deadline errs early
    const accountIds = [...new Set(rows.map(accountOf))].sort();
    const marked = await db.transaction(async (trx) => {
      const found = await trx('accounts')
        .whereIn('id', accountIds)
        .orderBy('id')
        .forShare()
        .select('id', 'status', 'state_version');
      const byId = new Map(found.map((a) => [a.id as string, a]));
      const active = new Set<string>();
      for (const id of accountIds) {
        const account = byId.get(id);
        if (account?.status === 'active') {
          active.add(id);
          continue;
        }
        const state = { status: account?.status ?? 'terminated', stateVersion: Number(account?.state_version ?? 0) };
        result.refused ??= state;
        refused?.set(id, state);
      }
      if (active.size === 0) return [];
      const { rows: updated } = await trx.raw(
        `update messages set status = 'submitting', attempts = attempts + 1, updated_at = now(),
            lease_owner = ?, lease_until = now() + ? * interval '1 millisecond'
          where id = any(?::bigint[]) and status = any(?::text[])
            and (status <> 'submitting' or lease_owner = ?)
          returning id`,
        [
          lease.token,
          lease.ttlMs,
          rows.filter((r) => active.has(accountOf(r))).map((r) => r.id),
          ACTIONABLE,
          lease.token,
        ],
      );
      return (updated as { id: string }[]).map((r) => String(r.id));
    });
    const ids = new Set(marked);
    if (marked.length < rows.length && !result.refused) {
      const left = rows.map((r) => String(r.id)).filter((id) => !ids.has(id));
      const { rows: other } = await db.raw(
        `select count(*)::int as n from messages
          where id = any(?::bigint[]) and status = 'submitting' and lease_owner is distinct from ?`,
        [left, lease.token],
      );
      lease.contended += other[0].n as number;
    }
    lease.acquired(marked, sentAt);
    return rows.filter((r) => ids.has(String(r.id)));
  }

  /**
   * The carrier id of a message of the page that an event webhook has already moved past
   * submission, if any: proof that the page's (single) e-mail request was accepted.
   */
  async function acceptedCarrierIdOf(input: PageInput): Promise<string | null> {
    const { rows: moved } = await db.raw(
      `select carrier_id from messages where order_id = ? and seq between ? and ? and carrier_id is not null
          and status not in ('queued','held','submitting','suppressed','cancelled','rejected_by_carrier') limit 1`,
      [input.orderId, input.fromSeq, input.toSeq],
    );
    return moved.length > 0 ? (moved[0].carrier_id as string) : null;
  }

  return { campaignOf, campaignsOf, loadPage, writeOutcomes, screen, markSubmitting, acceptedCarrierIdOf };
}
