// TOTP (RFC 6238, 30-second steps, 6 digits) for staff and members alike: one implementation.
import type { Knex } from 'knex';
import { authenticator } from 'otplib';

authenticator.options = { window: 1 }; // accept the previous and next 30-second step (clock drift)

export function newTotpSecret(label: string, issuer: string): { secret: string; otpauthUri: string } {
  const secret = authenticator.generateSecret();
  return { secret, otpauthUri: authenticator.keyuri(label, issuer, secret) };
}

/**
 * Checks a TOTP code and returns its time step, or null. The caller stores the step and refuses
 * any code whose step is not newer than the last accepted one (no replay).
 */
function totpStep(code: string, secret: string, now = Date.now()): number | null {
  const delta = authenticator.checkDelta(code, secret);
  if (delta === null) return null;
  return Math.floor(now / 30_000) + delta;
}

/** A code is accepted once: its step must be newer than the last accepted one (one atomic update). */
export async function consumeTotp(
  db: Knex,
  table: 'staff_members' | 'members',
  id: string,
  secret: string,
  code: string,
): Promise<boolean> {
  const step = totpStep(code, secret);
  if (step === null) return false;
  const n = await db(table).where({ id }).andWhere('last_totp_step', '<', step).update({ last_totp_step: step });
  return n === 1;
}
