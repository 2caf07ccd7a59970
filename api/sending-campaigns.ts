// Campaigns (ToS 6.1–6.3, 10.3 iv): a draft with its recipients (inline JSON at creation or a
// streamed CSV upload, recipient-upload.ts), start — the Order is created and its funds reserved
// in ONE transaction at the prices of the upload, then the workflow starts (lib/workflow-clients/campaign.ts) —,
// pause / resume / cancel through the workflow, progress and the rejected rows.
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { InsufficientBalanceError } from '../lib/ledger';
import { reserveFunds } from '../lib/ledger-reservations';
import { createOrder, quoteOrder } from '../lib/orders';
import {
  campaignProgressOf,
  cancelCampaignRun,
  pauseCampaignRun,
  resumeCampaignRun,
} from '../lib/workflow-clients/campaign';
import type { DbRow } from '../lib/db';
import { principalOf } from './context';
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { Problem, conflict, notFound } from './errors';
import { usedVariables } from './recipient-rows';
import { ingestRecipients } from './recipient-upload';
import { byteLimit, csvRows, jsonRows } from './recipient-upload-sources';
import { bigintId, instant, queryInt } from './schemas';
import { recordEvents } from '../lib/webhooks/events';
import {
  campaignView,
  channel,
  checkTemplate,
  insufficient,
  purpose,
  requireSubject,
  resolveSender,
  target,
  uuidParam,
  vars,
  type SendingContext,
} from './sending-common';

const MAX_INLINE_RECIPIENTS = 10_000;

/** Built per router: scheduledAt is bounded at the time of the request by the app's clock. */
export const campaignSchemaAt = (now: () => Date) =>
  z.strictObject({
    channel,
    purpose,
    sender: z.string().min(1).max(320).optional(),
    subject: z.string().min(1).max(998).optional(),
    template: z.string().min(1).max(10_000),
    scheduledAt: instant('planned', now).optional(),
    recipients: z
      .array(z.strictObject({ to: z.string().max(320), vars: vars.optional() }))
      .max(MAX_INLINE_RECIPIENTS)
      .optional(),
  });

export const rejectionsQuery = z.strictObject({
  reason: z.string().max(40).optional(),
  after: bigintId.optional(),
  limit: queryInt(1, 1000).default(100),
});

