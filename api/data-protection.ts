// The Annex's registers for the customer (read-only): the sub-processors, and the record of the
// processing carried out for the caller's account. Content: domain/data-protection.ts.
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { Router } from 'express';
import { z } from 'zod';
import { PROCESSING_RECORD, SUB_PROCESSORS } from '../domain/data-protection';
import { durationWords } from '../domain/duration-wording';
import { loadPolicy } from '../lib/terms';
import type { ApiDeps } from './context';
import { principalOf } from './context';
import { authenticate } from './auth';

/**
 * Neither route takes a query parameter.
 * @public The route's schema, for the OpenAPI document.
 */
export const noQuery = z.strictObject({});

export function dataProtectionRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const auth = authenticate(deps);

  r.get('/v1/sub-processors', auth, requireRole(...ALLOWED.read), (req, res) => {
    principalOf(req);
    noQuery.parse(req.query);
    res.json({ items: SUB_PROCESSORS });
  });

  r.get('/v1/account/processing-record', auth, requireRole(...ALLOWED.read), async (req, res) => {
    const { accountId } = principalOf(req);
    noQuery.parse(req.query);
    const a = await db('accounts').where({ id: accountId }).first('id', 'legal_name', 'terms_version');
    const policy = await loadPolicy(db, a.terms_version);
    res.json({
      controller: { accountId: a.id, legalName: a.legal_name },
      termsVersion: a.terms_version,
      ...PROCESSING_RECORD,
      dataReturnRequestWithin: durationWords(policy.dataReturnRequest),
      subProcessors: SUB_PROCESSORS,
    });
  });

  return r;
}
