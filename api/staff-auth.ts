// Staff authentication (Appendix 1): password + TOTP, sessions `ss_…`, roles, a mandatory access
// reason for reads of customer data, and an audit entry for every staff act.
import { Request, RequestHandler, Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { burnPasswordCheck, sha256, verifyPassword } from '../lib/credentials';
import { audit } from '../lib/audit';
import { createStaffMember, STAFF_ROLES, StaffRole } from '../lib/staff';
import { consumeTotp } from '../lib/totp';
import { ApiDeps, clientIp } from './context';
import { accountView } from './accounts';
import { forbidden, Problem, unauthorized, conflict } from './errors';
import { assertNotThrottled, recordLoginAttempt } from './login-throttle';
import type { DbRow } from '../lib/db';
import { queryInt } from './schemas';
import { describeStaffRoutes } from './openapi/staff';
import { openSession, startEnrolment } from './staff-enrolment';

export interface StaffPrincipal {
  id: string;
  username: string;
  roles: StaffRole[];
  sessionId: string;
  expiresAt: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    staff?: StaffPrincipal;
    accessReason?: string;
  }
}

export function staffOf(req: Request): StaffPrincipal {
  if (!req.staff) throw unauthorized('Staff authentication required.');
  return req.staff;
}

export function authenticateStaff({ db }: ApiDeps): RequestHandler {
  return async (req, _res, next) => {
    const m = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    if (!m) throw unauthorized('Staff authentication required.');
    if (/^t[ks]_/.test(m[1]))
      throw forbidden('staff_credentials_required', 'Customer credentials cannot be used on staff endpoints.');
    const sm = /^ss_([A-Za-z0-9_-]{43})$/.exec(m[1]);
    if (!sm) throw unauthorized('Unrecognised staff credentials.');
    const row = await db('staff_sessions as s')
      .join('staff_members as m', 'm.id', 's.staff_id')
      .where('s.token_hash', sha256(sm[1]))
      .whereNull('s.revoked_at')
      .andWhere('s.expires_at', '>', db.fn.now())
      .whereNull('m.disabled_at')
      .first('m.id', 'm.username', 'm.roles', 's.id as session_id', 's.expires_at');
    if (!row) throw unauthorized('Invalid or expired staff session.');
    const expiresAt = new Date(row.expires_at).toISOString();
    req.staff = { id: row.id, username: row.username, roles: row.roles, sessionId: row.session_id, expiresAt };
    next();
  };
}

/** Admin holds every role. */
export function requireRole(...roles: StaffRole[]): RequestHandler {
  return (req, _res, next) => {
    const s = staffOf(req);
    if (!s.roles.includes('admin') && !roles.some((r) => s.roles.includes(r))) {
      throw forbidden('role_required', `This action requires one of the roles: ${roles.join(', ')}.`);
    }
    next();
  };
}

/** Staff see customer data only with a stated reason (header X-Access-Reason), which is audited. */
export const requireAccessReason: RequestHandler = (req, _res, next) => {
  const reason = (req.get('x-access-reason') ?? '').trim();
  if (reason.length < 5)
    throw new Problem(
      400,
      'access_reason_required',
      'Access reason required',
      'Staff access to customer data needs an X-Access-Reason header (at least 5 characters).',
    );
  req.accessReason = reason.slice(0, 500);
  next();
};

export async function auditStaff(
  db: Knex | Knex.Transaction,
  req: Request,
  e: { action: string; accountId?: string | null; resource?: string; details?: Record<string, unknown> },
): Promise<void> {
  const s = staffOf(req);
  await audit(db, {
    actorType: 'staff',
    actorId: s.id,
    accountId: e.accountId ?? null,
    action: e.action,
    resource: e.resource,
    reason: req.accessReason,
    ip: clientIp(req),
    requestId: String(req.id),
    details: { username: s.username, ...e.details },
  });
}

export const staffLoginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** Left out only at the first login of a member not yet enrolled (api/staff-enrolment.ts). */
  totp: z
    .string()
    .regex(/^\d{6}$/, '6-digit code')
    .optional(),
});
export const staffMemberSchema = z.strictObject({
  username: z.string().regex(/^[A-Za-z0-9._-]{3,64}$/),
  email: z.email(),
  password: z.string().min(14).max(256),
  roles: z.array(z.enum(STAFF_ROLES)).min(1),
});

const instantBound = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
export const auditQuery = z.object({
  accountId: z.uuid().optional(),
  actorId: z.uuid().optional(),
  /** An action or the prefix of actions (`staff.case`, `billing.`). */
  action: z.string().trim().min(1).max(100).optional(),
  from: instantBound.optional(),
  to: instantBound.optional(),
  limit: queryInt(1, 500).default(100),
});

