// Members of an account (4.2.2: every act of a member commits the User): invitations by e-mail,
// acceptance, list, role change, removal. Owners administer, in a member session (a person's
// act, kept in the evidence log with who did it); the last owner can be neither demoted nor removed.
import { describeMemberRoutes } from './openapi/self-service';
import { randomBytes, randomUUID } from 'node:crypto';
import { Request, Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { createMailer } from '../activities/mailer';
import { ALLOWED, MEMBER_ROLES } from '../domain/member-roles';
import { audit } from '../lib/audit';
import { hashPassword, sha256 } from '../lib/credentials';
import type { DbRow } from '../lib/db';
import { appendEvidence } from '../lib/evidence';
import { authenticate, requireMemberSession } from './auth';
import { ApiDeps, clientIp, principalOf } from './context';
import { conflict, notFound, Problem } from './errors';
import { requireRole } from './roles';

export const INVITATION_DAYS = 7;

/** @public (its route's request body, for the OpenAPI document) */
export const inviteSchema = z.strictObject({ email: z.email().max(254), role: z.enum(MEMBER_ROLES) });
/** @public (its route's request body, for the OpenAPI document) */
export const acceptInvitationSchema = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'the token of the invitation e-mail'),
  username: z.string().regex(/^[A-Za-z0-9._-]{3,64}$/, '3–64 letters, digits, dot, dash or underscore'),
  fullName: z.string().trim().min(1).max(200),
  password: z.string().min(12, 'at least 12 characters').max(256),
});
/** @public (its route's request body, for the OpenAPI document) */
export const changeRoleSchema = z.strictObject({ role: z.enum(MEMBER_ROLES) });

const memberView = (m: DbRow) => ({
  id: m.id,
  username: m.username,
  email: m.email,
  fullName: m.full_name,
  role: m.role,
  totpEnabled: m.totp_enabled_at !== null,
  createdAt: new Date(m.created_at).toISOString(),
});

const invitationView = (i: DbRow) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  invitedBy: i.invited_by,
  createdAt: new Date(i.created_at).toISOString(),
  expiresAt: new Date(i.expires_at).toISOString(),
});

async function actorOf(db: Knex | Knex.Transaction, req: Request) {
  const p = principalOf(req);
  const m = await db('members').where({ id: p.memberId }).first('username');
  return { type: 'member', id: p.memberId, username: m?.username };
}

/** The account row locked: role changes and removals of one account run one at a time. */
async function otherOwners(trx: Knex.Transaction, accountId: string, memberId: string): Promise<number> {
  await trx('accounts').where({ id: accountId }).forUpdate().first('id');
  const [{ n }] = await trx('members')
    .where({ account_id: accountId, role: 'owner' })
    .whereNull('disabled_at')
    .whereNot({ id: memberId })
    .count({ n: '*' });
  return Number(n);
}

const lastOwner = () => conflict('last_owner', 'The account must keep an owner: appoint another owner first (4.2.2).');

