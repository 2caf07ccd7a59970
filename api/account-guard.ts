// Refuses acts of accounts that are not active (6.3.4, 7.3 late payment, 10.2): reads the
// accounts.status projection written by the account workflow. Put it after `authenticate` in
// front of the routes a suspended account may not use (sends, most writes).
import type { RequestHandler } from 'express';
import type { ApiDeps } from './context';
import { principalOf } from './context';
import { Problem } from './errors';

function accountSuspended(suspensions: unknown): Problem {
  return new Problem(
    403,
    'account_suspended',
    'Account suspended',
    'This account is suspended: sending and changes are refused until the suspension is lifted.',
    { suspensions },
  );
}

export function accountTerminated(): Problem {
  return new Problem(
    403,
    'account_terminated',
    'Account terminated',
    'The contract has ended: only the data export (GET /v1/account/export) and the data-return ' +
      'request (POST /v1/account/data-return-request) remain available.',
  );
}

/** 403 `account_suspended` / `account_terminated` unless the principal's account is active. */
// The status comes with the credentials (api/auth.ts reads it in the same query): no extra
// query on the send path.
export function requireActiveAccount(_deps: Pick<ApiDeps, 'db'>): RequestHandler {
  return (req, _res, next) => {
    const { accountStatus, suspensions } = principalOf(req);
    if (accountStatus === 'terminated') throw accountTerminated();
    if (accountStatus === 'suspended')
      throw accountSuspended(suspensions.map((s) => ({ kind: s.kind, since: s.since })));
    next();
  };
}

/** 403 `account_terminated` for terminated accounts only (reads and acts a suspended User keeps). */
export function requireNotTerminated(_deps: Pick<ApiDeps, 'db'>): RequestHandler {
  return (req, _res, next) => {
    if (principalOf(req).accountStatus === 'terminated') throw accountTerminated();
    next();
  };
}
