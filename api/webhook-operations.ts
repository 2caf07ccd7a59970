// Operations on a webhook endpoint (docs/webhooks.md): its delivery log (every attempt: time,
// status, latency, response excerpt), its events and their state, redelivery (one event, or
// every failed one since an instant), a `ping` test event, and its health (success rate over
// 24 h, backlog). Writes: redeliver, ping.
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { DbRow } from '../lib/db';
import { authenticate } from './auth';
import { type ApiDeps, principalOf } from './context';
import { conflict, notFound } from './errors';
import { bigintId, instant, queryInt } from './schemas';
import { ownEndpoint } from './webhook-endpoints';

/** @public (the OpenAPI registry) */
export const webhookLogQuery = z.strictObject({
  after: bigintId.optional(),
  limit: queryInt(1, 500).optional(),
});

/** @public (the OpenAPI registry) */
export const webhookEventsQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failed']).optional(),
  after: bigintId.optional(),
  limit: queryInt(1, 500).optional(),
});

/** @public (the OpenAPI registry) */
export const redeliverBody = z.union([
  z.strictObject({ eventId: z.string().min(1).max(100) }),
  z.strictObject({ failedSince: instant('occurred') }),
]);

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

const attemptView = (a: DbRow) => ({
  id: String(a.id),
  eventId: a.event_id,
  type: a.type,
  attemptedAt: iso(a.attempted_at),
  statusCode: a.status_code,
  latencyMs: a.latency_ms,
  responseExcerpt: a.response_excerpt,
  error: a.error,
});

const eventView = (e: DbRow) => ({
  cursor: String(e.id),
  eventId: e.event_id,
  type: e.type,
  status: e.status,
  attempts: e.attempts,
  createdAt: iso(e.created_at),
  nextAttemptAt: e.status === 'pending' ? iso(e.next_attempt_at) : null,
  deliveredAt: iso(e.delivered_at),
  lastStatusCode: e.last_status,
  payload: e.payload,
});

export function webhookOperationsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const auth = authenticate(deps);

  r.get('/v1/webhook-endpoints/:id/attempts', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const e = await ownEndpoint(db, principalOf(req), req.params.id);
    const q = webhookLogQuery.parse(req.query);
    const limit = q.limit ?? 100;
    const rows = await db('webhook_attempts as a')
      .join('webhook_events as w', 'w.id', 'a.event_row_id')
      .where('a.endpoint_id', e.id)
      .modify((b) => (q.after ? b.where('a.id', '<', q.after) : b))
      .orderBy('a.id', 'desc')
      .limit(limit)
      .select('a.*', 'w.event_id', 'w.type');
    res.json({ items: rows.map(attemptView), next: rows.length === limit ? String(rows[rows.length - 1].id) : null });
  });

  r.get('/v1/webhook-endpoints/:id/events', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const e = await ownEndpoint(db, principalOf(req), req.params.id);
    const q = webhookEventsQuery.parse(req.query);
    const limit = q.limit ?? 100;
    const rows = await db('webhook_events')
      .where({ endpoint_id: e.id })
      .modify((b) => (q.status ? b.where({ status: q.status }) : b))
      .modify((b) => (q.after ? b.where('id', '<', q.after) : b))
      .orderBy('id', 'desc')
      .limit(limit);
    res.json({ items: rows.map(eventView), next: rows.length === limit ? String(rows[rows.length - 1].id) : null });
  });

  // The event goes back to the start of the schedule, with its webhook-id: receivers deduplicate.
  r.post('/v1/webhook-endpoints/:id/redeliver', auth, requireRole(...ALLOWED.integrate), async (req, res) => {
    const e = await ownEndpoint(db, principalOf(req), req.params.id);
    const body = redeliverBody.parse(req.body);
    if (!e.enabled) throw conflict('webhook_endpoint_disabled', 'Enable the endpoint first (PATCH enabled: true).');
    const reset = {
      status: 'pending',
      retry_index: 0,
      next_attempt_at: db.fn.now(),
      first_attempt_at: null,
      claimed_until: null,
    };
    const q = db('webhook_events').where({ endpoint_id: e.id });
    const n =
      'eventId' in body
        ? await q.where({ event_id: body.eventId }).whereNot({ status: 'pending' }).update(reset)
        : await q.where({ status: 'failed' }).where('created_at', '>=', body.failedSince).update(reset);
    if ('eventId' in body && n === 0) {
      const exists = await db('webhook_events').where({ endpoint_id: e.id, event_id: body.eventId }).first('id');
      if (!exists) throw notFound('webhook event');
    }
    res.status(202).json({ requeued: n });
  });

  r.post('/v1/webhook-endpoints/:id/ping', auth, requireRole(...ALLOWED.integrate), async (req, res) => {
    const p = principalOf(req);
    const e = await ownEndpoint(db, p, req.params.id);
    if (!e.enabled) throw conflict('webhook_endpoint_disabled', 'Enable the endpoint first (PATCH enabled: true).');
    const eventId = `evt_ping${randomUUID().replace(/-/g, '')}`;
    const createdAt = new Date().toISOString();
    const payload = {
      id: eventId,
      type: 'ping',
      created_at: createdAt,
      account_id: p.accountId,
      data: { endpoint_id: e.id },
    };
    await db('webhook_events').insert({
      endpoint_id: e.id,
      account_id: p.accountId,
      event_id: eventId,
      type: 'ping',
      payload: JSON.stringify(payload),
    });
    res.status(202).json({ eventId });
  });

  r.get('/v1/webhook-endpoints/:id/health', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const e = await ownEndpoint(db, principalOf(req), req.params.id);
    const { rows } = await db.raw(
      `select (select count(*) from webhook_attempts where endpoint_id = ? and attempted_at > now() - interval '24 hours')::int as attempts,
              (select count(*) from webhook_attempts where endpoint_id = ? and attempted_at > now() - interval '24 hours'
                  and status_code between 200 and 299)::int as ok,
              (select count(*) from webhook_events where endpoint_id = ? and status = 'pending')::int as backlog,
              (select min(created_at) from webhook_events where endpoint_id = ? and status = 'pending') as oldest,
              (select count(*) from webhook_events where endpoint_id = ? and status = 'failed')::int as failed`,
      [e.id, e.id, e.id, e.id, e.id],
    );
    const h = rows[0];
    res.json({
      enabled: e.enabled,
      disabledReason: e.disabled_reason,
      lastSuccessAt: iso(e.last_success_at),
      attempts24h: h.attempts,
      successRate24h: h.attempts > 0 ? Math.round((h.ok / h.attempts) * 10_000) / 10_000 : null,
      backlog: h.backlog,
      oldestPendingAt: iso(h.oldest),
      failed: h.failed,
    });
  });

  return r;
}
