// The customer's own lists, each a keyset page of api/pagination.ts scoped to the caller's
// account (another account's rows never appear; a filter on another account's campaign is an
// empty page): messages (6.3.1: each with its current status and carrier error), campaigns with
// their progress counts, inbound replies with their keyword, and the contract clocks of the
// deadlines register (lib/deadlines.ts) that concern the account. All read-only.
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { describeListRoutes } from './openapi/self-service';
import { Router } from 'express';
import { z } from 'zod';
import type { Knex } from 'knex';
import type { DbRow } from '../lib/db';
import { normaliseEmail } from '../domain/email';
import { normalisePhone } from '../domain/phone';
import type { ApiDeps } from './context';
import { principalOf } from './context';
import { authenticate } from './auth';
import { notFound } from './errors';
import { keysetPage, pageQueryShape, type Keyset } from './pagination';
import { campaignView, iso } from './sending-common';

/** A bound of a created / received range: ISO 8601 with offset; `from` inclusive, `to` exclusive. */
const rangeBound = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 9999, 'between years 2000 and 9999');

const MESSAGE_STATUSES = [
  'accepted',
  'queued',
  'submitting',
  'submitted',
  'delivered',
  'undelivered',
  'failed',
  'held',
  'suppressed',
  'rejected_by_carrier',
  'cancelled',
  'unknown',
] as const;
const CAMPAIGN_STATUSES = [
  'draft',
  'uploading',
  'ready',
  'scheduled',
  'running',
  'paused',
  'cancelled',
  'completed',
  'failed',
] as const;
/** Finished campaigns carry their counts in their summary (activities/campaigns.ts finaliseCampaign). */
const FINISHED = new Set(['cancelled', 'completed', 'failed']);

/** @public The route's schema, for the OpenAPI document. */
export const messagesQuery = z.strictObject({
  ...pageQueryShape,
  channel: z.enum(['sms', 'email']).optional(),
  status: z.enum(MESSAGE_STATUSES).optional(),
  campaign: z.uuid().optional(),
  recipient: z.string().min(1).max(320).optional(),
  createdFrom: rangeBound.optional(),
  createdTo: rangeBound.optional(),
});
/** @public The route's schema, for the OpenAPI document. */
export const campaignsQuery = z.strictObject({
  ...pageQueryShape,
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  createdFrom: rangeBound.optional(),
  createdTo: rangeBound.optional(),
});
/** @public The route's schema, for the OpenAPI document. */
export const inboundMessagesQuery = z.strictObject({
  ...pageQueryShape,
  keyword: z.enum(['stop', 'start', 'help', 'other']).optional(),
  from: z.string().min(1).max(32).optional(),
  receivedFrom: rangeBound.optional(),
  receivedTo: rangeBound.optional(),
});
/** @public The route's schema, for the OpenAPI document. */
export const deadlinesQuery = z.strictObject({
  ...pageQueryShape,
  state: z.enum(['open', 'closed', 'missed']).optional(),
  kind: z
    .string()
    .regex(/^[a-z_]{1,60}$/, 'a deadline kind')
    .optional(),
});

const MESSAGES: Keyset = {
  list: 'messages',
  sort: 'm.created_at',
  sortType: 'timestamp',
  id: 'm.id',
  idType: 'bigint',
  direction: 'desc',
};
const CAMPAIGNS: Keyset = {
  list: 'campaigns',
  sort: 'created_at',
  sortType: 'timestamp',
  id: 'order_id',
  idType: 'uuid',
  direction: 'desc',
};
const INBOUND: Keyset = {
  list: 'inbound',
  sort: 'received_at',
  sortType: 'timestamp',
  id: 'id',
  idType: 'bigint',
  direction: 'desc',
};
/** The nearest clock first. */
const DEADLINES: Keyset = {
  list: 'deadlines',
  sort: 'due_at',
  sortType: 'timestamp',
  id: 'id',
  idType: 'uuid',
  direction: 'asc',
};

function inRange(q: Knex.QueryBuilder, column: string, from?: Date, to?: Date): void {
  if (from) q.andWhere(column, '>=', from);
  if (to) q.andWhere(column, '<', to);
}

/**
 * The recipient as stored (E.164 — a national number in the account's country — or normalised
 * e-mail); what normalises to neither is matched as given.
 */
function storedRecipient(value: string, country: string): string {
  if (value.includes('@')) {
    const e = normaliseEmail(value);
    return e.ok ? e.email : value;
  }
  const p = normalisePhone(value, country);
  return p.ok ? p.e164 : value;
}

