// API keys: created by a member (session), shown once, stored hashed, listed, revocable.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { newApiKey } from '../lib/credentials';
import { audit } from '../lib/audit';
import { ApiDeps, principalOf } from './context';
import { forbidden, notFound } from './errors';
import { authenticate, requireMemberSession } from './auth';
import type { DbRow } from '../lib/db';
import { describeRoute } from './openapi/registry';
import { ALLOWED, mayGrant, MEMBER_ROLES } from '../domain/member-roles';
import { requireRole } from './roles';

const createSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** The role the key acts with: at most its creator's (domain/member-roles.ts); default theirs. */
  role: z.enum(MEMBER_ROLES).optional(),
});

const instantOrNull = z.iso.datetime().nullable();
const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(MEMBER_ROLES),
  createdAt: z.iso.datetime(),
  lastUsedAt: instantOrNull,
  revokedAt: instantOrNull,
});

const view = (k: DbRow) => ({
  id: k.id,
  name: k.name,
  prefix: `tk_${k.prefix}`,
  role: k.role,
  createdAt: new Date(k.created_at).toISOString(),
  lastUsedAt: k.last_used_at ? new Date(k.last_used_at).toISOString() : null,
  revokedAt: k.revoked_at ? new Date(k.revoked_at).toISOString() : null,
});

export function apiKeysRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const auth = authenticate(deps);
  const integrate = requireRole(...ALLOWED.integrate);

  describeRoute({
    method: 'post',
    path: '/v1/api-keys',
    summary: 'Create an API key (shown once)',
    tag: 'Access',
    access: 'member',
    body: createSchema,
    responses: { 201: apiKeySchema.extend({ key: z.string() }) },
  });
  r.post('/v1/api-keys', auth, integrate, requireMemberSession, async (req, res) => {
    const p = principalOf(req);
    const { name, role = p.role } = createSchema.parse(req.body);
    if (!mayGrant(p.role, role))
      throw forbidden('forbidden_role', `A ${p.role} may create keys acting as ${p.role} or read-only only.`);
    const { key, prefix, secretHash } = newApiKey();
    const id = randomUUID();
    const row = await db.transaction(async (trx) => {
      const [k] = await trx('api_keys')
        .insert({ id, account_id: p.accountId, created_by: p.memberId, name, role, prefix, secret_hash: secretHash })
        .returning('*');
      await audit(trx, {
        actorType: 'member',
        actorId: p.memberId,
        accountId: p.accountId,
        action: 'api_key.create',
        resource: id,
        details: { role },
        requestId: String(req.id),
      });
      return k;
    });
    // The only time the full key is ever shown.
    res.status(201).json({ ...view(row), key });
  });

  describeRoute({
    method: 'get',
    path: '/v1/api-keys',
    summary: 'The account’s API keys',
    tag: 'Access',
    access: 'customer',
    responses: { 200: z.object({ items: z.array(apiKeySchema) }) },
  });
  r.get('/v1/api-keys', auth, integrate, async (req, res) => {
    const p = principalOf(req);
    const rows = await db('api_keys').where({ account_id: p.accountId }).orderBy('created_at');
    res.json({ items: rows.map(view) });
  });

  describeRoute({
    method: 'delete',
    path: '/v1/api-keys/:id',
    summary: 'Revoke an API key',
    tag: 'Access',
    access: 'customer',
    params: { id: z.string() },
    responses: { 204: null },
    problems: ['not_found'],
  });
  r.delete('/v1/api-keys/:id', auth, integrate, async (req, res) => {
    const p = principalOf(req);
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) throw notFound('API key');
    const n = await db.transaction(async (trx) => {
      const updated = await trx('api_keys')
        .where({ id: id.data, account_id: p.accountId })
        .whereNull('revoked_at')
        .update({ revoked_at: trx.fn.now() });
      if (updated)
        await audit(trx, {
          actorType: p.via === 'session' ? 'member' : 'api_key',
          actorId: p.memberId ?? p.apiKeyId,
          accountId: p.accountId,
          action: 'api_key.revoke',
          resource: id.data,
          requestId: String(req.id),
        });
      return updated;
    });
    if (!n) throw notFound('API key');
    res.status(204).end();
  });

  return r;
}