export function campaignRoutes(r: Router, ctx: SendingContext): void {
  const { deps, auth, guard, limited, now, ownCampaign, accountCountry, enqueueStart, kickStart } = ctx;
  const { db, config } = deps;
  const campaignSchema = campaignSchemaAt(now);

  r.post('/v1/campaigns', auth, requireRole(...ALLOWED.send), guard, limited, async (req, res) => {
    const p = principalOf(req);
    const input = campaignSchema.parse(req.body);
    requireSubject(input.channel, input.subject);
    checkTemplate(input.template, input.subject);
    const sender = resolveSender(input.channel, input.sender, deps);
    const row = {
      order_id: randomUUID(),
      account_id: p.accountId,
      kind: 'campaign',
      channel: input.channel,
      purpose: input.purpose,
      sender,
      subject: input.subject ?? null,
      template: input.template,
      status: 'draft',
      scheduled_at: input.scheduledAt ? new Date(input.scheduledAt) : null,
    };
    let upload = null;
    if (input.recipients) {
      upload = await ingestRecipients(
        db,
        target(row, await accountCountry(p.accountId)),
        [jsonRows(input.recipients)],
        {
          optOutMention: config.SMS_OPT_OUT_MENTION,
          maxRows: MAX_INLINE_RECIPIENTS,
          createCampaign: row,
          now: now(),
        },
      );
    } else {
      await db('campaigns').insert(row);
    }
    const c = await db('campaigns').where({ order_id: row.order_id }).first();
    res.status(201).json({ ...campaignView(c), ...(upload ? { upload } : {}) });
  });

  r.put('/v1/campaigns/:id/recipients', auth, requireRole(...ALLOWED.send), guard, limited, async (req, res) => {
    const p = principalOf(req);
    if (!req.is('text/csv'))
      throw new Problem(
        415,
        'unsupported_media_type',
        'Unsupported media type',
        'Upload the recipients as Content-Type: text/csv.',
      );
    const c = await ownCampaign(p.accountId, req.params.id);
    if (c.kind !== 'campaign') throw notFound('campaign');
    const upload = await ingestRecipients(
      db,
      target(c, await accountCountry(p.accountId)),
      [req, byteLimit(config.UPLOAD_LIMIT_BYTES), ...csvRows(usedVariables(c.template, c.subject))],
      { optOutMention: config.SMS_OPT_OUT_MENTION, maxRows: config.MAX_CAMPAIGN_RECIPIENTS, now: now() },
    );
    res.json(upload);
  });

  r.post('/v1/campaigns/:id/start', auth, requireRole(...ALLOWED.send), guard, limited, async (req, res) => {
    const p = principalOf(req);
    const id = uuidParam(req.params.id, 'campaign');
    let order: { totalE4: number; totalCents: number; reservedE4: number; overageE4: number } | null = null;
    let c: DbRow;
    try {
      c = await db.transaction(async (trx) => {
        const cur = await trx('campaigns')
          .where({ order_id: id, account_id: p.accountId, kind: 'campaign' })
          .forUpdate()
          .first();
        if (!cur) throw notFound('campaign');
        if (['scheduled', 'running', 'paused'].includes(cur.status)) {
          await enqueueStart(trx, cur); // already started: idempotent (writes nothing when its start is written)
          return cur;
        }
        if (['completed', 'cancelled', 'failed'].includes(cur.status))
          throw conflict('campaign_finished', `The campaign is ${cur.status}.`, { campaignStatus: cur.status });
        if (cur.status !== 'ready' || cur.total === 0)
          throw conflict('campaign_not_ready', 'Upload at least one accepted recipient before starting.', {
            status: cur.status,
            total: cur.total,
          });
        const lines = (await trx('messages')
          .where({ order_id: id })
          .groupBy('country', 'segments')
          .select('country', 'segments', trx.raw('count(*)::int as n'), trx.raw('sum(price_e4)::bigint as e4'))) as {
          country: string | null;
          segments: number;
          n: number;
          e4: string;
        }[];
        const quote = await quoteOrder(trx, {
          channel: cur.channel,
          lines: lines.map((l) => ({ country: l.country ?? '*', segments: l.segments, quantity: l.n })),
          at: new Date(cur.priced_at),
        });
        if (quote.totalE4 !== lines.reduce((s, l) => s + Number(l.e4), 0)) {
          throw conflict(
            'prices_changed',
            'The price list in force at the upload has changed since; upload the recipients again.',
          );
        }
        const created = await createOrder(trx, {
          id,
          accountId: p.accountId,
          kind: 'campaign',
          channel: cur.channel,
          quote,
        });
        const reserved = await reserveFunds(trx, { accountId: p.accountId, orderId: id, amountE4: created.totalE4 });
        order = { totalE4: created.totalE4, totalCents: created.totalCents, ...reserved };
        const later = cur.scheduled_at && new Date(cur.scheduled_at) > now();
        const [updated] = await trx('campaigns')
          .where({ order_id: id })
          .update({ status: later ? 'scheduled' : 'running', started_at: later ? null : now() })
          .returning('*');
        // Webhook: started now (a scheduled one's event comes with the workflow's projection).
        if (!later) {
          const data = { campaign_id: id, status: 'running' };
          await recordEvents(trx, [{ accountId: p.accountId, type: 'campaign.started', key: `evt_cs${id}`, data }]);
        }
        await enqueueStart(trx, updated);
        return updated;
      });
    } catch (e) {
      if (e instanceof InsufficientBalanceError) throw insufficient(e);
      throw e;
    }
    await kickStart(req, c.order_id); // also when already started: its start may still be pending
    res.status(202).json({ ...campaignView(c), ...(order ? { order } : {}) });
  });

  const steer = (action: 'pause' | 'resume' | 'cancel', run: typeof pauseCampaignRun) =>
    r.post(
      `/v1/campaigns/:id/${action}`,
      auth,
      requireRole(...ALLOWED.send),
      ...(action === 'resume' ? [guard] : []),
      async (req, res) => {
        const p = principalOf(req);
        const c = await ownCampaign(p.accountId, req.params.id);
        if (c.kind !== 'campaign') throw notFound('campaign');
        if (action === 'cancel' && ['draft', 'ready'].includes(c.status)) {
          // Never started: no order, no workflow, nothing reserved.
          const n = await db('campaigns')
            .where({ order_id: c.order_id })
            .whereIn('status', ['draft', 'ready'])
            .update({ status: 'cancelled', completed_at: now() });
          if (n) {
            res.json({ id: c.order_id, status: 'cancelled' });
            return;
          }
        }
        if (['draft', 'ready', 'completed', 'cancelled', 'failed'].includes(c.status)) {
          throw conflict('campaign_not_running', `The campaign is ${c.status}.`, { campaignStatus: c.status });
        }
        try {
          res.json({ id: c.order_id, status: await run(deps.temporal, c.order_id) });
        } catch (e) {
          if (e instanceof WorkflowNotFoundError)
            throw conflict('campaign_not_running', 'The campaign is not running.');
          if (e instanceof WorkflowUpdateFailedError)
            throw conflict('invalid_transition', e.cause?.message ?? e.message);
          throw e;
        }
      },
    );
  steer('pause', pauseCampaignRun);
  steer('resume', resumeCampaignRun);
  steer('cancel', cancelCampaignRun);

  r.get('/v1/campaigns/:id', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const p = principalOf(req);
    const c = await ownCampaign(p.accountId, req.params.id);
    const counts: Record<string, number> = {};
    for (const row of await db('messages')
      .where({ order_id: c.order_id })
      .groupBy('status')
      .select('status', db.raw('count(*)::int as n'))) {
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

  r.get('/v1/campaigns/:id/rejections', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const p = principalOf(req);
    const c = await ownCampaign(p.accountId, req.params.id);
    const q = rejectionsQuery.parse(req.query);
    const rows = await db('recipient_rejections')
      .where({ order_id: c.order_id })
      .modify((b) => {
        if (q.reason) b.andWhere({ reason: q.reason });
        if (q.after) b.andWhere('id', '>', q.after);
      })
      .orderBy('id')
      .limit(q.limit)
      .select('id', 'row_no', 'value', 'reason');
    res.json({
      items: rows.map((x: { row_no: number; value: string; reason: string }) => ({
        row: x.row_no,
        value: x.value,
        reason: x.reason,
      })),
      next: rows.length === q.limit ? String(rows[rows.length - 1].id) : null,
    });
  });
}