export function staffAuthRouter(deps: ApiDeps): Router {
  const r = Router();
  describeStaffRoutes(deps.now ?? (() => new Date())); // api/openapi/staff.ts
  const { db } = deps;
  const auth = authenticateStaff(deps);

  r.post('/v1/staff/sessions', async (req, res) => {
    const { username, password, totp } = staffLoginSchema.parse(req.body);
    const ip = clientIp(req);
    const throttleKey = `staff:${username}`;
    await assertNotThrottled(db, throttleKey, ip);
    const member = await db('staff_members')
      .whereRaw('lower(username) = lower(?)', [username])
      .whereNull('disabled_at')
      .first();
    const passwordOk = member
      ? await verifyPassword(member.password_hash, password)
      : (await burnPasswordCheck(password), false);
    // First login of a member an admin created: the password alone starts the TOTP enrolment.
    if (passwordOk && !member.totp_enrolled_at && totp === undefined) {
      await recordLoginAttempt(db, throttleKey, ip, true);
      res.status(200).json({ enrolment: await startEnrolment(db, member) });
      return;
    }
    const accepted =
      passwordOk && totp !== undefined && (await consumeTotp(db, 'staff_members', member.id, member.totp_secret, totp));
    await recordLoginAttempt(db, throttleKey, ip, accepted);
    if (!accepted) throw unauthorized('Wrong username, password or one-time code.');
    // A code of the secret the admin handed over enrols that secret (any pending enrolment is dropped).
    if (!member.totp_enrolled_at)
      await db('staff_members').where({ id: member.id }).update({
        totp_enrolled_at: db.fn.now(),
        pending_totp_secret: null,
        enrolment_token_hash: null,
        enrolment_expires_at: null,
      });
    res.status(201).json(await openSession(db, req, member, 'staff.login'));
  });

  // Who is logged in (the console shows the pages and actions of these roles; the routes check anyway).
  r.get('/v1/staff/me', auth, (req, res) => {
    const s = staffOf(req);
    res.json({
      id: s.id,
      username: s.username,
      roles: s.roles,
      expiresAt: s.expiresAt,
      // The console links each workflow id to <this>/<workflow id> in the Temporal UI.
      temporalWorkflowsUrl: deps.config.TEMPORAL_UI_URL
        ? `${deps.config.TEMPORAL_UI_URL.replace(/\/$/, '')}/namespaces/${encodeURIComponent(deps.config.TEMPORAL_NAMESPACE)}/workflows/`
        : null,
    });
  });

  // Logout: this session only.
  r.delete('/v1/staff/sessions/current', auth, async (req, res) => {
    const s = staffOf(req);
    await db.transaction(async (trx) => {
      await trx('staff_sessions')
        .where({ id: s.sessionId })
        .whereNull('revoked_at')
        .update({ revoked_at: trx.fn.now() });
      await auditStaff(trx, req, { action: 'staff.logout' });
    });
    res.status(204).end();
  });

  r.post('/v1/staff/members', auth, requireRole('admin'), async (req, res) => {
    const input = staffMemberSchema.parse(req.body);
    const created = await db.transaction(async (trx) => {
      const taken = await trx('staff_members').whereRaw('lower(username) = lower(?)', [input.username]).first('id');
      if (taken) throw conflict('username_taken', 'This staff username is already in use.');
      const c = await createStaffMember(trx, { ...input, enrolled: false }); // enrols at first login
      await auditStaff(trx, req, { action: 'staff.create', resource: c.id, details: { roles: input.roles } });
      return c;
    });
    // The TOTP secret is shown once, to be enrolled in an authenticator app.
    res.status(201).json({
      id: created.id,
      username: input.username,
      roles: input.roles,
      totpSecret: created.totpSecret,
      otpauthUri: created.otpauthUri,
    });
  });

  // Staff read of a customer account: reason required, audited.
  r.get('/v1/staff/accounts/:id', auth, requireAccessReason, async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    const account = id.success ? await db('accounts').where({ id: id.data }).first() : undefined;
    if (!account) throw new Problem(404, 'not_found', 'Not found', 'No such account.');
    await auditStaff(db, req, { action: 'staff.account.read', accountId: account.id });
    res.json(accountView(account));
  });

  // The audit trail itself (compliance, admin): it names accounts and what was done with their data.
  r.get('/v1/staff/audit', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const q = auditQuery.parse(req.query);
    const rows = await db('audit_log')
      .modify((b) => {
        if (q.accountId) b.where({ account_id: q.accountId });
        if (q.actorId) b.where({ actor_id: q.actorId });
        if (q.action) b.whereRaw("action like ? || '%'", [q.action.replace(/[\\%_]/g, '\\$&')]);
        if (q.from) b.where('at', '>=', q.from);
        if (q.to) b.where('at', '<', q.to);
      })
      .orderBy('id', 'desc')
      .limit(q.limit);
    await auditStaff(db, req, {
      action: 'staff.audit.read',
      accountId: q.accountId ?? null,
      details: { filters: { ...q, from: q.from?.toISOString(), to: q.to?.toISOString() } },
    });
    res.json({
      items: rows.map((a: DbRow) => ({
        id: String(a.id),
        at: new Date(a.at).toISOString(),
        actorType: a.actor_type,
        actorId: a.actor_id,
        accountId: a.account_id,
        action: a.action,
        resource: a.resource,
        reason: a.reason,
        details: a.details,
      })),
    });
  });

  return r;
}
