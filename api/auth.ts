// Customer authentication: `Authorization: Bearer tk_…` (API key) or `Bearer ts_…` (session
// from POST /v1/sessions). Every customer route sees only its own account.
import type { RequestHandler } from 'express';
import { parseApiKey, parseSessionToken, safeEqualHex, sha256 } from '../lib/credentials';
import type { ApiDeps } from './context';
import { forbidden, unauthorized } from './errors';

const LAST_USED_RESOLUTION_MS = 60_000; // last-used time kept to the minute: no write per request

export function authenticate({ db }: ApiDeps): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer (\S+)$/.exec(header);
    if (!m) throw unauthorized();
    const token = m[1];
    const apiKey = parseApiKey(token);
    if (apiKey) {
      const row = await db('api_keys').where({ prefix: apiKey.prefix }).first('id', 'account_id', 'secret_hash', 'revoked_at', 'last_used_at');
      if (!row || row.revoked_at || !safeEqualHex(row.secret_hash, sha256(apiKey.secret))) throw unauthorized('Invalid or revoked API key.');
      if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
        await db('api_keys').where({ id: row.id }).update({ last_used_at: db.fn.now() });
      }
      req.principal = { accountId: row.account_id, memberId: null, apiKeyId: row.id, via: 'api_key' };
      return next();
    }
    const secret = parseSessionToken(token);
    if (secret) {
      const row = await db('sessions').where({ token_hash: sha256(secret) }).whereNull('revoked_at')
        .andWhere('expires_at', '>', db.fn.now()).first('member_id', 'account_id');
      if (!row) throw unauthorized('Invalid or expired session.');
      req.principal = { accountId: row.account_id, memberId: row.member_id, apiKeyId: null, via: 'session' };
      return next();
    }
    throw unauthorized('Unrecognised credentials.');
  };
}

/** Some acts (creating API keys) need a person, not a key. */
export const requireMemberSession: RequestHandler = (req, _res, next) => {
  if (req.principal?.via !== 'session' || !req.principal.memberId) {
    throw forbidden('member_session_required', 'This action requires a member session (POST /v1/sessions), not an API key.');
  }
  next();
};
