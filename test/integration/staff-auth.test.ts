import { authenticator } from 'otplib';
import { createStaffMember } from '../../lib/staff';
import { http, onboard, startSystem, System } from '../support/system';
import { staffLogin } from '../support/staff';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

describe('staff authentication and audited access', () => {
  test('When staff log in, then both the password and a fresh TOTP code are needed, and a code is never accepted twice', async () => {
    const username = `ops${Date.now().toString(36)}`;
    const password = 'staff password long enough';
    const { totpSecret } = await createStaffMember(sys.db, {
      username,
      email: `${username}@t.example`,
      password,
      roles: ['operations'],
    });
    const code = authenticator.generate(totpSecret);
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(
      (
        await http(sys.baseUrl, 'POST', '/v1/staff/sessions', {
          body: { username, password: 'not the password!!', totp: code },
        })
      ).status,
    ).toBe(401);
    expect(
      (await http(sys.baseUrl, 'POST', '/v1/staff/sessions', { body: { username, password, totp: wrongCode } })).status,
    ).toBe(401);
    const ok = await http(sys.baseUrl, 'POST', '/v1/staff/sessions', { body: { username, password, totp: code } });
    expect(ok.status).toBe(201);
    expect(ok.body.token).toMatch(/^ss_/);
    const replay = await http(sys.baseUrl, 'POST', '/v1/staff/sessions', { body: { username, password, totp: code } });
    expect(replay.status).toBe(401);
    // No code: refused for an enrolled member (only a first login may leave it out, to enrol).
    const bare = await http(sys.baseUrl, 'POST', '/v1/staff/sessions', { body: { username, password } });
    expect([bare.status, bare.body.code, bare.body.enrolment]).toEqual([401, 'unauthorized', undefined]);
  });

  test('When customer credentials are used on staff endpoints, then they are refused', async () => {
    const a = await onboard(sys);
    const res = await http(sys.baseUrl, 'GET', `/v1/staff/accounts/${a.accountId}`, {
      token: a.apiKey,
      headers: { 'x-access-reason': 'support ticket 42' },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('staff_credentials_required');
    expect((await http(sys.baseUrl, 'GET', `/v1/staff/accounts/${a.accountId}`, { token: a.session })).status).toBe(
      403,
    );
  });

  test('When staff read a customer account, then a reason is required and the read is in the audit log with who, what, which account and why', async () => {
    const a = await onboard(sys);
    const ops = await staffLogin(sys, ['operations']);
    const noReason = await http(sys.baseUrl, 'GET', `/v1/staff/accounts/${a.accountId}`, { token: ops.token });
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('access_reason_required');
    const read = await http(sys.baseUrl, 'GET', `/v1/staff/accounts/${a.accountId}`, {
      token: ops.token,
      headers: { 'x-access-reason': 'support ticket 42' },
    });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(a.accountId);
    const entry = await sys.db('audit_log').where({ account_id: a.accountId, action: 'staff.account.read' }).first();
    expect(entry).toMatchObject({ actor_type: 'staff', actor_id: ops.staffId, reason: 'support ticket 42' });
    expect(entry.details.username).toBe(ops.username);
  });

  test('When a role is missing, then the act is refused; admin holds every role and alone creates staff', async () => {
    const ops = await staffLogin(sys, ['operations']);
    const admin = await staffLogin(sys, ['admin']);
    const compliance = await staffLogin(sys, ['compliance']);
    expect((await http(sys.baseUrl, 'GET', '/v1/staff/audit', { token: ops.token })).body.code).toBe('role_required');
    expect(
      (
        await http(sys.baseUrl, 'GET', '/v1/staff/audit', {
          token: compliance.token,
          headers: { 'x-access-reason': 'audit review 2026-12' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await http(sys.baseUrl, 'GET', '/v1/staff/audit', {
          token: admin.token,
          headers: { 'x-access-reason': 'audit review 2026-12' },
        })
      ).status,
    ).toBe(200);
    const body = {
      username: `bill${Date.now().toString(36)}`,
      email: 'b@t.example',
      password: 'another long password',
      roles: ['billing'],
    };
    expect((await http(sys.baseUrl, 'POST', '/v1/staff/members', { token: ops.token, body })).status).toBe(403);
    const created = await http(sys.baseUrl, 'POST', '/v1/staff/members', { token: admin.token, body });
    expect(created.status).toBe(201);
    expect(created.body.otpauthUri).toContain('otpauth://totp/');
    const login = await http(sys.baseUrl, 'POST', '/v1/staff/sessions', {
      body: { username: body.username, password: body.password, totp: authenticator.generate(created.body.totpSecret) },
    });
    expect(login.status).toBe(201);
    expect(await sys.db('audit_log').where({ action: 'staff.create', actor_id: admin.staffId }).first()).toBeTruthy();
  });
});
