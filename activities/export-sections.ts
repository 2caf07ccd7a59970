// 10.2 / Annex 2.4: every table that holds rows of an account, as sections of its export, in the
// order they are written. Each record is the table's row with its columns as named in the schema
// (instants in ISO 8601 UTC, bigint amounts as decimal strings), minus the secrets (`omit`):
// password, API key and session token hashes, acknowledgment token hashes; links carrying a
// token are redacted in the bodies of notices and e-mails.
//
// Not exported (UNEXPORTED): tables whose rows belong to no account — login_attempts (by username
// and IP, the platform's security log), webhook_receipts and payment_webhook_events (providers'
// event ids, kept for idempotency; inbound replies are exported as `inbound_messages`, and their
// STOP/START take effect as `suppressions`, exported too), price lists, terms versions, invoice
// counters, staff, maintenance windows — and
// two with an account_id: billing_config_errors (the platform's own configuration faults) and
// account_exports / account_export_chunks (the returned copy of this export itself).
import type { Knex } from 'knex';

export type Row = Record<string, unknown>;

export interface Section {
  /** Key of the section in the manifest. */
  name: string;
  /** `type` of each of its records. */
  type: string;
  table: string;
  /** Keyset: unique, in this order (an index on the scope's column(s) then these serves it). */
  key: string[];
  scope(q: Knex.QueryBuilder, accountId: string, db: Knex): void;
  omit?: string[];
  redact?(row: Row): Row;
  /** Reads the section in batches itself instead of one keyset over `table` (message_events). */
  batches?(db: Knex, accountId: string, size: number): AsyncGenerator<Row[]>;
}

const byAccount =
  (column = 'account_id') =>
  (q: Knex.QueryBuilder, accountId: string) => {
    q.where(column, accountId);
  };
const ofAccountOrders = (q: Knex.QueryBuilder, accountId: string, db: Knex) => {
  q.whereIn('order_id', db('campaigns').select('order_id').where('account_id', accountId));
};
const TOKEN_IN_URL = /([?&]token=)[A-Za-z0-9_-]+/g;
const redactBody = (row: Row): Row => ({
  ...row,
  body: typeof row.body === 'string' ? row.body.replace(TOKEN_IN_URL, '$1[redacted]') : row.body,
});

/** 6.3.1: a message's full history, read per batch of the account's messages (index on message_id). */
async function* messageEvents(db: Knex, accountId: string, size: number): AsyncGenerator<Row[]> {
  let after = 0n;
  for (;;) {
    const ids: { id: string }[] = await db('messages')
      .where('account_id', accountId)
      .andWhere('id', '>', after.toString())
      .orderBy('id')
      .limit(size)
      .select('id');
    if (ids.length === 0) return;
    after = BigInt(ids[ids.length - 1].id);
    const events: Row[] = await db('message_events')
      .whereIn(
        'message_id',
        ids.map((r) => r.id),
      )
      .orderBy(['message_id', 'id']);
    if (events.length > 0) yield events;
  }
}

