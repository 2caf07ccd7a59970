// Issue 12, a member's credentials (4.2.4): password change revokes the other sessions, a reset
// token is single-use and short-lived and the request reveals nothing, TOTP enrolment and login
// (wrong code, replayed code), and the owner's "TOTP required".
import { authenticator } from 'otplib';
import { PASSWORD_RESET } from '../../api/member-credentials';
import { http, onboard, startSystem, type System } from '../support/system';
import { addMember, apiAt, login, mailedToken, totpAt, uniqueEmail } from '../support/members';

let sys: System;
// Reset requests are throttled per IP too: this run's own client address (X-Forwarded-For from a
// trusted loopback proxy), so that no other test's requests count.
const octet = () => 1 + Math.floor(Math.random() * 250);
const ip = `10.${octet()}.${octet()}.${octet()}`;
beforeAll(async () => {
  sys = await startSystem({ env: { TRUST_PROXY: '127.0.0.1' } });
});
afterAll(async () => {
  await sys?.stop();
});

const get = (token: string) => http(sys.baseUrl, 'GET', '/v1/account', { token });
const requestReset = (email: string) =>
  http(sys.baseUrl, 'POST', '/v1/password-resets', { body: { email }, headers: { 'x-forwarded-for': ip } });
const confirmReset = (token: string, newPassword: string) =>
  http(sys.baseUrl, 'POST', '/v1/password-resets/confirm', { body: { token, newPassword } });
const mailsTo = async (email: string) =>
  Number((await sys.db('platform_emails').whereRaw('? = any(to_addresses)', [email]).count({ n: '*' }))[0].n);

describe('password change', () => {
  test('When a member changes their password, then the current one is required and every other session is revoked', async () => {
    const a = await onboard(sys);
    const { username, password } = a.reg.member;
    const other = await login(sys, username, password);
    const change = (currentPassword: string) =>
      http(sys.baseUrl, 'POST', '/v1/members/me/password', {
        token: a.session,
        body: { currentPassword, newPassword: 'a brand new passphrase' },
      });
    const before = await sys.db('members').where({ id: a.memberId }).first('password_hash');
    expect((await change('not my password at all')).body).toMatchObject({ status: 403, code: 'wrong_password' });
    expect(await sys.db('members').where({ id: a.memberId }).first('password_hash')).toEqual(before);
    expect((await get(other)).status).toBe(200);
    expect((await change(password)).status).toBe(204);
    expect((await get(a.session)).status).toBe(200);
    expect((await get(other)).status).toBe(401);
    expect((await get(a.apiKey)).status).toBe(200); // keys are not sessions
    expect((await http(sys.baseUrl, 'POST', '/v1/sessions', { body: { username, password } })).status).toBe(401);
    expect(await login(sys, username, 'a brand new passphrase')).toMatch(/^ts_/);
    const byKey = await http(sys.baseUrl, 'POST', '/v1/members/me/password', {
      token: a.apiKey,
      body: { currentPassword: 'a brand new passphrase', newPassword: 'yet another passphrase' },
    });
    expect(byKey.body.code).toBe('member_session_required');
  });
});

