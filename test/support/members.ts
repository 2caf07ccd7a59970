// Members for the member tests: invitations by HTTP, their tokens read from the platform's
// recording mailer (platform_emails), sessions per role.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticator } from 'otplib';
import { createApp } from '../../api/app';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import type { MemberRole } from '../../domain/member-roles';
import { eventually } from './eventually';
import { http, type System } from './system';

let n = 0;
export const uniqueEmail = (tag: string) => `${tag}${process.pid}x${Date.now().toString(36)}x${++n}@acme.example`;

/** The 43-character token of the last platform e-mail to `email` whose subject matches. */
export async function mailedToken(sys: System, email: string, subject: RegExp): Promise<string> {
  const token = await eventually(
    async () => {
      const rows = await sys.db('platform_emails').whereRaw('? = any(to_addresses)', [email]).orderBy('id', 'desc');
      const mail = rows.find((r) => subject.test(r.subject));
      return (mail && /token ([A-Za-z0-9_-]{43})/.exec(mail.body)?.[1]) || null;
    },
    (t) => t !== null,
    5_000,
  );
  if (!token) throw new Error(`no e-mail ${subject} to ${email}`);
  return token;
}

export interface Member {
  id: string;
  username: string;
  email: string;
  password: string;
  session: string;
}

/** An owner's session invites `email` as `role`; the invitee accepts and logs in. */
export async function addMember(sys: System, ownerSession: string, role: MemberRole): Promise<Member> {
  const email = uniqueEmail(role.replace('-', ''));
  const inv = await http(sys.baseUrl, 'POST', '/v1/members/invitations', {
    token: ownerSession,
    body: { email, role },
  });
  if (inv.status !== 201) throw new Error(`invitation failed: ${JSON.stringify(inv.body)}`);
  const token = await mailedToken(sys, email, /^Invitation/);
  const username = email.split('@')[0];
  const password = 'another long passphrase';
  const accepted = await http(sys.baseUrl, 'POST', '/v1/invitations/accept', {
    body: { token, username, fullName: 'Bob Durand', password },
  });
  if (accepted.status !== 201) throw new Error(`acceptance failed: ${JSON.stringify(accepted.body)}`);
  return { id: accepted.body.id, username, email, password, session: await login(sys, username, password) };
}

export async function login(sys: System, username: string, password: string, totp?: string): Promise<string> {
  const res = await http(sys.baseUrl, 'POST', '/v1/sessions', { body: { username, password, totp } });
  if (res.status !== 201) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** The code of the 30-second step `steps` after the current one (a fresh, never used code). */
export const totpAt = (secret: string, steps: number) =>
  authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);

/** A second API on the same database and Temporal whose clock the test sets (expiry boundaries). */
export async function apiAt(sys: System, clock: { now: Date }): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', LIFECYCLE_TASK_QUEUE: sys.taskQueue });
  const app = createApp({
    db: sys.db,
    temporal: sys.client,
    config,
    logger: createLogger('api-test', 'silent'),
    now: () => clock.now,
  });
  const server: Server = await new Promise((res) => {
    const s = app.listen(0, '127.0.0.1', () => res(s));
  });
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