export const SECTIONS: Section[] = [
  { name: 'account', type: 'account', table: 'accounts', key: ['id'], scope: byAccount('id') },
  { name: 'account_changes', type: 'account_change', table: 'account_changes', key: ['id'], scope: byAccount() },
  {
    name: 'members',
    type: 'member',
    table: 'members',
    key: ['id'],
    scope: byAccount(),
    omit: ['password_hash', 'totp_secret'],
  },
  {
    name: 'member_invitations',
    type: 'member_invitation',
    table: 'member_invitations',
    key: ['id'],
    scope: byAccount(),
    omit: ['token_hash'],
  },
  { name: 'sessions', type: 'session', table: 'sessions', key: ['id'], scope: byAccount(), omit: ['token_hash'] },
  { name: 'api_keys', type: 'api_key', table: 'api_keys', key: ['id'], scope: byAccount(), omit: ['secret_hash'] },
  { name: 'subscriptions', type: 'subscription', table: 'subscriptions', key: ['account_id'], scope: byAccount() },
  {
    name: 'subscription_billing_runs',
    type: 'subscription_billing_run',
    table: 'subscription_billing_runs',
    key: ['month_number'],
    scope: byAccount(),
  },
  { name: 'orders', type: 'order', table: 'orders', key: ['id'], scope: byAccount() },
  { name: 'campaigns', type: 'campaign', table: 'campaigns', key: ['order_id'], scope: byAccount() },
  {
    name: 'campaign_complaints',
    type: 'campaign_complaint',
    table: 'campaign_complaints',
    key: ['order_id'],
    scope: byAccount(),
  },
  {
    name: 'recipient_rejections',
    type: 'recipient_rejection',
    table: 'recipient_rejections',
    key: ['id'],
    scope: ofAccountOrders,
  },
  { name: 'messages', type: 'message', table: 'messages', key: ['id'], scope: byAccount() },
  {
    name: 'message_events',
    type: 'message_event',
    table: 'message_events',
    key: ['id'],
    scope: byAccount(),
    batches: messageEvents,
  },
  { name: 'suppressions', type: 'suppression', table: 'suppressions', key: ['channel', 'address'], scope: byAccount() },
  { name: 'inbound_messages', type: 'inbound_message', table: 'inbound_messages', key: ['id'], scope: byAccount() },
  // Outbound webhooks (docs/webhooks.md): endpoints without their signing secrets, events, attempts.
  {
    name: 'webhook_endpoints',
    type: 'webhook_endpoint',
    table: 'webhook_endpoints',
    key: ['id'],
    scope: byAccount(),
    omit: ['secret', 'previous_secret'],
  },
  { name: 'webhook_events', type: 'webhook_event', table: 'webhook_events', key: ['id'], scope: byAccount() },
  {
    name: 'webhook_attempts',
    type: 'webhook_attempt',
    table: 'webhook_attempts',
    key: ['id'],
    scope: (q, accountId, db) => {
      q.whereIn('endpoint_id', db('webhook_endpoints').select('id').where('account_id', accountId));
    },
  },
  { name: 'idempotency_keys', type: 'idempotency_key', table: 'idempotency_keys', key: ['key'], scope: byAccount() },
  { name: 'ledger_balance', type: 'ledger_balance', table: 'ledger_balances', key: ['account_id'], scope: byAccount() },
  { name: 'ledger_entries', type: 'ledger_entry', table: 'ledger_entries', key: ['id'], scope: byAccount() },
  // Invoices and credit notes (kind), each with its lines and VAT breakdown (columns lines, per_rate).
  { name: 'invoices', type: 'invoice', table: 'invoices', key: ['id'], scope: byAccount() },
  { name: 'invoice_disputes', type: 'invoice_dispute', table: 'invoice_disputes', key: ['id'], scope: byAccount() },
  { name: 'payments', type: 'payment', table: 'payments', key: ['id'], scope: byAccount() },
  {
    name: 'payment_allocations',
    type: 'payment_allocation',
    table: 'payment_allocations',
    key: ['id'],
    scope: (q, accountId, db) => {
      q.whereIn('payment_id', db('payments').select('id').where('account_id', accountId));
    },
  },
  { name: 'contract_cases', type: 'contract_case', table: 'contract_cases', key: ['id'], scope: byAccount() },
  {
    name: 'notices',
    type: 'notice',
    table: 'contract_notices',
    key: ['id'],
    scope: byAccount(),
    omit: ['ack_token_hash'],
    redact: redactBody,
  },
  {
    name: 'platform_emails',
    type: 'platform_email',
    table: 'platform_emails',
    key: ['id'],
    scope: byAccount(),
    redact: redactBody,
  },
  { name: 'contract_events', type: 'contract_event', table: 'contract_events', key: ['key'], scope: byAccount() },
  { name: 'deadlines', type: 'deadline', table: 'deadlines', key: ['id'], scope: byAccount() },
  {
    name: 'termination_notices',
    type: 'termination_notice',
    table: 'termination_notices',
    key: ['id'],
    scope: byAccount(),
  },
  { name: 'liability_claims', type: 'liability_claim', table: 'liability_claims', key: ['id'], scope: byAccount() },
  {
    name: 'data_subject_requests',
    type: 'data_subject_request',
    table: 'data_subject_requests',
    key: ['id'],
    scope: byAccount(),
  },
  { name: 'audit_log', type: 'audit_entry', table: 'audit_log', key: ['id'], scope: byAccount() },
  // 13.2: the account's evidence chain, in chain order, verifiable on its own (lib/evidence.ts).
  { name: 'evidence', type: 'evidence', table: 'evidence_log', key: ['seq'], scope: byAccount() },
];

/**
 * Tables that have an account_id column and are deliberately not exported (see above); single_sends
 * is the transient queue of single messages, exported as their messages.
 */
export const UNEXPORTED_ACCOUNT_TABLES = ['billing_config_errors', 'account_exports', 'single_sends'];
