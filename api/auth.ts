// Customer authentication: `Authorization: Bearer tk_…` (API key) or `Bearer ts_…` (session
// from POST /v1/sessions). Every customer route sees only its own account.
import type { NextFunction, Request, RequestHandler } from 'express';
import { parseApiKey, parseSessionToken, safeEqualHex, sha256 } from '../lib/credentials';
import type { ApiDeps, Principal } from './context';
import { forbidden, unauthorized } from './errors';
import { accountTerminated } from './account-guard';
import { mayGrant, type MemberRole } from '../domain/member-roles';
import { MicroBatcher } from '../lib/micro-batch';

/**
 * 10.2: at termination access stops at once; what remains until destruction is the data export,
 * the data-return request, the invoices (kept as the law requires) and logging out.
 */
const OPEN_AFTER_TERMINATION: [string, RegExp][] = [
  ['GET', /^\/v1\/account\/export$/],
  ['POST', /^\/v1\/account\/data-return-request$/],
  ['GET', /^\/v1\/billing\/invoices(\/.*)?$/],
  ['DELETE', /^\/v1\/sessions\/current$/],
];

/** With TOTP required by the account (issue 12), a member without it may only enrol or log out. */
const OPEN_BEFORE_TOTP_ENROLMENT: [string, RegExp][] = [
  ['POST', /^\/v1\/members\/me\/totp(\/confirm)?$/],
  ['DELETE', /^\/v1\/sessions\/current$/],
];

const LAST_USED_RESOLUTION_MS = 60_000; // last-used time kept to the minute: no write per request

interface ApiKeyRow {
  id: string;
  prefix: string;
  account_id: string;
  secret_hash: string;
  revoked_at: Date | null;
  last_used_at: Date | null;
  role: MemberRole;
  creator_role: MemberRole;
  status: Principal['accountStatus'];
  suspensions: Principal['suspensions'];
}

export function authenticate({ db }: ApiDeps): RequestHandler {
  // The keys of the requests of a moment are read by one statement (a single send at 1,000/s
  // would otherwise cost a query each); exact, no cache: each request reads after it arrived.
  const keys = new MicroBatcher<string, ApiKeyRow | undefined>(async (prefixes) => {
    const { rows } = await db.raw(
      `select k.id, k.prefix, k.account_id, k.secret_hash, k.revoked_at, k.last_used_at, k.role,
              c.role as creator_role, a.status, a.suspensions
         from api_keys k join accounts a on a.id = k.account_id join members c on c.id = k.created_by
        where k.prefix = any(?::text[])`,
      [[...new Set(prefixes)]],
    );
    const byPrefix = new Map((rows as ApiKeyRow[]).map((r) => [r.prefix, r]));
    return prefixes.map((p) => byPrefix.get(p));
  });
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer (\S+)$/.exec(header);
    if (!m) throw unauthorized();
    const token = m[1];
    const apiKey = parseApiKey(token);
    if (apiKey) {
      const row = await keys.add(apiKey.prefix);
      if (!row || row.revoked_at || !safeEqualHex(row.secret_hash, sha256(apiKey.secret)))
        throw unauthorized('Invalid or revoked API key.');
      if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
        await db('api_keys').where({ id: row.id }).update({ last_used_at: db.fn.now() });
      }
      req.principal = {
        accountId: row.account_id,
        memberId: null,
        apiKeyId: row.id,
        via: 'api_key',
        // A key never has more rights than its creator has now: demoted creator, read-only key.
        role: mayGrant(row.creator_role, row.role) ? row.role : 'read-only',
        accountStatus: row.status,
        suspensions: row.suspensions,
      };
      return admitted(req, next);
    }
    const secret = parseSessionToken(token);
    if (secret) {
      const row = await db('sessions as s')
        .join('accounts as a', 'a.id', 's.account_id')
        .join('members as m', 'm.id', 's.member_id')
        .where('s.token_hash', sha256(secret))
        .whereNull('s.revoked_at')
        .whereNull('m.disabled_at')
        .andWhere('s.expires_at', '>', db.fn.now())
        .first(
          's.member_id',
          's.account_id',
          'm.role',
          'm.totp_enabled_at',
          'a.totp_required',
          'a.status',
          'a.suspensions',
        );
      if (!row) throw unauthorized('Invalid or expired session.');
      req.principal = {
        accountId: row.account_id,
        memberId: row.member_id,
        apiKeyId: null,
        via: 'session',
        role: row.role,
        accountStatus: row.status,
        suspensions: row.suspensions,
      };
      if (row.totp_required && !row.totp_enabled_at && !openTo(OPEN_BEFORE_TOTP_ENROLMENT, req))
        throw forbidden('totp_enrolment_required', 'This account requires two-factor login: enrol TOTP first.');
      return admitted(req, next);
    }
    throw unauthorized('Unrecognised credentials.');
  };
}

function admitted(req: Request, next: NextFunction): void {
  if (req.principal?.accountStatus === 'terminated' && !openTo(OPEN_AFTER_TERMINATION, req)) throw accountTerminated();
  next();
}

function openTo(routes: [string, RegExp][], req: Request): boolean {
  const path = req.originalUrl.split('?')[0];
  return routes.some(([m, re]) => m === req.method && re.test(path));
}

/** Some acts (creating API keys) need a person, not a key. */
export const requireMemberSession: RequestHandler = (req, _res, next) => {
  if (req.principal?.via !== 'session' || !req.principal.memberId) {
    throw forbidden(
      'member_session_required',
      'This action requires a member session (POST /v1/sessions), not an API key.',
    );
  }
  next();
};
