// Issue 12, members (4.2.2–4.2.4): roles enforced per route (domain/member-roles.ts), API keys'
// roles, invitations and their expiry, role changes and removals with the last-owner rule, each
// act in the evidence log with the acting member.
import type { Express } from 'express';
import { createApp } from '../../api/app';
import type { RoleCheck } from '../../api/roles';
import { INVITATION_DAYS } from '../../api/members';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { http, onboard, startSystem, type System } from '../support/system';
import { addMember, apiAt, login, mailedToken, type Member, uniqueEmail } from '../support/members';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

/** Customer routes open without a role, each with why. */
const PUBLIC: Record<string, string> = {
  'POST /v1/accounts': 'registration: there is no member yet',
  'POST /v1/sessions': 'login',
  'GET /v1/notices/:id/acknowledge': "the notice's token is the credential",
  'POST /v1/notices/:id/acknowledge': "the notice's token is the credential",
  'GET /v1/notices/:id/export': "the notice's token is the credential (after termination)",
  'POST /v1/invitations/accept': "the invitation's token is the credential",
  'POST /v1/password-resets': 'forgotten password: no session',
  'POST /v1/password-resets/confirm': "the reset e-mail's token is the credential",
};

interface Layer {
  route?: { path: string; methods: Record<string, boolean>; stack: { handle: Partial<RoleCheck> }[] };
  handle?: { stack?: Layer[] };
}