export function membersRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, config } = deps;
  const now = deps.now ?? (() => new Date());
  const mailer = createMailer(db, config);
  const auth = authenticate(deps);
  describeMemberRoutes(); // and api/member-credentials.ts's
  const administer = [auth, requireRole(...ALLOWED.administer), requireMemberSession];
  const base = (config.PUBLIC_BASE_URL ?? `http://127.0.0.1:${config.API_PORT}`).replace(/\/$/, '');
  const auditOf = (req: Request, action: string, resource: string, details: Record<string, unknown> = {}) => {
    const p = principalOf(req);
    return {
      actorType: 'member' as const,
      actorId: p.memberId,
      accountId: p.accountId,
      action,
      resource,
      ip: clientIp(req),
      requestId: String(req.id),
      details,
    };
  };

  r.get('/v1/members', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    const rows = await db('members').where({ account_id: accountId }).whereNull('disabled_at').orderBy('created_at');
    res.json({ items: rows.map(memberView) });
  });

  r.post('/v1/members/invitations', ...administer, async (req, res) => {
    const p = principalOf(req);
    const input = inviteSchema.parse(req.body);
    const email = input.email.toLowerCase();
    const token = randomBytes(32).toString('base64url');
    const id = randomUUID();
    const row = await db.transaction(async (trx) => {
      const member = await trx('members')
        .where({ account_id: p.accountId, email })
        .whereNull('disabled_at')
        .first('id');
      if (member) throw conflict('already_member', 'A member of this account already uses this e-mail address.');
      // A new invitation replaces any pending one to the same address.
      await trx('member_invitations')
        .where({ account_id: p.accountId, email })
        .whereNull('accepted_at')
        .whereNull('revoked_at')
        .update({ revoked_at: trx.fn.now() });
      const [inv] = await trx('member_invitations')
        .insert({
          id,
          account_id: p.accountId,
          email,
          role: input.role,
          token_hash: sha256(token),
          invited_by: p.memberId,
          expires_at: new Date(now().getTime() + INVITATION_DAYS * 86_400_000),
        })
        .returning('*');
      await appendEvidence(trx, {
        accountId: p.accountId,
        kind: 'member_invited',
        occurredAt: now(),
        actor: await actorOf(trx, req),
        payload: { invitationId: id, email, role: input.role },
      });
      await audit(trx, auditOf(req, 'member.invite', id, { role: input.role }));
      return inv;
    });
    const account = await db('accounts').where({ id: p.accountId }).first('legal_name');
    await mailer.send({
      to: [email],
      accountId: p.accountId,
      subject: `Invitation to ${account.legal_name} on Tentacle`,
      text:
        `You are invited to join ${account.legal_name} on Tentacle as ${input.role}.\n` +
        `Choose your username and password before ${new Date(row.expires_at).toISOString()}:\n` +
        `POST ${base}/v1/invitations/accept with the token ${token}\n`,
    });
    res.status(201).json(invitationView(row));
  });

  r.get('/v1/members/invitations', ...administer, async (req, res) => {
    const { accountId } = principalOf(req);
    const rows = await db('member_invitations')
      .where({ account_id: accountId })
      .whereNull('accepted_at')
      .whereNull('revoked_at')
      .andWhere('expires_at', '>', now())
      .orderBy('created_at');
    res.json({ items: rows.map(invitationView) });
  });

  r.delete('/v1/members/invitations/:id', ...administer, async (req, res) => {
    const p = principalOf(req);
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) throw notFound('invitation');
    const n = await db.transaction(async (trx) => {
      const revoked = await trx('member_invitations')
        .where({ id: id.data, account_id: p.accountId })
        .whereNull('accepted_at')
        .whereNull('revoked_at')
        .update({ revoked_at: trx.fn.now() });
      if (revoked) await audit(trx, auditOf(req, 'member.invitation_revoke', id.data));
      return revoked;
    });
    if (!n) throw notFound('invitation');
    res.status(204).end();
  });

  // Public: the invitation's token is the credential. Valid strictly before its expiry instant.
  r.post('/v1/invitations/accept', async (req, res) => {
    const input = acceptInvitationSchema.parse(req.body);
    const passwordHash = await hashPassword(input.password);
    const memberId = randomUUID();
    const created = await db
      .transaction(async (trx) => {
        const inv = await trx('member_invitations')
          .where({ token_hash: sha256(input.token) })
          .forUpdate()
          .first();
        if (!inv || inv.accepted_at || inv.revoked_at) throw notFound('invitation');
        if (new Date(inv.expires_at).getTime() <= now().getTime())
          throw new Problem(
            410,
            'invitation_expired',
            'Invitation expired',
            'Ask an owner of the account to invite you again.',
          );
        const taken = await trx('members').whereRaw('lower(username) = lower(?)', [input.username]).first('id');
        if (taken) throw conflict('username_taken', 'This username is already in use.');
        const [m] = await trx('members')
          .insert({
            id: memberId,
            account_id: inv.account_id,
            username: input.username,
            email: inv.email,
            full_name: input.fullName,
            password_hash: passwordHash,
            role: inv.role,
          })
          .returning('*');
        await trx('member_invitations')
          .where({ id: inv.id })
          .update({ accepted_at: trx.fn.now(), member_id: memberId });
        await appendEvidence(trx, {
          accountId: inv.account_id,
          kind: 'member_joined',
          occurredAt: now(),
          actor: { type: 'member', id: memberId, username: input.username },
          payload: { invitationId: inv.id, invitedBy: inv.invited_by, email: inv.email, role: inv.role },
        });
        await audit(trx, {
          actorType: 'member',
          actorId: memberId,
          accountId: inv.account_id,
          action: 'member.join',
          resource: inv.id,
          ip: clientIp(req),
          requestId: String(req.id),
        });
        return m;
      })
      .catch((err) => {
        if ((err as { code?: string }).code === '23505')
          throw conflict('username_taken', 'This username is already in use.');
        throw err;
      });
    res.status(201).json({ ...memberView(created), accountId: created.account_id });
  });

  r.patch('/v1/members/:id', ...administer, async (req, res) => {
    const p = principalOf(req);
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) throw notFound('member');
    const { role } = changeRoleSchema.parse(req.body);
    const updated = await db.transaction(async (trx) => {
      const others = await otherOwners(trx, p.accountId, id.data);
      const m = await trx('members').where({ id: id.data, account_id: p.accountId }).whereNull('disabled_at').first();
      if (!m) throw notFound('member');
      if (m.role === role) return m;
      if (m.role === 'owner' && others === 0) throw lastOwner();
      const [after] = await trx('members').where({ id: m.id }).update({ role }).returning('*');
      await appendEvidence(trx, {
        accountId: p.accountId,
        kind: 'member_role_changed',
        occurredAt: now(),
        actor: await actorOf(trx, req),
        payload: { memberId: m.id, username: m.username, from: m.role, to: role },
      });
      await audit(trx, auditOf(req, 'member.role_change', m.id, { from: m.role, to: role }));
      return after;
    });
    res.json(memberView(updated));
  });

  // Removal ends the person's access at once: sessions and the API keys they created are revoked.
  r.delete('/v1/members/:id', ...administer, async (req, res) => {
    const p = principalOf(req);
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) throw notFound('member');
    await db.transaction(async (trx) => {
      const others = await otherOwners(trx, p.accountId, id.data);
      const m = await trx('members').where({ id: id.data, account_id: p.accountId }).whereNull('disabled_at').first();
      if (!m) throw notFound('member');
      if (m.role === 'owner' && others === 0) throw lastOwner();
      await trx('members').where({ id: m.id }).update({ disabled_at: trx.fn.now() });
      await trx('sessions').where({ member_id: m.id }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
      const keys = await trx('api_keys')
        .where({ created_by: m.id })
        .whereNull('revoked_at')
        .update({ revoked_at: trx.fn.now() });
      await appendEvidence(trx, {
        accountId: p.accountId,
        kind: 'member_removed',
        occurredAt: now(),
        actor: await actorOf(trx, req),
        payload: { memberId: m.id, username: m.username, role: m.role, apiKeysRevoked: keys },
      });
      await audit(trx, auditOf(req, 'member.remove', m.id, { apiKeysRevoked: keys }));
    });
    res.status(204).end();
  });

  return r;
}
