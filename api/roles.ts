// Per-route role check of customer routes (issue 12): `requireRole(...ALLOWED.send)` after
// authenticate(); the table of who may do what is domain/member-roles.ts (and README.md).
import type { RequestHandler } from 'express';
import type { MemberRole } from '../domain/member-roles';
import { principalOf } from './context';
import { forbidden } from './errors';

/** The handler carries its roles, so a test can find any customer route mounted without one. */
export type RoleCheck = RequestHandler & { roles: readonly MemberRole[] };

export function requireRole(...roles: readonly MemberRole[]): RoleCheck {
  const check: RequestHandler = (req, _res, next) => {
    const p = principalOf(req);
    if (!roles.includes(p.role))
      throw forbidden(
        'forbidden_role',
        `This action needs one of the roles ${roles.join(', ')}; you act as ${p.role}.`,
      );
    next();
  };
  return Object.assign(check, { roles });
}
