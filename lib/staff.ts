// Staff accounts: password (argon2id) + TOTP secret. Used by the admin API, the staff:create
// script and tests.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { hashPassword } from './credentials';
import { newTotpSecret } from './totp';

export const STAFF_ROLES = ['operations', 'compliance', 'billing', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export async function createStaffMember(
  db: Knex,
  input: { username: string; email: string; password: string; roles: StaffRole[] },
) {
  const id = randomUUID();
  const { secret: totpSecret, otpauthUri } = newTotpSecret(input.username, 'Tentacle staff');
  await db('staff_members').insert({
    id,
    username: input.username,
    email: input.email.toLowerCase(),
    password_hash: await hashPassword(input.password),
    totp_secret: totpSecret,
    roles: input.roles,
  });
  return { id, totpSecret, otpauthUri };
}
