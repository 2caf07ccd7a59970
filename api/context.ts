import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import type { Request } from 'express';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import type { MemberRole } from '../domain/member-roles';
import { unauthorized } from './errors';

export interface ApiDeps {
  db: Knex;
  temporal: Client;
  config: Config;
  logger: Logger;
  /** Injectable clock for tests; production uses the wall clock. */
  now?: () => Date;
}

export interface Principal {
  accountId: string;
  memberId: string | null;
  apiKeyId: string | null;
  via: 'api_key' | 'session';
  /** The member's role, or the key's (capped by its creator's current role, api/auth.ts). */
  role: MemberRole;
  /** The account's state as projected from its lifecycle workflow, read with the credentials. */
  accountStatus: 'active' | 'suspended' | 'terminated';
  suspensions: { kind: string; since: string }[];
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

export function clientIp(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}