function customerRoutes(app: Express): { route: string; roles: boolean }[] {
  const out: { route: string; roles: boolean }[] = [];
  const walk = (stack: Layer[]) => {
    for (const l of stack) {
      if (l.route && /^\/v1\/(?!staff\/|webhooks\/)/.test(l.route.path)) {
        const roles = l.route.stack.some((s) => Array.isArray(s.handle.roles));
        for (const m of Object.keys(l.route.methods)) out.push({ route: `${m.toUpperCase()} ${l.route.path}`, roles });
      } else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

const evidenceOf = (accountId: string, kind: string) =>
  sys.db('evidence_log').where({ account_id: accountId, kind }).orderBy('seq');

/** What a refused request could have written for the account. */
const writes = async (accountId: string) => {
  const count = async (table: string) =>
    Number((await sys.db(table).where({ account_id: accountId }).count({ n: '*' }))[0].n);
  const tables = ['orders', 'member_invitations', 'account_changes', 'api_keys', 'evidence_log', 'members'];
  const counts = await Promise.all(tables.map(count));
  const roles = await sys.db('members').where({ account_id: accountId }).orderBy('id').pluck('role');
  return { counts, roles };
};

test('When a customer route is mounted, then it checks a role, or is listed here as public with why', () => {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const app = createApp({ db: sys.db, temporal: sys.client, config, logger: createLogger('t', 'silent') });
  const routes = customerRoutes(app);
  expect(routes.length).toBeGreaterThan(40);
  expect(routes.filter((r) => !r.roles && !PUBLIC[r.route]).map((r) => r.route)).toEqual([]);
  expect(routes.filter((r) => r.roles && PUBLIC[r.route]).map((r) => r.route)).toEqual([]);
});

describe('roles per route', () => {
  let owner: Awaited<ReturnType<typeof onboard>>;
  const as: Record<string, Member> = {};
  beforeAll(async () => {
    owner = await onboard(sys, { account: { formula: 'pack' } }); // Packs are for Pack accounts (7.1.2)
    for (const role of ['developer', 'billing', 'read-only'] as const)
      as[role] = await addMember(sys, owner.session, role);
  });
  const token = (role: string) => (role === 'owner' ? owner.session : as[role].session);

  const campaign = { channel: 'sms', purpose: 'marketing', template: 'Hi {{name}}' };
  const SAMPLE: [string, string, unknown, string[], number][] = [
    ['GET', '/v1/account', undefined, ['owner', 'developer', 'billing', 'read-only'], 200],
    ['GET', '/v1/billing/balance', undefined, ['owner', 'developer', 'billing', 'read-only'], 200],
    ['GET', '/v1/members', undefined, ['owner', 'developer', 'billing', 'read-only'], 200],
    ['POST', '/v1/campaigns', campaign, ['owner', 'developer'], 201],
    ['GET', '/v1/api-keys', undefined, ['owner', 'developer'], 200],
    ['PATCH', '/v1/account', { legalName: 'Acme Holding SAS' }, ['owner', 'billing'], 200],
    ['POST', '/v1/billing/packs', { pack: 'pack-100' }, ['owner', 'billing'], 201],
    ['POST', '/v1/members/invitations', { email: 'x@acme.example', role: 'read-only' }, ['owner'], 201],
  ];
  test.each(SAMPLE)(
    'When each role calls %s %s, then the allowed roles get through and the others get 403 forbidden_role, nothing written',
    async (method, path, body, allowed, okStatus) => {
      for (const role of ['owner', 'developer', 'billing', 'read-only']) {
        const before = await writes(owner.accountId);
        const res = await http(sys.baseUrl, method, path, { token: token(role), body });
        if (allowed.includes(role)) expect({ role, status: res.status }).toEqual({ role, status: okStatus });
        else {
          expect({ role, status: res.status, code: res.body.code }).toEqual({
            role,
            status: 403,
            code: 'forbidden_role',
          });
          expect(await writes(owner.accountId)).toEqual(before);
        }
      }
    },
  );

  test('When a key is created, then it acts with a role at most its creator’s, and with no more than the creator has now', async () => {
    const dev = as.developer;
    const key = async (session: string, role?: string) =>
      http(sys.baseUrl, 'POST', '/v1/api-keys', { token: session, body: { name: 'k', ...(role ? { role } : {}) } });
    const byDefault = await key(dev.session);
    expect(byDefault.body).toMatchObject({ role: 'developer' });
    const before = await writes(owner.accountId);
    expect((await key(dev.session, 'billing')).body).toMatchObject({ status: 403, code: 'forbidden_role' });
    expect((await key(dev.session, 'owner')).body).toMatchObject({ status: 403, code: 'forbidden_role' });
    expect(await writes(owner.accountId)).toEqual(before);
    const readOnlyKey = (await key(dev.session, 'read-only')).body.key;
    expect((await key(owner.session, 'billing')).body).toMatchObject({ role: 'billing' });

    const devKey = byDefault.body.key;
    const draft = () => http(sys.baseUrl, 'POST', '/v1/campaigns', { token: devKey, body: campaign });
    expect((await draft()).status).toBe(201);
    expect((await http(sys.baseUrl, 'GET', '/v1/account', { token: readOnlyKey })).status).toBe(200);
    const ro = await http(sys.baseUrl, 'POST', '/v1/campaigns', { token: readOnlyKey, body: campaign });
    expect(ro.body).toMatchObject({ status: 403, code: 'forbidden_role' });
    // The creator demoted: the developer key acts read-only.
    const patch = (role: string) =>
      http(sys.baseUrl, 'PATCH', `/v1/members/${dev.id}`, { token: owner.session, body: { role } });
    expect((await patch('read-only')).status).toBe(200);
    expect((await draft()).body).toMatchObject({ status: 403, code: 'forbidden_role' });
    expect((await patch('developer')).status).toBe(200);
    expect((await draft()).status).toBe(201);
  });
});

describe('invitations', () => {
  test('When an invitation is accepted one tick before its expiry, then the member exists with its role; at the expiry instant it is refused and nothing is written', async () => {
    const a = await onboard(sys);
    const clock = { now: new Date() };
    const api = await apiAt(sys, clock);
    try {
      const invite = async (email: string, role: string) => {
        const body = { email, role };
        const res = await http(api.baseUrl, 'POST', '/v1/members/invitations', { token: a.session, body });
        expect(res.status).toBe(201);
        return { id: res.body.id as string, token: await mailedToken(sys, email, /^Invitation/), res };
      };
      const accept = (token: string, username: string) =>
        http(api.baseUrl, 'POST', '/v1/invitations/accept', {
          body: { token, username, fullName: 'Chloé Bernard', password: 'a long enough passphrase' },
        });
      const early = await invite(uniqueEmail('early'), 'billing');
      const late = await invite(uniqueEmail('late'), 'developer');
      const expiry = clock.now.getTime() + INVITATION_DAYS * 86_400_000;
      expect(early.res.body.expiresAt).toBe(new Date(expiry).toISOString());
      clock.now = new Date(expiry - 1);
      const u1 = `early${Date.now().toString(36)}`;
      const ok = await accept(early.token, u1);
      expect(ok).toMatchObject({ status: 201, body: { role: 'billing', accountId: a.accountId, username: u1 } });
      clock.now = new Date(expiry);
      const before = await writes(a.accountId);
      const expired = await accept(late.token, `late${Date.now().toString(36)}`);
      expect(expired.body).toMatchObject({ status: 410, code: 'invitation_expired' });
      expect(await writes(a.accountId)).toEqual(before);
      // Single use.
      clock.now = new Date(expiry - 1);
      expect((await accept(early.token, `again${Date.now().toString(36)}`)).body).toMatchObject({ status: 404 });
      expect(await login(sys, u1, 'a long enough passphrase')).toMatch(/^ts_/);
      const [invited] = await evidenceOf(a.accountId, 'member_invited');
      expect(invited.actor).toMatchObject({ type: 'member', id: a.memberId, username: a.reg.member.username });
      const [joined] = await evidenceOf(a.accountId, 'member_joined');
      expect(joined.actor).toMatchObject({ type: 'member', id: ok.body.id });
      expect(joined.payload).toMatchObject({ invitedBy: a.memberId, role: 'billing' });
    } finally {
      await api.close();
    }
  });

  test('When an invitation is sent by a key or with bad input, then it is refused with a typed 4xx and nothing is written', async () => {
    const a = await onboard(sys);
    const before = await writes(a.accountId);
    const post = (token: string, body: unknown) =>
      http(sys.baseUrl, 'POST', '/v1/members/invitations', { token, body });
    const email = uniqueEmail('k');
    expect((await post(a.apiKey, { email, role: 'developer' })).body.code).toBe('member_session_required');
    expect((await post(a.session, { email, role: 'admin' })).body.code).toBe('validation_failed');
    expect((await post(a.session, { email, role: 'developer', extra: 1 })).body.code).toBe('validation_failed');
    expect((await post(a.session, { email: a.reg.member.email, role: 'developer' })).body.code).toBe('already_member');
    expect(await writes(a.accountId)).toEqual(before);
  });
});

describe('role changes and removals', () => {
  test('When the last owner would be demoted or removed, then 409 last_owner and nothing changes; with a second owner both are allowed', async () => {
    const a = await onboard(sys);
    const patch = (token: string, id: string, role: string) =>
      http(sys.baseUrl, 'PATCH', `/v1/members/${id}`, { token, body: { role } });
    const remove = (token: string, id: string) => http(sys.baseUrl, 'DELETE', `/v1/members/${id}`, { token });
    const before = await writes(a.accountId);
    expect((await patch(a.session, a.memberId, 'developer')).body).toMatchObject({ status: 409, code: 'last_owner' });
    expect((await remove(a.session, a.memberId)).body).toMatchObject({ status: 409, code: 'last_owner' });
    expect(await writes(a.accountId)).toEqual(before);

    const b = await addMember(sys, a.session, 'developer');
    expect((await patch(b.session, a.memberId, 'developer')).body.code).toBe('forbidden_role');
    const key = await http(sys.baseUrl, 'POST', '/v1/api-keys', { token: a.session, body: { name: 'a' } });
    expect((await patch(a.session, b.id, 'owner')).body).toMatchObject({ role: 'owner' });
    expect((await patch(a.session, a.memberId, 'read-only')).body).toMatchObject({ role: 'read-only' });
    expect((await remove(b.session, b.id)).body).toMatchObject({ status: 409, code: 'last_owner' });
    expect((await remove(b.session, a.memberId)).status).toBe(204);
    // Removal ends the access at once: sessions and the keys they made.
    expect((await http(sys.baseUrl, 'GET', '/v1/account', { token: a.session })).status).toBe(401);
    expect((await http(sys.baseUrl, 'GET', '/v1/account', { token: key.body.key })).status).toBe(401);
    const { username, password } = a.reg.member;
    expect((await http(sys.baseUrl, 'POST', '/v1/sessions', { body: { username, password } })).status).toBe(401);
    const kinds = (await sys.db('evidence_log').where({ account_id: a.accountId }).orderBy('seq')).map((e) => [
      e.kind,
      e.actor.id,
    ]);
    expect(kinds.slice(-4)).toEqual([
      ['member_joined', b.id],
      ['member_role_changed', a.memberId],
      ['member_role_changed', a.memberId],
      ['member_removed', b.id],
    ]);
    // Another account's member: 404, never touched.
    const other = await onboard(sys);
    expect((await patch(other.session, b.id, 'read-only')).status).toBe(404);
    expect((await remove(other.session, b.id)).status).toBe(404);
    const email = uniqueEmail('cross');
    const inv = await http(sys.baseUrl, 'POST', '/v1/members/invitations', {
      token: b.session,
      body: { email, role: 'billing' },
    });
    const revoke = (token: string) => http(sys.baseUrl, 'DELETE', `/v1/members/invitations/${inv.body.id}`, { token });
    expect((await revoke(other.session)).status).toBe(404);
    expect((await http(sys.baseUrl, 'GET', '/v1/members/invitations', { token: b.session })).body.items).toEqual([
      expect.objectContaining({ id: inv.body.id, email, role: 'billing' }),
    ]);
    expect((await revoke(b.session)).status).toBe(204);
    expect((await http(sys.baseUrl, 'GET', '/v1/members/invitations', { token: b.session })).body.items).toEqual([]);
    expect((await http(sys.baseUrl, 'GET', '/v1/members', { token: b.session })).body.items).toHaveLength(1);
  });
});