function messageItem(m: DbRow) {
  return {
    id: String(m.id),
    campaignId: m.order_id,
    kind: m.kind,
    channel: m.channel,
    to: m.recipient,
    country: m.country ?? null,
    status: m.status,
    carrierError: m.carrier_error ?? null,
    segments: m.segments,
    priceE4: m.price_e4,
    createdAt: iso(m.created_at),
    submittedAt: iso(m.submitted_at),
    finalAt: iso(m.final_at),
  };
}

async function countsOf(db: Knex, rows: DbRow[]): Promise<Map<string, Record<string, number>>> {
  const live = rows.filter((c) => !FINISHED.has(c.status) || !c.summary?.counts).map((c) => c.order_id);
  const out = new Map<string, Record<string, number>>();
  for (const c of rows) if (!live.includes(c.order_id)) out.set(c.order_id, { ...c.summary.counts });
  if (live.length === 0) return out;
  const counted = await db('messages')
    .whereIn('order_id', live)
    .groupBy('order_id', 'status')
    .select('order_id', 'status', db.raw('count(*)::int as n'));
  for (const id of live) out.set(id, {});
  for (const r of counted) out.get(r.order_id)![r.status] = r.n;
  return out;
}

export function customerListsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const auth = authenticate(deps);
  describeListRoutes();
  const countryOf = async (accountId: string): Promise<string> =>
    (await db('accounts').where({ id: accountId }).first('country'))?.country ?? 'FR';

  r.get('/v1/messages', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const q = messagesQuery.parse(req.query);
    const query = db('messages as m')
      .join('campaigns as c', 'c.order_id', 'm.order_id')
      .where('m.account_id', accountId)
      .select('m.*', 'c.kind');
    if (q.channel) query.andWhere('m.channel', q.channel);
    if (q.status) query.andWhere('m.status', q.status);
    if (q.campaign) {
      // Another account's campaign is no campaign of this one: 404, as its own routes answer.
      if (!(await db('campaigns').where({ order_id: q.campaign, account_id: accountId }).first('order_id')))
        throw notFound('campaign');
      query.andWhere('m.order_id', q.campaign);
    }
    if (q.recipient) query.andWhere('m.recipient', storedRecipient(q.recipient, await countryOf(accountId)));
    inRange(query, 'm.created_at', q.createdFrom, q.createdTo);
    res.json(await keysetPage(db, query, MESSAGES, q, messageItem));
  });

  r.get('/v1/campaigns', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const q = campaignsQuery.parse(req.query);
    const query = db('campaigns').where({ account_id: accountId, kind: 'campaign' }).select('*');
    if (q.status) query.andWhere('status', q.status);
    inRange(query, 'created_at', q.createdFrom, q.createdTo);
    const page = await keysetPage(db, query, CAMPAIGNS, q, (c) => c);
    const counts = await countsOf(db, page.items);
    res.json({
      items: page.items.map((c) => ({ ...campaignView(c), counts: counts.get(c.order_id) ?? {} })),
      nextCursor: page.nextCursor,
    });
  });

  r.get('/v1/inbound-messages', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const q = inboundMessagesQuery.parse(req.query);
    const query = db('inbound_messages').where({ account_id: accountId }).select('*');
    if (q.keyword) query.andWhere('keyword', q.keyword);
    if (q.from) query.andWhere('from', storedRecipient(q.from, await countryOf(accountId)));
    inRange(query, 'received_at', q.receivedFrom, q.receivedTo);
    res.json(
      await keysetPage(db, query, INBOUND, q, (m) => ({
        id: String(m.id),
        from: m.from,
        to: m.to,
        body: m.body,
        keyword: m.keyword,
        receivedAt: iso(m.received_at),
      })),
    );
  });

  // The clocks of the contract that concern this account, as the register holds them.
  r.get('/v1/account/deadlines', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const q = deadlinesQuery.parse(req.query);
    const query = db('deadlines').where({ account_id: accountId }).select('*');
    if (q.state) query.andWhere('state', q.state);
    if (q.kind) query.andWhere('kind', q.kind);
    res.json(
      await keysetPage(db, query, DEADLINES, q, (d) => ({
        id: d.id,
        kind: d.kind,
        subject: d.subject || null,
        clause: d.clause,
        dueAt: iso(d.due_at),
        state: d.state,
        outcome: d.outcome ?? null,
        openedAt: iso(d.opened_at),
        closedAt: iso(d.closed_at),
      })),
    );
  });

  return r;
}
