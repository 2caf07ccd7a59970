// Outbound webhook endpoints (docs/webhooks.md), per account: create (the signing secret shown
// once), list, read, change, delete, rotate the secret with an overlap during which both sign.
// Creating or enabling an endpoint writes the start of its dispatcher workflow in the same
// transaction (the outbox). Writes: POST, PATCH, DELETE, rotate-secret (webhook-operations.ts:
// redeliver, ping).
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { describeWebhookRoutes } from './openapi/self-service';
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { audit } from '../lib/audit';
import type { DbRow } from '../lib/db';
import { EVENT_TYPES } from '../lib/webhooks/events';
import { newWebhookSecret } from '../lib/webhooks/signature';
import { checkWebhookUrl, WebhookUrlError } from '../lib/webhooks/url-guard';
import { enqueueWebhookDispatcher } from '../lib/workflow-clients/webhook-dispatch';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import type { PendingStart } from '../lib/workflow-clients/outbox';
import { authenticate } from './auth';
import { type ApiDeps, type Principal, principalOf } from './context';
import { notFound, unprocessable } from './errors';

/** @public (the OpenAPI registry) */
export const webhookUrl = z.string().trim().min(1).max(2048);
/** @public (the OpenAPI registry) */
export const webhookEventTypes = z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length);

/** @public (the OpenAPI registry) */
export const createWebhookEndpointBody = z.strictObject({
  url: webhookUrl,
  eventTypes: webhookEventTypes,
  description: z.string().trim().max(200).default(''),
  enabled: z.boolean().default(true),
});

/** @public (the OpenAPI registry) */
export const updateWebhookEndpointBody = z
  .strictObject({
    url: webhookUrl.optional(),
    eventTypes: webhookEventTypes.optional(),
    description: z.string().trim().max(200).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'at least one field');

/** @public (the OpenAPI registry) */
export const rotateWebhookSecretBody = z.strictObject({
  /** How long the previous secret keeps signing (both signatures are sent meanwhile). */
  overlapHours: z.number().int().min(0).max(168).default(24),
});

/** @public (the OpenAPI registry) */
export const webhookEndpointId = z.uuid();

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

const endpointView = (e: DbRow) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  eventTypes: e.event_types,
  enabled: e.enabled,
  disabledReason: e.disabled_reason,
  disabledAt: iso(e.disabled_at),
  previousSecretExpiresAt:
    e.previous_secret_until && new Date(e.previous_secret_until) > new Date() ? iso(e.previous_secret_until) : null,
  lastSuccessAt: iso(e.last_success_at),
  createdAt: iso(e.created_at),
});

/** The caller's endpoint (not deleted), or 404: another account's id is not found. */
export async function ownEndpoint(db: Knex | Knex.Transaction, p: Principal, rawId: unknown, lock = false) {
  const id = webhookEndpointId.safeParse(rawId);
  if (!id.success) throw notFound('webhook endpoint');
  const q = db('webhook_endpoints').where({ id: id.data, account_id: p.accountId }).whereNull('deleted_at');
  const row = await (lock ? q.forUpdate() : q).first();
  if (!row) throw notFound('webhook endpoint');
  return row as DbRow;
}

