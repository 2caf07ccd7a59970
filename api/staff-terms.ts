// Staff publication of a new terms version (ToS 3.3): the version and its policy (durations as
// data) are recorded with evidence, and a terms-change clock starts for every affected account
// (binding one month after the notification). Staff session and a role; no account data read.
import { Router } from 'express';
import { z } from 'zod';
import { CURRENT_TERMS_VERSION, type TermsPolicy } from '../domain/terms-policy';
import { appendEvidence } from '../lib/evidence';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import { enqueueTermsChange } from '../lib/workflow-clients/terms-change';
import { loadPolicy } from '../lib/terms';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireRole } from './staff-auth';
import { conflict } from './errors';
import { staffActor } from './staff-common';

/** The bodies these routes parse (api/openapi/staff.ts describes them with the same). */
export const termsBodies = {
  version: z.strictObject({
    version: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
    textSha256: z.string().regex(/^[0-9a-f]{64}$/),
    policy: z.record(z.string(), z.unknown()).optional(),
    // The affected accounts, when the new version concerns only some; by default every account.
    accountIds: z.array(z.uuid()).min(1).max(10_000).optional(),
  }),
};

export function staffTermsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const auth = authenticateStaff(deps);

  r.post('/v1/staff/terms-versions', auth, requireRole('admin', 'compliance'), async (req, res) => {
    const input = termsBodies.version.parse(req.body);
    // Durations as data: the new version's policy, by default the current one's durations.
    const base = await loadPolicy(db, CURRENT_TERMS_VERSION);
    const policy = { ...base, ...(input.policy ?? {}), version: input.version } as TermsPolicy;
    // One transaction: the version, its evidence and every account's terms-change start.
    const starts = await db.transaction(async (trx) => {
      const inserted = await trx('terms_versions')
        .insert({
          version: input.version,
          published_at: new Date(),
          text_sha256: input.textSha256,
          policy: JSON.stringify(policy),
        })
        .onConflict('version')
        .ignore()
        .returning('version');
      if (inserted.length === 0) throw conflict('terms_version_exists', 'This terms version is already published.');
      await appendEvidence(trx, {
        accountId: null,
        kind: 'terms_version_published',
        occurredAt: new Date(),
        actor: { ...staffActor(req) },
        payload: { version: input.version, textSha256: input.textSha256 },
      });
      await auditStaff(trx, req, { action: 'staff.terms.publish', resource: input.version });
      const accounts = await trx('accounts')
        .whereNot({ status: 'terminated' })
        .whereNot({ terms_version: input.version })
        .modify((q) => {
          if (input.accountIds) q.whereIn('id', input.accountIds);
        })
        .select('id');
      const out = [];
      for (const a of accounts)
        out.push(await enqueueTermsChange(trx, deps.config, { accountId: a.id, version: input.version }));
      return out;
    });
    await relayNow({ ...deps, logger: req.log }, starts);
    res.status(201).json({ version: input.version, accountsNotified: starts.length });
  });

  return r;
}
