// Member login (4.2.4): password, throttled per username and per IP; returns a session token.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { burnPasswordCheck, newSessionToken, parseSessionToken, sha256, verifyPassword } from '../lib/credentials';
import { audit } from '../lib/audit';
import { ApiDeps, clientIp, principalOf } from './context';
import { Problem, unauthorized } from './errors';
import { consumeTotp } from '../lib/totp';
import { assertNotThrottled, recordLoginAttempt } from './login-throttle';
import { authenticate } from './auth';
import { describeRoute } from './openapi/registry';
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';

export { LOGIN_THROTTLE } from './login-throttle';
const SESSION_HOURS = 12;

const loginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** Required once the member has enabled two-factor login (POST /v1/members/me/totp). */
  totp: z
    .string()
    .regex(/^\d{6}$/, '6-digit code')
    .optional(),
});

export function sessionsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;

  describeRoute({
    method: 'post',
    path: '/v1/sessions',
    summary: 'Member login (password; throttled per username and IP) → session token',
    tag: 'Access',
    access: 'public',
    body: loginSchema,
    responses: {
      201: z.object({ token: z.string(), expiresAt: z.iso.datetime(), accountId: z.uuid(), memberId: z.uuid() }),
    },
    problems: ['unauthorized', 'login_throttled', 'totp_required'],
  });
  r.post('/v1/sessions', async (req, res) => {
    const { username, password, totp } = loginSchema.parse(req.body);
    const ip = clientIp(req);
    await assertNotThrottled(db, username, ip);
    const member = await db('members')
      .whereRaw('lower(username) = lower(?)', [username])
      .whereNull('disabled_at')
      .first('id', 'account_id', 'password_hash', 'totp_secret', 'totp_enabled_at');
    const passwordOk = member
      ? await verifyPassword(member.password_hash, password)
      : (await burnPasswordCheck(password), false);
    // With TOTP enabled, the password alone opens nothing; a missing code is asked for (not a failure).
    if (passwordOk && member.totp_enabled_at && totp === undefined)
      throw new Problem(401, 'totp_required', 'One-time code required', 'Give the code of your authenticator app.');
    const ok =
      passwordOk &&
      (!member.totp_enabled_at || (await consumeTotp(db, 'members', member.id, member.totp_secret, totp!)));
    await recordLoginAttempt(db, username, ip, ok);
    if (!ok) throw unauthorized('Wrong username, password or one-time code.');

    const { token, tokenHash } = newSessionToken();
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
    await db.transaction(async (trx) => {
      await trx('sessions').insert({
        id: randomUUID(),
        member_id: member.id,
        account_id: member.account_id,
        token_hash: tokenHash,
        expires_at: expiresAt,
        ip,
        user_agent: req.get('user-agent') ?? null,
      });
      await audit(trx, {
        actorType: 'member',
        actorId: member.id,
        accountId: member.account_id,
        action: 'session.login',
        ip,
        requestId: String(req.id),
      });
    });
    res
      .status(201)
      .json({ token, expiresAt: expiresAt.toISOString(), accountId: member.account_id, memberId: member.id });
  });

  describeRoute({
    method: 'delete',
    path: '/v1/sessions/current',
    summary: 'Log out (revokes the current session)',
    tag: 'Access',
    access: 'customer',
    responses: { 204: null },
  });
  r.delete('/v1/sessions/current', authenticate(deps), requireRole(...ALLOWED.self), async (req, res) => {
    const p = principalOf(req);
    const secret = parseSessionToken((req.get('authorization') ?? '').replace(/^Bearer /, ''));
    if (p.via === 'session' && secret) {
      await db('sessions')
        .where({ token_hash: sha256(secret) })
        .update({ revoked_at: db.fn.now() });
    }
    res.status(204).end();
  });

  return r;
}