export function webhookEndpointsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, config } = deps;
  const auth = authenticate(deps);
  describeWebhookRoutes();
  const urlPolicy = { allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK, development: config.NODE_ENV === 'development' };
  const checkUrl = async (url: string) => {
    try {
      return (await checkWebhookUrl(url, urlPolicy)).toString();
    } catch (err) {
      if (err instanceof WebhookUrlError) throw unprocessable(err.code, err.message, { path: 'body.url' });
      throw err;
    }
  };
  const actor = (p: Principal) => ({
    actorType: p.via === 'session' ? ('member' as const) : ('api_key' as const),
    actorId: p.memberId ?? p.apiKeyId,
    accountId: p.accountId,
  });

  r.post('/v1/webhook-endpoints', auth, requireRole(...ALLOWED.integrate), async (req, res) => {
    const p = principalOf(req);
    const body = createWebhookEndpointBody.parse(req.body);
    const url = await checkUrl(body.url); // before any write
    const id = randomUUID();
    const secret = newWebhookSecret();
    let pending: PendingStart | null = null;
    const row = await db.transaction(async (trx) => {
      const [e] = await trx('webhook_endpoints')
        .insert({
          id,
          account_id: p.accountId,
          url,
          description: body.description,
          event_types: [...new Set(body.eventTypes)],
          enabled: body.enabled,
          secret,
        })
        .returning('*');
      if (body.enabled)
        pending = await enqueueWebhookDispatcher(trx, config, { id, accountId: p.accountId, generation: 1 });
      await audit(trx, { ...actor(p), action: 'webhook_endpoint.create', resource: id, requestId: String(req.id) });
      return e;
    });
    if (pending) await relayNow(deps, pending);
    // The only time the secret is shown (rotation shows the new one once too).
    res.status(201).json({ ...endpointView(row), secret });
  });

  r.get('/v1/webhook-endpoints', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const p = principalOf(req);
    const rows = await db('webhook_endpoints')
      .where({ account_id: p.accountId })
      .whereNull('deleted_at')
      .orderBy('created_at');
    res.json({ items: rows.map(endpointView) });
  });

  r.get('/v1/webhook-endpoints/:id', auth, requireRole(...ALLOWED.read), async (req, res) => {
    res.json(endpointView(await ownEndpoint(db, principalOf(req), req.params.id)));
  });

  r.patch('/v1/webhook-endpoints/:id', auth, requireRole(...ALLOWED.integrate), async (req, res) => {
    const p = principalOf(req);
    const body = updateWebhookEndpointBody.parse(req.body);
    await ownEndpoint(db, p, req.params.id); // 404 before the URL's look-up
    const url = body.url === undefined ? undefined : await checkUrl(body.url);
    let pending: PendingStart | null = null;
    const row = await db.transaction(async (trx) => {
      const e = await ownEndpoint(trx, p, req.params.id, true);
      const enabling = body.enabled === true && !e.enabled;
      const generation = enabling ? Number(e.generation) + 1 : Number(e.generation);
      const [u] = await trx('webhook_endpoints')
        .where({ id: e.id })
        .update({
          ...(url !== undefined ? { url } : {}),
          ...(body.eventTypes ? { event_types: [...new Set(body.eventTypes)] } : {}),
          ...(body.description !== undefined ? { description: body.description } : {}),
          ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
          ...(enabling ? { generation, disabled_reason: null, disabled_at: null } : {}),
          ...(body.enabled === false && e.enabled
            ? { disabled_reason: 'disabled by the customer', disabled_at: trx.fn.now() }
            : {}),
          updated_at: trx.fn.now(),
        })
        .returning('*');
      // A new dispatcher per generation: the previous one ended when it saw the endpoint disabled.
      if (enabling)
        pending = await enqueueWebhookDispatcher(trx, config, { id: e.id, accountId: p.accountId, generation });
      await audit(trx, { ...actor(p), action: 'webhook_endpoint.update', resource: e.id, requestId: String(req.id) });
      return u;
    });
    if (pending) await relayNow(deps, pending);
    res.json(endpointView(row));
  });

  r.delete('/v1/webhook-endpoints/:id', auth, requireRole(...ALLOWED.integrate), async (req, res) => {
    const p = principalOf(req);
    await db.transaction(async (trx) => {
      const e = await ownEndpoint(trx, p, req.params.id, true);
      await trx('webhook_endpoints')
        .where({ id: e.id })
        .update({ deleted_at: trx.fn.now(), enabled: false, updated_at: trx.fn.now() });
      await audit(trx, { ...actor(p), action: 'webhook_endpoint.delete', resource: e.id, requestId: String(req.id) });
    });
    res.status(204).end();
  });

  r.post('/v1/webhook-endpoints/:id/rotate-secret', auth, requireRole(...ALLOWED.integrate), async (req, res) => {
    const p = principalOf(req);
    const { overlapHours } = rotateWebhookSecretBody.parse(req.body ?? {});
    const secret = newWebhookSecret();
    const row = await db.transaction(async (trx) => {
      const e = await ownEndpoint(trx, p, req.params.id, true);
      const [u] = await trx('webhook_endpoints')
        .where({ id: e.id })
        .update({
          secret,
          previous_secret: overlapHours > 0 ? e.secret : null,
          previous_secret_until: overlapHours > 0 ? trx.raw(`now() + ? * interval '1 hour'`, [overlapHours]) : null,
          updated_at: trx.fn.now(),
        })
        .returning('*');
      await audit(trx, {
        ...actor(p),
        action: 'webhook_endpoint.rotate_secret',
        resource: e.id,
        requestId: String(req.id),
      });
      return u;
    });
    res.json({ ...endpointView(row), secret });
  });

  return r;
}
