// Staff accounts: password (argon2id) + TOTP secret. Used by the admin API, the staff:create
// script and tests.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { authenticator } from 'otplib';
import { hashPassword } from './credentials';

export const STAFF_ROLES = ['operations', 'compliance', 'billing', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

authenticator.options = { window: 1 }; // accept the previous and next 30-second step (clock drift)

export async function createStaffMember(
  db: Knex,
  input: { username: string; email: string; password: string; roles: StaffRole[] },
) {
  const id = randomUUID();
  const totpSecret = authenticator.generateSecret();
  await db('staff_members').insert({
    id,
    username: input.username,
    email: input.email.toLowerCase(),
    password_hash: await hashPassword(input.password),
    totp_secret: totpSecret,
    roles: input.roles,
  });
  return { id, totpSecret, otpauthUri: authenticator.keyuri(input.username, 'Tentacle staff', totpSecret) };
}

/**
 * Checks a TOTP code and returns its time step, or null. The caller stores the step and refuses
 * any code whose step is not newer than the last accepted one (no replay).
 */
export function totpStep(code: string, secret: string, now = Date.now()): number | null {
  const delta = authenticator.checkDelta(code, secret);
  if (delta === null) return null;
  return Math.floor(now / 30_000) + delta;
}
