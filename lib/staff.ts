// Staff accounts: password (argon2id) + TOTP secret. Used by the admin API, `npm run staff` and
// tests. `enrolled: false` (the admin API): the member enrols a fresh TOTP secret at first login
// (api/staff-enrolment.ts); otherwise the secret returned here is in force at once.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { hashPassword } from './credentials';
import { newTotpSecret } from './totp';

export const STAFF_ROLES = ['operations', 'compliance', 'billing', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export async function createStaffMember(
  db: Knex,
  input: { username: string; email: string; password: string; roles: StaffRole[]; enrolled?: boolean },
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
    totp_enrolled_at: input.enrolled === false ? null : db.fn.now(),
  });
  return { id, totpSecret, otpauthUri };
}
