// Passwords: argon2id (memory-hard, OWASP parameters). API keys and session tokens: 256 random
// bits, so a SHA-256 of the secret is enough to store them; only the hash is kept.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, which isolated-module builds cannot inline)
const ARGON_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string) => hash(password, ARGON_OPTIONS);
export const verifyPassword = (stored: string, password: string) => verify(stored, password).catch(() => false);

/** A hash that costs as much as a real verification, so unknown usernames take as long. */
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function safeEqualHex(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** `tk_<prefix>_<secret>`: the prefix finds the row, the secret is checked against its hash. */
export function newApiKey(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `tk_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | null {
  const m = /^tk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(key);
  return m ? { prefix: m[1], secret: m[2] } : null;
}

export function newSessionToken(): { token: string; tokenHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `ts_${secret}`, tokenHash: sha256(secret) };
}

export function parseSessionToken(token: string): string | null {
  const m = /^ts_([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? m[1] : null;
}
