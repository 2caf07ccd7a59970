// Secrets never in logs: a run that creates every kind of secret the platform handles captures
// every line the API (pino, pino-http) and the lifecycle worker (Temporal SDK logger) write, then
// looks for each secret in them.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { authenticator } from 'otplib';
import { signWebhook } from '../../lib/payments';
import { eventually, http, onboard, startSystem, System } from '../support/system';
import { staffLogin } from '../support/staff';
import { mailedToken } from '../support/members';
import type { DbRow } from '../../lib/db';

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
const runSecret = (label: string) => `${label}-${randomBytes(18).toString('base64url')}`;
const paymentSecret = runSecret('pay');
const twilioToken = runSecret('twilio');

let sys: System;
beforeAll(async () => {
  sys = await startSystem({
    logs: { stream: capture, level: 'debug' },
    env: { PAYMENT_WEBHOOK_SECRET: paymentSecret, TWILIO_AUTH_TOKEN: twilioToken },
  });
});
afterAll(async () => {
  await sys?.stop();
});

test('When a run creates passwords, keys, sessions, TOTP secrets, acknowledgment tokens and webhook secrets, then none of them is in any log line', async () => {
  const secrets: Record<string, string> = { paymentSecret, twilioToken };
  const a = await onboard(sys);
  Object.assign(secrets, { memberPassword: a.reg.member.password, apiKey: a.apiKey, memberSession: a.session });
  const wrongPassword = runSecret('typo');
  secrets.wrongPassword = wrongPassword;
  expect(
    (
      await http(sys.baseUrl, 'POST', '/v1/sessions', {
        body: { username: a.reg.member.username, password: wrongPassword },
      })
    ).status,
  ).toBe(401);
  // A key pasted in a query string, as clients do.
  expect(
    (await http(sys.baseUrl, 'GET', `/v1/billing/balance?api_key=${a.apiKey}&x=${a.session}`, { token: a.apiKey }))
      .status,
  ).toBe(200);

  const admin = await staffLogin(sys, ['admin']);
  Object.assign(secrets, {
    staffSession: admin.token,
    staffTotpSecret: admin.totpSecret,
    staffPassword: 'staff password long enough',
  });
  const member = {
    username: `log${Date.now().toString(36)}`,
    email: 'l@t.example',
    password: runSecret('staffpw'),
    roles: ['compliance'],
  };
  const created = await http(sys.baseUrl, 'POST', '/v1/staff/members', { token: admin.token, body: member });
  expect(created.status).toBe(201);
  Object.assign(secrets, { newStaffPassword: member.password, newStaffTotpSecret: created.body.totpSecret });
  const login = await http(sys.baseUrl, 'POST', '/v1/staff/sessions', {
    body: {
      username: member.username,
      password: member.password,
      totp: authenticator.generate(created.body.totpSecret),
    },
  });
  secrets.newStaffSession = login.body.token;

  // A formal notice carries an acknowledgment link whose token is the credential (lifecycle worker).
  const notice = await http(sys.baseUrl, 'POST', `/v1/staff/accounts/${a.accountId}/formal-notices`, {
    token: admin.token,
    headers: { 'x-access-reason': 'compliance review 7' },
    body: { breach: 'Unsolicited e-mail campaign' },
  });
  expect(notice.status).toBe(201);
  const mail = await eventually<DbRow>(
    () =>
      sys.db('platform_emails').where({ account_id: a.accountId }).whereLike('body', '%acknowledge?token=%').first(),
    Boolean,
  );
  const [, noticeId, ackToken] = /\/v1\/notices\/([0-9a-f-]{36})\/acknowledge\?token=([A-Za-z0-9_-]{43})/.exec(
    mail.body,
  )!;
  secrets.ackToken = ackToken;
  expect((await http(sys.baseUrl, 'GET', `/v1/notices/${noticeId}/acknowledge?token=${ackToken}`)).status).toBe(200);
  expect((await http(sys.baseUrl, 'POST', `/v1/notices/${noticeId}/acknowledge?token=${ackToken}`)).status).toBe(200);

  // Members (issue 12): an invitation token, the invitee's password, a reset token, a TOTP secret.
  const invitee = { email: `inv${Date.now().toString(36)}@acme.example`, role: 'developer' };
  expect((await http(sys.baseUrl, 'POST', '/v1/members/invitations', { token: a.session, body: invitee })).status).toBe(
    201,
  );
  secrets.invitationToken = await mailedToken(sys, invitee.email, /^Invitation/);
  secrets.inviteePassword = runSecret('invitee');
  const joined = await http(sys.baseUrl, 'POST', '/v1/invitations/accept', {
    body: {
      token: secrets.invitationToken,
      username: invitee.email.split('@')[0],
      fullName: 'I',
      password: secrets.inviteePassword,
    },
  });
  expect(joined.status).toBe(201);
  await http(sys.baseUrl, 'POST', '/v1/password-resets', { body: { email: invitee.email } });
  secrets.resetToken = await mailedToken(sys, invitee.email, /^Reset/);
  secrets.resetPassword = runSecret('reset');
  const reset = { token: secrets.resetToken, newPassword: secrets.resetPassword };
  expect((await http(sys.baseUrl, 'POST', '/v1/password-resets/confirm', { body: reset })).status).toBe(204);
  const enrol = await http(sys.baseUrl, 'POST', '/v1/members/me/totp', { token: a.session });
  secrets.memberTotpSecret = enrol.body.secret;
  const code = authenticator.generate(enrol.body.secret);
  expect(
    (await http(sys.baseUrl, 'POST', '/v1/members/me/totp/confirm', { token: a.session, body: { code } })).status,
  ).toBe(200);

  // A signed payment-provider event.
  const raw = JSON.stringify({
    id: `evt_${Date.now()}`,
    type: 'payment.succeeded',
    data: { accountId: a.accountId, amountCents: 1 },
  });
  const signature = signWebhook(paymentSecret, raw, Math.floor(Date.now() / 1000));
  secrets.paymentSignature = /v1=([0-9a-f]+)/.exec(signature)![1];
  const hook = await http(sys.baseUrl, 'POST', '/v1/webhooks/payments', {
    raw,
    headers: { 'tentacle-signature': signature },
  });
  expect(hook.status).toBeLessThan(500);

  // The capture works: the acknowledgment requests were logged, with their URL.
  const ackLines = lines.filter((l) => l.includes(`/v1/notices/${noticeId}/acknowledge`));
  expect(ackLines.length).toBeGreaterThanOrEqual(2);
  expect(Object.values(secrets).every((v) => typeof v === 'string' && v.length >= 16)).toBe(true);

  // The SDK's trace lines carry workflow and activity payloads in base64: read them decoded too.
  const payloads = lines.flatMap((l) =>
    [...l.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1], 'base64').toString()),
  );
  expect(payloads.length).toBeGreaterThan(0);
  const leaked = Object.entries(secrets)
    .filter(([, v]) => [...lines, ...payloads].some((l) => l.includes(v)))
    .map(([k]) => k);
  expect(leaked).toEqual([]);
  expect(ackLines[0]).toContain('token=[redacted]');
  expect(lines.some((l) => l.includes('/v1/billing/balance?api_key=[redacted]&x=[redacted]'))).toBe(true);
});
