// Staff TOTP enrolment at first login (issue #13, Appendix 1): a member an admin created has a
// password but no enrolled authenticator. Their first login with the right password and no code
// answers a fresh TOTP secret (otpauth URI, for the console's QR code) and a 10-minute enrolment
// token instead of a session; POST /v1/staff/sessions/enrolment with that token and a code of
// the new secret puts the secret in force and opens the session. The secret the admin saw at
// creation still works until then (a code of it, given at login, enrols it).
import { randomBytes, randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { sha256 } from '../lib/credentials';
import { audit } from '../lib/audit';
import { consumeTotp, newTotpSecret } from '../lib/totp';
import type { DbRow } from '../lib/db';
import { ApiDeps, clientIp } from './context';
import { Problem, unauthorized } from './errors';
import { assertNotThrottled, recordLoginAttempt } from './login-throttle';

const ENROLMENT_MINUTES = 10;
const SESSION_HOURS = 8;

export const enrolmentSchema = z.strictObject({
  enrolmentToken: z.string().regex(/^se_[A-Za-z0-9_-]{43}$/),
  totp: z.string().regex(/^\d{6}$/, '6-digit code'),
});

/** A fresh secret pending confirmation, behind a short-lived token (the password was right). */
export async function startEnrolment(db: Knex, member: DbRow) {
  const { secret, otpauthUri } = newTotpSecret(member.username, 'Tentacle staff');
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ENROLMENT_MINUTES * 60_000);
  await db('staff_members')
    .where({ id: member.id })
    .update({
      pending_totp_secret: secret,
      enrolment_token_hash: sha256(token),
      enrolment_expires_at: expiresAt,
    });
  return { enrolmentToken: `se_${token}`, totpSecret: secret, otpauthUri, expiresAt: expiresAt.toISOString() };
}

/** A staff session for this member (the login's and the enrolment's answer). */
export async function openSession(db: Knex, req: Request, member: DbRow, action: string) {
  const secret = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  const ip = clientIp(req);
  await db.transaction(async (trx) => {
    await trx('staff_sessions').insert({
      id: randomUUID(),
      staff_id: member.id,
      token_hash: sha256(secret),
      expires_at: expiresAt,
      ip,
    });
    await audit(trx, {
      actorType: 'staff',
      actorId: member.id,
      action,
      ip,
      requestId: String(req.id),
      details: { username: member.username },
    });
  });
  return { token: `ss_${secret}`, expiresAt: expiresAt.toISOString(), staffId: member.id, roles: member.roles };
}

export function staffEnrolmentRouter({ db }: ApiDeps): Router {
  const r = Router();
  r.post('/v1/staff/sessions/enrolment', async (req, res) => {
    const { enrolmentToken, totp } = enrolmentSchema.parse(req.body);
    const member = await db('staff_members')
      .where({ enrolment_token_hash: sha256(enrolmentToken.slice(3)) })
      .andWhere('enrolment_expires_at', '>', db.fn.now())
      .whereNull('totp_enrolled_at')
      .whereNull('disabled_at')
      .first();
    if (!member) throw unauthorized('Unknown or expired enrolment: log in again.');
    const ip = clientIp(req);
    const throttleKey = `staff:${member.username}`;
    await assertNotThrottled(db, throttleKey, ip);
    const ok = await consumeTotp(db, 'staff_members', member.id, member.pending_totp_secret, totp);
    await recordLoginAttempt(db, throttleKey, ip, ok);
    if (!ok) throw new Problem(400, 'invalid_totp_code', 'Invalid code', 'This code does not match the new secret.');
    await db('staff_members').where({ id: member.id }).update({
      totp_secret: member.pending_totp_secret,
      totp_enrolled_at: db.fn.now(),
      pending_totp_secret: null,
      enrolment_token_hash: null,
      enrolment_expires_at: null,
    });
    res.status(201).json(await openSession(db, req, member, 'staff.totp.enrol'));
  });
  return r;
}
