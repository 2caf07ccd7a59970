// A member's own credentials (4.2.4: the User keeps username and password confidential): password
// change, forgotten-password reset by e-mail, TOTP enrolment; and the owner's "TOTP required".
import { randomBytes, randomUUID } from 'node:crypto';
import { Request, Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { createMailer, type Mailer } from '../activities/mailer';
import { ALLOWED } from '../domain/member-roles';
import { audit } from '../lib/audit';
import { hashPassword, parseSessionToken, sha256, verifyPassword } from '../lib/credentials';
import { appendEvidence } from '../lib/evidence';
import type { Logger } from '../lib/logger';
import { consumeTotp, newTotpSecret } from '../lib/totp';
import { authenticate, requireMemberSession } from './auth';
import { ApiDeps, clientIp, principalOf } from './context';
import { conflict, forbidden, Problem } from './errors';
import { assertNotThrottled, recordLoginAttempt } from './login-throttle';
import { requireRole } from './roles';

export const PASSWORD_RESET = { validMinutes: 30, windowMinutes: 60, perEmail: 3, perIp: 20 };

const newPassword = z.string().min(12, 'at least 12 characters').max(256);
const totpCode = z.string().regex(/^\d{6}$/, '6-digit code');
/** @public (its route's request body, for the OpenAPI document) */
export const changePasswordSchema = z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword });
/** @public (its route's request body, for the OpenAPI document) */
export const resetRequestSchema = z.strictObject({ email: z.email().max(254) });
/** @public (its route's request body, for the OpenAPI document) */
export const resetConfirmSchema = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'the token of the reset e-mail'),
  newPassword,
});
/** @public (its route's request body, for the OpenAPI document) */
export const totpConfirmSchema = z.strictObject({ code: totpCode });
/** @public (its route's request body, for the OpenAPI document) */
export const securitySchema = z.strictObject({ totpRequired: z.boolean() });

const currentSessionHash = (req: Request) => {
  const secret = parseSessionToken((req.get('authorization') ?? '').replace(/^Bearer /, ''));
  return secret ? sha256(secret) : '';
};

/** Every session of the member but the one making the request. */
const revokeOtherSessions = (trx: Knex.Transaction, memberId: string, req: Request) =>
  trx('sessions')
    .where({ member_id: memberId })
    .whereNull('revoked_at')
    .whereNot({ token_hash: currentSessionHash(req) })
    .update({ revoked_at: trx.fn.now() });

const invalidResetToken = () =>
  new Problem(400, 'invalid_reset_token', 'Invalid reset token', 'This link is unknown, used or expired.');

/** Throttled per address and per IP over the window, whether or not the address is a member's. */
async function assertResetNotThrottled(db: Knex, email: string, ip: string): Promise<void> {
  const since = db.raw(`now() - interval '${PASSWORD_RESET.windowMinutes} minutes'`);
  const count = async (where: Record<string, string>) =>
    Number((await db('password_reset_requests').where(where).andWhere('at', '>', since).count({ n: '*' }))[0].n);
  if ((await count({ email })) >= PASSWORD_RESET.perEmail || (await count({ ip })) >= PASSWORD_RESET.perIp) {
    const retryAfter = PASSWORD_RESET.windowMinutes * 60;
    throw new Problem(
      429,
      'reset_throttled',
      'Too many reset requests',
      'Too many password reset requests; try again later.',
      { retryAfterSeconds: retryAfter },
      { 'Retry-After': String(retryAfter) },
    );
  }
}

/** After the answer: a reset e-mail to each active member using the address (none if unknown). */
async function mailResets(db: Knex, mailer: Mailer, base: string, email: string, at: Date, log: Logger) {
  try {
    const members = await db('members').where({ email }).whereNull('disabled_at').select('id', 'account_id');
    for (const m of members) {
      const token = randomBytes(32).toString('base64url');
      await db('password_resets').insert({
        id: randomUUID(),
        member_id: m.id,
        token_hash: sha256(token),
        expires_at: new Date(at.getTime() + PASSWORD_RESET.validMinutes * 60_000),
      });
      await mailer.send({
        to: [email],
        accountId: m.account_id,
        subject: 'Reset your Tentacle password',
        text:
          `Someone asked to reset the password of your Tentacle login. If it was you, within ` +
          `${PASSWORD_RESET.validMinutes} minutes: POST ${base}/v1/password-resets/confirm with the token ${token}\n` +
          `Otherwise ignore this e-mail: your password is unchanged.\n`,
      });
    }
  } catch (err) {
    log.error({ err }, 'password reset e-mail failed');
  }
}

