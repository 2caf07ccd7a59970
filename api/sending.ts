// Customer send routes (ToS 6.1–6.3, 10.3 iv): single sends, campaigns (draft, recipients as inline JSON or a
// streamed CSV upload, start, pause / resume / cancel, progress, rejections) and message history.
// Money path: the quote is computed from the messages, the Order created and its funds reserved
// in ONE transaction with the messages; only then is the workflow started (lib/workflow-clients/campaign.ts).
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { sha256 } from '../lib/credentials';
import { InsufficientBalanceError, reserveFunds } from '../lib/ledger';
import { createOrder, loadPriceTable, quoteOrder } from '../lib/orders';
import { campaignProgressOf, campaignStartInput, type CampaignStartRow, cancelCampaignRun, pauseCampaignRun, resumeCampaignRun, startCampaign } from '../lib/workflow-clients/campaign';
import { e4ToCentsDown, e4ToCentsUp, formatEurE4 } from '../domain/money';
import { normaliseEmail } from '../domain/email';
import { normalisePhone } from '../domain/phone';
import { TemplateError } from '../domain/templating';
import type { ApiDeps } from './context';
import { principalOf } from './context';
import { authenticate } from './auth';
import { requireActiveAccount } from './account-guard';
import { Problem, conflict, notFound, unprocessable } from './errors';
import { createRowValidator, usedVariables } from './recipient-rows';
import { byteLimit, csvRows, ingestRecipients, jsonRows, type CampaignTarget } from './recipient-upload';
import { rateLimitPerAccount, TokenBuckets } from './rate-limit';
import type { DbRow } from '../lib/db';
import { bigintId, instant, queryInt } from './schemas';

const channel = z.enum(['sms', 'email']);
const purpose = z.enum(['marketing', 'transactional']);
const varValue = z.union([z.string().max(2000), z.number(), z.null()]);
const vars = z.record(z.string().max(100), varValue);
const MAX_INLINE_RECIPIENTS = 10_000;

const singleSchema = z.strictObject({
  channel, purpose,
  to: z.string().min(1).max(320),
  body: z.string().min(1).max(10_000),
  subject: z.string().min(1).max(998).optional(),
  from: z.string().min(1).max(320).optional(),
  sender: z.string().min(1).max(320).optional(),
  vars: vars.optional(),
});

/** Built per router: scheduledAt is bounded at the time of the request by the app's clock. */
const campaignSchemaAt = (now: () => Date) => z.strictObject({
  channel, purpose,
  sender: z.string().min(1).max(320).optional(),
  subject: z.string().min(1).max(998).optional(),
  template: z.string().min(1).max(10_000),
  scheduledAt: instant('planned', now).optional(),
  recipients: z.array(z.strictObject({ to: z.string().max(320), vars: vars.optional() })).max(MAX_INLINE_RECIPIENTS).optional(),
});

const rejectionsQuery = z.strictObject({
  reason: z.string().max(40).optional(),
  after: bigintId.optional(),
  limit: queryInt(1, 1000).default(100),
});

// Amounts in e4 (the ledger's unit: a single e-mail costs 10); the cents fields are rounded
// so that requested > available still shows (requested up, available down).
const insufficient = (e: InsufficientBalanceError) => new Problem(402, 'insufficient_balance', 'Insufficient balance',
  `The order costs ${formatEurE4(e.requestedE4, 'en')}; ${formatEurE4(e.availableE4, 'en')} is available. Nothing was sent.`,
  {
    availableE4: e.availableE4, requestedE4: e.requestedE4,
    availableCents: e4ToCentsDown(e.availableE4), requestedCents: e4ToCentsUp(e.requestedE4),
  });

const ALPHA_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;
const MESSAGING_SERVICE = /^MG[0-9a-f]{32}$/;

/** The sender as the carrier takes it: E.164, an alphanumeric ID, a Messaging Service, an e-mail. */
function resolveSender(ch: 'sms' | 'email', given: string | undefined, deps: ApiDeps): string {
  const s = (given ?? (ch === 'sms' ? deps.config.SMS_DEFAULT_SENDER : deps.config.EMAIL_DEFAULT_FROM)).trim();
  if (ch === 'email') {
    const e = normaliseEmail(s);
    if (e.ok) return e.email;
  } else {
    if (ALPHA_SENDER.test(s) || MESSAGING_SERVICE.test(s)) return s;
    const p = normalisePhone(s);
    if (p.ok) return p.e164;
  }
  throw unprocessable('invalid_sender', `"${s}" is not a valid ${ch === 'sms' ? 'SMS sender (E.164 number, alphanumeric ID of up to 11 characters, or Messaging Service SID)' : 'from address'}.`);
}