describe('forgotten password', () => {
  test('When a reset is asked for, then the answer is the same for an unknown address, and only a member’s address gets an e-mail', async () => {
    const a = await onboard(sys);
    const unknown = uniqueEmail('nobody');
    const known = await requestReset(a.reg.member.email.toUpperCase());
    const none = await requestReset(unknown);
    expect(known.status).toBe(202);
    expect({ status: none.status, body: none.body }).toEqual({ status: known.status, body: known.body });
    expect(await mailedToken(sys, a.reg.member.email, /^Reset/)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await new Promise((r) => setTimeout(r, 300));
    expect(await mailsTo(unknown)).toBe(0);
    expect(await sys.db('password_resets').where({ member_id: a.memberId }).count({ n: '*' })).toEqual([{ n: '1' }]);
  });

  test('When a reset token is used, then the password changes, every session is revoked, and the token never works again', async () => {
    const a = await onboard(sys);
    await requestReset(a.reg.member.email);
    const token = await mailedToken(sys, a.reg.member.email, /^Reset/);
    expect((await confirmReset(token, 'short')).body.code).toBe('validation_failed');
    expect((await confirmReset(token, 'the reset passphrase')).status).toBe(204);
    expect((await get(a.session)).status).toBe(401);
    expect(await login(sys, a.reg.member.username, 'the reset passphrase')).toMatch(/^ts_/);
    expect((await confirmReset(token, 'a second reset passphrase')).body).toMatchObject({
      status: 400,
      code: 'invalid_reset_token',
    });
    expect(await login(sys, a.reg.member.username, 'the reset passphrase')).toMatch(/^ts_/);
  });

  test('When a reset token reaches its expiry instant, then it is refused; one tick before, it works', async () => {
    const a = await onboard(sys);
    const b = await onboard(sys);
    const clock = { now: new Date() };
    const api = await apiAt(sys, clock);
    try {
      for (const m of [a, b])
        await http(api.baseUrl, 'POST', '/v1/password-resets', { body: { email: m.reg.member.email } });
      const ta = await mailedToken(sys, a.reg.member.email, /^Reset/);
      const tb = await mailedToken(sys, b.reg.member.email, /^Reset/);
      const expiry = clock.now.getTime() + PASSWORD_RESET.validMinutes * 60_000;
      const confirm = (token: string) =>
        http(api.baseUrl, 'POST', '/v1/password-resets/confirm', {
          body: { token, newPassword: 'the reset passphrase' },
        });
      clock.now = new Date(expiry);
      const hashA = await sys.db('members').where({ id: a.memberId }).first('password_hash');
      expect((await confirm(ta)).body).toMatchObject({ status: 400, code: 'invalid_reset_token' });
      expect(await sys.db('members').where({ id: a.memberId }).first('password_hash')).toEqual(hashA);
      expect((await get(a.session)).status).toBe(200);
      clock.now = new Date(expiry - 1);
      expect((await confirm(tb)).status).toBe(204);
      expect((await get(b.session)).status).toBe(401);
    } finally {
      await api.close();
    }
  });

  test('When resets are asked for too often, then 429 after the limit, the same for a known and an unknown address', async () => {
    const a = await onboard(sys);
    const unknown = uniqueEmail('nobody');
    for (let i = 0; i < PASSWORD_RESET.perEmail; i++) {
      expect((await requestReset(a.reg.member.email)).status).toBe(202);
      expect((await requestReset(unknown)).status).toBe(202);
    }
    const known = await requestReset(a.reg.member.email);
    const none = await requestReset(unknown);
    expect(known.body).toMatchObject({ status: 429, code: 'reset_throttled' });
    expect({ status: none.status, body: none.body }).toEqual({ status: known.status, body: known.body });
  });
});

describe('two-factor login', () => {
  test('When a member enrols TOTP, then login needs a fresh code: none asks for it, a wrong or replayed one is refused', async () => {
    const a = await onboard(sys);
    const { username, password } = a.reg.member;
    const other = await login(sys, username, password);
    const enrol = await http(sys.baseUrl, 'POST', '/v1/members/me/totp', { token: a.session });
    expect(enrol.status).toBe(201);
    const { secret, otpauthUri } = enrol.body;
    expect(otpauthUri).toMatch(new RegExp(`^otpauth://totp/Tentacle:${username}\\?secret=${secret}`));
    // Not in force until confirmed.
    expect(await login(sys, username, password)).toMatch(/^ts_/);
    const confirm = (code: string) =>
      http(sys.baseUrl, 'POST', '/v1/members/me/totp/confirm', { token: a.session, body: { code } });
    const code = authenticator.generate(secret);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await confirm(wrong)).body).toMatchObject({ status: 400, code: 'invalid_totp_code' });
    expect((await confirm(code)).body).toEqual({ totpEnabled: true });
    expect((await get(other)).status).toBe(401); // sessions opened with the password alone end
    expect((await get(a.session)).status).toBe(200);

    const attempt = (totp?: string) =>
      http(sys.baseUrl, 'POST', '/v1/sessions', { body: { username, password, ...(totp ? { totp } : {}) } });
    expect((await attempt()).body).toMatchObject({ status: 401, code: 'totp_required' });
    expect((await attempt(wrong)).body).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await attempt(code)).body).toMatchObject({ status: 401, code: 'unauthorized' }); // used to confirm
    const next = totpAt(secret, 1);
    const ok = await attempt(next);
    expect(ok.status).toBe(201);
    expect((await attempt(next)).body).toMatchObject({ status: 401, code: 'unauthorized' });
    const noPassword = await http(sys.baseUrl, 'POST', '/v1/sessions', {
      body: { username, password: 'wrong password!!', totp: totpAt(secret, 0) },
    });
    expect(noPassword.body).toMatchObject({ status: 401, code: 'unauthorized' });
    expect((await http(sys.baseUrl, 'POST', '/v1/members/me/totp', { token: ok.body.token })).body.code).toBe(
      'totp_already_enabled',
    );
  });

  test('When the owner requires TOTP, then they must have it first, and a member without it can only enrol', async () => {
    const a = await onboard(sys);
    const dev = await addMember(sys, a.session, 'developer');
    const requireTotp = (token: string, totpRequired: boolean) =>
      http(sys.baseUrl, 'PUT', '/v1/account/security', { token, body: { totpRequired } });
    expect((await requireTotp(a.session, true)).body).toMatchObject({ status: 409, code: 'totp_not_enrolled' });
    expect((await requireTotp(dev.session, true)).body).toMatchObject({ status: 403, code: 'forbidden_role' });
    const secret = (await http(sys.baseUrl, 'POST', '/v1/members/me/totp', { token: a.session })).body.secret;
    const confirm = (token: string, code: string) =>
      http(sys.baseUrl, 'POST', '/v1/members/me/totp/confirm', { token, body: { code } });
    expect((await confirm(a.session, authenticator.generate(secret))).status).toBe(200);
    expect(await requireTotp(a.session, true)).toMatchObject({ status: 200, body: { totpRequired: true } });
    expect((await get(a.session)).body).toMatchObject({ totpRequired: true });
    const [ev] = await sys.db('evidence_log').where({ account_id: a.accountId, kind: 'security_policy_changed' });
    expect(ev.actor).toMatchObject({ id: a.memberId });

    const blocked = await get(dev.session);
    expect(blocked.body).toMatchObject({ status: 403, code: 'totp_enrolment_required' });
    const devSecret = (await http(sys.baseUrl, 'POST', '/v1/members/me/totp', { token: dev.session })).body.secret;
    expect((await confirm(dev.session, authenticator.generate(devSecret))).status).toBe(200);
    expect((await get(dev.session)).status).toBe(200);
    expect((await get(a.apiKey)).status).toBe(200); // keys are not interactive logins
  });
});