export function memberCredentialsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, config } = deps;
  const now = deps.now ?? (() => new Date());
  const mailer = createMailer(db, config);
  const base = (config.PUBLIC_BASE_URL ?? `http://127.0.0.1:${config.API_PORT}`).replace(/\/$/, '');
  const self = [authenticate(deps), requireRole(...ALLOWED.self), requireMemberSession];
  const memberAudit = (req: Request, action: string, details: Record<string, unknown> = {}) => {
    const p = principalOf(req);
    return {
      actorType: 'member' as const,
      actorId: p.memberId,
      accountId: p.accountId,
      action,
      ip: clientIp(req),
      requestId: String(req.id),
      details,
    };
  };

  r.post('/v1/members/me/password', ...self, async (req, res) => {
    const p = principalOf(req);
    const input = changePasswordSchema.parse(req.body);
    const m = await db('members').where({ id: p.memberId }).first('username', 'password_hash');
    const ip = clientIp(req);
    await assertNotThrottled(db, m.username, ip); // the current password is guessed like a login
    const ok = await verifyPassword(m.password_hash, input.currentPassword);
    await recordLoginAttempt(db, m.username, ip, ok);
    if (!ok) throw forbidden('wrong_password', 'The current password is not correct.');
    const passwordHash = await hashPassword(input.newPassword);
    await db.transaction(async (trx) => {
      await trx('members')
        .where({ id: p.memberId })
        .update({ password_hash: passwordHash, password_changed_at: trx.fn.now() });
      const revoked = await revokeOtherSessions(trx, p.memberId!, req);
      await trx('password_resets')
        .where({ member_id: p.memberId })
        .whereNull('used_at')
        .update({ used_at: trx.fn.now() });
      await audit(trx, memberAudit(req, 'member.password_change', { sessionsRevoked: revoked }));
    });
    res.status(204).end();
  });

  // No enumeration: the same 202 whether or not the address belongs to a member.
  r.post('/v1/password-resets', async (req, res) => {
    const email = resetRequestSchema.parse(req.body).email.toLowerCase();
    const ip = clientIp(req);
    await assertResetNotThrottled(db, email, ip);
    await db('password_reset_requests').insert({ email, ip });
    res
      .status(202)
      .json({ status: 'accepted', detail: 'If this address is a member’s, a reset e-mail is on its way.' });
    void mailResets(db, mailer, base, email, now(), req.log);
  });

  // Single use, valid strictly before its expiry; every session of the member is revoked.
  r.post('/v1/password-resets/confirm', async (req, res) => {
    const input = resetConfirmSchema.parse(req.body);
    const passwordHash = await hashPassword(input.newPassword);
    await db.transaction(async (trx) => {
      const [used] = await trx('password_resets')
        .where({ token_hash: sha256(input.token) })
        .whereNull('used_at')
        .andWhere('expires_at', '>', now())
        .update({ used_at: trx.fn.now() })
        .returning('member_id');
      if (!used) throw invalidResetToken();
      const m = await trx('members').where({ id: used.member_id }).whereNull('disabled_at').first('id', 'account_id');
      if (!m) throw invalidResetToken();
      await trx('members')
        .where({ id: m.id })
        .update({ password_hash: passwordHash, password_changed_at: trx.fn.now() });
      await trx('password_resets').where({ member_id: m.id }).whereNull('used_at').update({ used_at: trx.fn.now() });
      const revoked = await trx('sessions')
        .where({ member_id: m.id })
        .whereNull('revoked_at')
        .update({ revoked_at: trx.fn.now() });
      await audit(trx, {
        actorType: 'member',
        actorId: m.id,
        accountId: m.account_id,
        action: 'member.password_reset',
        ip: clientIp(req),
        requestId: String(req.id),
        details: { sessionsRevoked: revoked },
      });
    });
    res.status(204).end();
  });

  // Enrolment: a new secret (shown once) that takes effect when a code from it is confirmed.
  r.post('/v1/members/me/totp', ...self, async (req, res) => {
    const p = principalOf(req);
    const m = await db('members').where({ id: p.memberId }).first('username', 'totp_enabled_at');
    if (m.totp_enabled_at) throw conflict('totp_already_enabled', 'Two-factor login is already enabled.');
    const { secret, otpauthUri } = newTotpSecret(m.username, 'Tentacle');
    await db('members').where({ id: p.memberId }).update({ totp_secret: secret, last_totp_step: 0 });
    res.status(201).json({ secret, otpauthUri });
  });

  r.post('/v1/members/me/totp/confirm', ...self, async (req, res) => {
    const p = principalOf(req);
    const { code } = totpConfirmSchema.parse(req.body);
    const m = await db('members').where({ id: p.memberId }).first('totp_secret', 'totp_enabled_at');
    if (m.totp_enabled_at) throw conflict('totp_already_enabled', 'Two-factor login is already enabled.');
    if (!m.totp_secret) throw conflict('totp_not_started', 'Start the enrolment first (POST /v1/members/me/totp).');
    if (!(await consumeTotp(db, 'members', p.memberId!, m.totp_secret, code)))
      throw new Problem(400, 'invalid_totp_code', 'Invalid code', 'The code does not match the secret, or was used.');
    await db.transaction(async (trx) => {
      await trx('members').where({ id: p.memberId }).update({ totp_enabled_at: trx.fn.now() });
      const revoked = await revokeOtherSessions(trx, p.memberId!, req);
      await audit(trx, memberAudit(req, 'member.totp_enable', { sessionsRevoked: revoked }));
    });
    res.json({ totpEnabled: true });
  });

  // The owner requires TOTP of every member; enabling it needs their own TOTP (no lock-out).
  r.put(
    '/v1/account/security',
    authenticate(deps),
    requireRole(...ALLOWED.administer),
    requireMemberSession,
    async (req, res) => {
      const p = principalOf(req);
      const { totpRequired } = securitySchema.parse(req.body);
      await db.transaction(async (trx) => {
        const me = await trx('members').where({ id: p.memberId }).first('username', 'totp_enabled_at');
        if (totpRequired && !me.totp_enabled_at)
          throw conflict('totp_not_enrolled', 'Enable two-factor login for yourself before requiring it.');
        const before = await trx('accounts').where({ id: p.accountId }).forUpdate().first('totp_required');
        if (before.totp_required === totpRequired) return;
        await trx('accounts')
          .where({ id: p.accountId })
          .update({ totp_required: totpRequired, updated_at: trx.fn.now() });
        await appendEvidence(trx, {
          accountId: p.accountId,
          kind: 'security_policy_changed',
          occurredAt: now(),
          actor: { type: 'member', id: p.memberId, username: me.username },
          payload: { totpRequired },
        });
        await audit(trx, memberAudit(req, 'account.security', { totpRequired }));
      });
      res.json({ totpRequired });
    },
  );

  return r;
}