function checkTemplate(template: string, subject: string | undefined): void {
  try {
    usedVariables(template, subject);
  } catch (e) {
    if (e instanceof TemplateError) throw unprocessable('invalid_template', e.message, { placeholders: e.names });
    throw e;
  }
}

function requireSubject(ch: 'sms' | 'email', subject: string | undefined): void {
  if (ch === 'email' && !subject) throw unprocessable('subject_required', 'An e-mail needs a subject.');
  if (ch === 'sms' && subject) throw unprocessable('subject_not_allowed', 'An SMS has no subject.');
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function campaignView(c: DbRow) {
  return {
    id: c.order_id, kind: c.kind, channel: c.channel, purpose: c.purpose, sender: c.sender, subject: c.subject ?? null,
    template: c.template, status: c.status, scheduledAt: iso(c.scheduled_at), total: c.total, rejected: c.rejected,
    rejections: c.rejections ?? {}, createdAt: iso(c.created_at), startedAt: iso(c.started_at), completedAt: iso(c.completed_at),
    summary: c.summary ?? null,
  };
}

const uuidParam = (v: unknown, what: string) => {
  const id = z.uuid().safeParse(v);
  if (!id.success) throw notFound(what);
  return id.data;
};

/** The unique violation of a concurrent request holding the same Idempotency-Key. */
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

export function sendingRouter(deps: ApiDeps): Router {
  const { db, config } = deps;
  const r = Router();
  const auth = authenticate(deps);
  // Suspended or terminated accounts cannot create, start or resume sends (pause and cancel stay open).
  const guard = requireActiveAccount(deps);
  const limited = rateLimitPerAccount(new TokenBuckets(config.SEND_RATE_PER_SECOND, config.SEND_RATE_BURST));
  const now = () => deps.now?.() ?? new Date();
  const campaignSchema = campaignSchemaAt(now);

  const ownCampaign = async (accountId: string, id: unknown, trx: Knex | Knex.Transaction = db) => {
    const c = await trx('campaigns').where({ order_id: uuidParam(id, 'campaign'), account_id: accountId }).first();
    if (!c) throw notFound('campaign');
    return c;
  };
  const accountCountry = async (accountId: string): Promise<string> =>
    (await db('accounts').where({ id: accountId }).first('country'))?.country ?? 'FR';
  const start = (c: DbRow) => startCampaign(deps, campaignStartInput(c as CampaignStartRow, config));

  // ---- single send -----------------------------------------------------------------------------
  r.post('/v1/messages', auth, guard, limited, async (req, res) => {
    const p = principalOf(req);
    const input = singleSchema.parse(req.body);
    const key = req.get('idempotency-key');
    if (key !== undefined && !/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new Problem(400, 'invalid_idempotency_key', 'Invalid Idempotency-Key', 'Use 1–255 visible ASCII characters.');
    }
    const requestHash = sha256(JSON.stringify(input));
    const replay = async () => {
      const row = await db('idempotency_keys').where({ account_id: p.accountId, key }).first();
      if (!row) return false;
      if (row.request_hash !== requestHash) throw conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request.');
      // The first request may have died between its commit and the workflow start.
      const c = row.order_id ? await db('campaigns').where({ order_id: row.order_id }).first() : null;
      if (c) await start(c);
      res.status(row.status_code).setHeader('Idempotent-Replayed', 'true').json(row.response);
      return true;
    };
    if (key !== undefined && (await replay())) return;

    if (input.from && input.sender && input.from !== input.sender) throw unprocessable('sender_conflict', 'Give either from or sender, not two different values.');
    requireSubject(input.channel, input.subject);
    checkTemplate(input.body, input.subject);
    const sender = resolveSender(input.channel, input.sender ?? input.from, deps);
    const at = now();
    const validate = createRowValidator({
      channel: input.channel, purpose: input.purpose, template: input.body, subject: input.subject ?? null,
      defaultCountry: await accountCountry(p.accountId), optOutMention: config.SMS_OPT_OUT_MENTION, prices: await loadPriceTable(db, at),
    });
    const row = validate(input.to, input.vars ?? {});
    if (!row.ok) {
      const detail = { invalid_phone: 'not a valid phone number', invalid_email: 'not a valid e-mail address', missing_variable: `missing variables: ${row.missing?.join(', ')}`, malformed_row: 'malformed', no_price: 'no price for this destination' }[row.reason];
      throw unprocessable(row.reason, `Recipient "${input.to}": ${detail}.`, row.missing ? { missing: row.missing } : {});
    }
    const suppressed = await db('suppressions').where({ account_id: p.accountId, channel: input.channel, address: row.recipient }).first('reason');
    if (suppressed) throw unprocessable('recipient_suppressed', `${row.recipient} is on this account's suppression list (${suppressed.reason}).`, { reason: suppressed.reason });
    const quote = await quoteOrder(db, { channel: input.channel, lines: [{ country: row.country ?? '*', segments: row.segments, quantity: 1 }], at });

    const orderId = randomUUID();
    let body: Record<string, unknown>;
    let campaign: DbRow;
    try {
      ({ body, campaign } = await db.transaction(async (trx) => {
        if (key !== undefined) {
          // Taken first: a concurrent request with the same key waits here, then fails on the key.
          await trx('idempotency_keys').insert({ account_id: p.accountId, key, request_hash: requestHash, status_code: 202, response: '{}', order_id: orderId });
        }
        const order = await createOrder(trx, { id: orderId, accountId: p.accountId, kind: 'single', channel: input.channel, quote });
        const reserved = await reserveFunds(trx, { accountId: p.accountId, orderId, amountE4: order.totalE4 });
        const [c] = await trx('campaigns').insert({
          order_id: orderId, account_id: p.accountId, kind: 'single', channel: input.channel, purpose: input.purpose, sender,
          subject: input.subject ?? null, template: input.body, status: 'running', total: 1, started_at: at, priced_at: at,
          price_list_version: quote.priceListVersion,
        }).returning('*');
        const [m] = await trx('messages').insert({
          order_id: orderId, seq: 1, account_id: p.accountId, channel: input.channel, recipient: row.recipient, country: row.country,
          vars: JSON.stringify(row.vars), status: 'queued', segments: row.segments, price_e4: quote.lines[0].amountE4,
        }).returning(['id', 'updated_at']);
        const out = {
          id: String(m.id), orderId, status: 'queued', channel: input.channel, to: row.recipient, country: row.country, sender,
          segments: row.segments, priceE4: quote.lines[0].amountE4,
          order: {
            totalE4: order.totalE4, totalCents: order.totalCents, reservedE4: reserved.reservedE4, overageE4: reserved.overageE4,
            priceListVersion: quote.priceListVersion,
          },
        };
        if (key !== undefined) await trx('idempotency_keys').where({ account_id: p.accountId, key }).update({ response: JSON.stringify(out) });
        return { body: out, campaign: c };
      }));
    } catch (e) {
      if (e instanceof InsufficientBalanceError) throw insufficient(e);
      if (key !== undefined && isUniqueViolation(e) && (await replay())) return;
      throw e;
    }
    await start(campaign);
    res.status(202).json(body);
  });

  r.get('/v1/messages/:id', auth, async (req, res) => {
    const p = principalOf(req);
    const id = String(req.params.id);
    if (!/^\d{1,18}$/.test(id)) throw notFound('message');
    const m = await db('messages as m').join('campaigns as c', 'c.order_id', 'm.order_id')
      .where({ 'm.id': id, 'm.account_id': p.accountId })
      .first('m.*', 'c.kind', 'c.purpose', 'c.sender', 'c.priced_at', 'c.created_at as campaign_created_at', 'c.price_list_version');
    if (!m) throw notFound('message');
    const events = await db('message_events').where({ message_id: id }).orderBy('id').select('at', 'status', 'detail');
    // Acceptance and pricing happen once per upload, for every message of it: that first history
    // entry is the upload's (not one row per message written at upload).
    const accepted = { at: iso(m.priced_at ?? m.campaign_created_at), status: 'accepted', detail: `priced ${m.segments} × unit = ${m.price_e4} e4 (price list ${m.price_list_version ?? 'n/a'}), queued` };
    res.json({
      id: String(m.id), orderId: m.order_id, seq: m.seq, kind: m.kind, channel: m.channel, purpose: m.purpose, sender: m.sender,
      to: m.recipient, country: m.country, status: m.status, segments: m.segments, priceE4: m.price_e4, attempts: m.attempts,
      carrierId: m.carrier_id ?? null, carrierError: m.carrier_error ?? null, submittedAt: iso(m.submitted_at), finalAt: iso(m.final_at),
      history: [accepted, ...events.map((e) => ({ at: iso(e.at), status: e.status, detail: e.detail ?? null }))],
    });
  });

  // ---- campaigns -------------------------------------------------------------------------------
  r.post('/v1/campaigns', auth, guard, limited, async (req, res) => {
    const p = principalOf(req);
    const input = campaignSchema.parse(req.body);
    requireSubject(input.channel, input.subject);
    checkTemplate(input.template, input.subject);
    const sender = resolveSender(input.channel, input.sender, deps);
    const row = {
      order_id: randomUUID(), account_id: p.accountId, kind: 'campaign', channel: input.channel, purpose: input.purpose, sender,
      subject: input.subject ?? null, template: input.template, status: 'draft', scheduled_at: input.scheduledAt ? new Date(input.scheduledAt) : null,
    };
    let upload = null;
    if (input.recipients) {
      upload = await ingestRecipients(db, target(row, await accountCountry(p.accountId)), [jsonRows(input.recipients)], {
        optOutMention: config.SMS_OPT_OUT_MENTION, maxRows: MAX_INLINE_RECIPIENTS, createCampaign: row, now: now(),
      });
    } else {
      await db('campaigns').insert(row);
    }
    const c = await db('campaigns').where({ order_id: row.order_id }).first();
    res.status(201).json({ ...campaignView(c), ...(upload ? { upload } : {}) });
  });

  r.put('/v1/campaigns/:id/recipients', auth, guard, limited, async (req, res) => {
    const p = principalOf(req);
    if (!req.is('text/csv')) throw new Problem(415, 'unsupported_media_type', 'Unsupported media type', 'Upload the recipients as Content-Type: text/csv.');
    const c = await ownCampaign(p.accountId, req.params.id);
    if (c.kind !== 'campaign') throw notFound('campaign');
    const upload = await ingestRecipients(db, target(c, await accountCountry(p.accountId)),
      [req, byteLimit(config.UPLOAD_LIMIT_BYTES), ...csvRows(usedVariables(c.template, c.subject))],
      { optOutMention: config.SMS_OPT_OUT_MENTION, maxRows: config.MAX_CAMPAIGN_RECIPIENTS, now: now() });
    res.json(upload);
  });

  r.post('/v1/campaigns/:id/start', auth, guard, limited, async (req, res) => {
    const p = principalOf(req);
    const id = uuidParam(req.params.id, 'campaign');
    let order: { totalE4: number; totalCents: number; reservedE4: number; overageE4: number } | null = null;
    let c: DbRow;
    try {
      c = await db.transaction(async (trx) => {
        const cur = await trx('campaigns').where({ order_id: id, account_id: p.accountId, kind: 'campaign' }).forUpdate().first();
        if (!cur) throw notFound('campaign');
        if (['scheduled', 'running', 'paused'].includes(cur.status)) return cur; // already started: idempotent
        if (['completed', 'cancelled', 'failed'].includes(cur.status)) throw conflict('campaign_finished', `The campaign is ${cur.status}.`, { status: cur.status });
        if (cur.status !== 'ready' || cur.total === 0) throw conflict('campaign_not_ready', 'Upload at least one accepted recipient before starting.', { status: cur.status, total: cur.total });
        const lines = (await trx('messages').where({ order_id: id }).groupBy('country', 'segments')
          .select('country', 'segments', trx.raw('count(*)::int as n'), trx.raw('sum(price_e4)::bigint as e4'))) as { country: string | null; segments: number; n: number; e4: string }[];
        const quote = await quoteOrder(trx, { channel: cur.channel, lines: lines.map((l) => ({ country: l.country ?? '*', segments: l.segments, quantity: l.n })), at: new Date(cur.priced_at) });
        if (quote.totalE4 !== lines.reduce((s, l) => s + Number(l.e4), 0)) {
          throw conflict('prices_changed', 'The price list in force at the upload has changed since; upload the recipients again.');
        }
        const created = await createOrder(trx, { id, accountId: p.accountId, kind: 'campaign', channel: cur.channel, quote });
        const reserved = await reserveFunds(trx, { accountId: p.accountId, orderId: id, amountE4: created.totalE4 });
        order = { totalE4: created.totalE4, totalCents: created.totalCents, ...reserved };
        const later = cur.scheduled_at && new Date(cur.scheduled_at) > now();
        const [updated] = await trx('campaigns').where({ order_id: id })
          .update({ status: later ? 'scheduled' : 'running', started_at: later ? null : now() }).returning('*');
        return updated;
      });
    } catch (e) {
      if (e instanceof InsufficientBalanceError) throw insufficient(e);
      throw e;
    }
    await start(c);
    res.status(202).json({ ...campaignView(c), ...(order ? { order } : {}) });
  });

  const steer = (action: 'pause' | 'resume' | 'cancel', run: typeof pauseCampaignRun) =>
    r.post(`/v1/campaigns/:id/${action}`, auth, ...(action === 'resume' ? [guard] : []), async (req, res) => {
      const p = principalOf(req);
      const c = await ownCampaign(p.accountId, req.params.id);
      if (c.kind !== 'campaign') throw notFound('campaign');
      if (action === 'cancel' && ['draft', 'ready'].includes(c.status)) {
        // Never started: no order, no workflow, nothing reserved.
        const n = await db('campaigns').where({ order_id: c.order_id }).whereIn('status', ['draft', 'ready']).update({ status: 'cancelled', completed_at: now() });
        if (n) {
          res.json({ id: c.order_id, status: 'cancelled' });
          return;
        }
      }
      if (['draft', 'ready', 'completed', 'cancelled', 'failed'].includes(c.status)) {
        throw conflict('campaign_not_running', `The campaign is ${c.status}.`, { status: c.status });
      }
      try {
        res.json({ id: c.order_id, status: await run(deps.temporal, c.order_id) });
      } catch (e) {
        if (e instanceof WorkflowNotFoundError) throw conflict('campaign_not_running', 'The campaign is not running.');
        if (e instanceof WorkflowUpdateFailedError) throw conflict('invalid_transition', e.cause?.message ?? e.message);
        throw e;
      }
    });
  steer('pause', pauseCampaignRun);
  steer('resume', resumeCampaignRun);
  steer('cancel', cancelCampaignRun);

  r.get('/v1/campaigns/:id', auth, async (req, res) => {
    const p = principalOf(req);
    const c = await ownCampaign(p.accountId, req.params.id);
    const counts: Record<string, number> = {};
    for (const row of await db('messages').where({ order_id: c.order_id }).groupBy('status').select('status', db.raw('count(*)::int as n'))) {
      counts[row.status] = row.n;
    }
    let progress = null;
    if (['scheduled', 'running', 'paused'].includes(c.status)) {
      progress = await Promise.race([
        campaignProgressOf(deps.temporal, c.order_id).catch(() => null),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000).unref()),
      ]);
    }
    res.json({ ...campaignView(c), counts, progress });
  });

  r.get('/v1/campaigns/:id/rejections', auth, async (req, res) => {
    const p = principalOf(req);
    const c = await ownCampaign(p.accountId, req.params.id);
    const q = rejectionsQuery.parse(req.query);
    const rows = await db('recipient_rejections').where({ order_id: c.order_id })
      .modify((b) => { if (q.reason) b.andWhere({ reason: q.reason }); if (q.after) b.andWhere('id', '>', q.after); })
      .orderBy('id').limit(q.limit).select('id', 'row_no', 'value', 'reason');
    res.json({
      items: rows.map((x: { row_no: number; value: string; reason: string }) => ({ row: x.row_no, value: x.value, reason: x.reason })),
      next: rows.length === q.limit ? String(rows[rows.length - 1].id) : null,
    });
  });

  return r;
}

function target(c: DbRow, defaultCountry: string): CampaignTarget {
  return {
    orderId: c.order_id, accountId: c.account_id, channel: c.channel, purpose: c.purpose, template: c.template,
    subject: c.subject ?? null, defaultCountry,
  };
}
