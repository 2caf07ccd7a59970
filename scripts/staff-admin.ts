// Staff members from the command line (issue #13, Appendix 1): the first admin of a fresh system
// (`npm run staff -- create-admin`), its TOTP enrolment printed as a secret, an otpauth URI and a
// QR code in the terminal; and the demo staff admin that `npm start` keeps on embedded defaults
// (never in production), with the way to get a TOTP code for it in development.
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { authenticator } from 'otplib';
import QRCode from 'qrcode';
import { createStaffMember } from '../lib/staff';

export async function createAdmin(db: Knex, input: { username: string; email: string; password?: string }) {
  const taken = await db('staff_members').whereRaw('lower(username) = lower(?)', [input.username]).first('id');
  if (taken) throw new Error(`the staff username ${input.username} is already in use`);
  const password = input.password ?? randomBytes(18).toString('base64url');
  const created = await createStaffMember(db, { ...input, password, roles: ['admin'] });
  return { ...created, password, generated: !input.password };
}

/** The enrolment: the secret, its otpauth URI and the QR code of that URI, for the terminal. */
export async function enrolmentText(otpauthUri: string, secret: string): Promise<string> {
  const qr = await QRCode.toString(otpauthUri, { type: 'terminal', small: true });
  return `  TOTP secret    ${secret}\n  otpauth URI    ${otpauthUri}\n  Scan with an authenticator app:\n${qr}`;
}

const DEMO_STAFF = {
  username: 'demo-admin',
  email: 'demo-admin@tentacle.example',
  password: 'demo-staff-password',
};

/** The demo staff admin of `npm start` (development only): created once; its secret read back to print a code. */
export async function demoStaff(db: Knex): Promise<{ username: string; password: string; totpSecret: string }> {
  const row = await db('staff_members').where({ username: DEMO_STAFF.username }).first('totp_secret');
  if (row) return { ...DEMO_STAFF, totpSecret: row.totp_secret };
  const { totpSecret } = await createStaffMember(db, { ...DEMO_STAFF, roles: ['admin'] });
  return { ...DEMO_STAFF, totpSecret };
}

/** The current code of a secret (development: the demo admin; never offered in production). */
export const currentTotp = (secret: string) => authenticator.generate(secret);
