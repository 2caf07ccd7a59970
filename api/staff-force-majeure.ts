// Staff side of force majeure (ToS 11): the platform declares a case for an account, ends it,
// or exercises the termination it opens. Staff session, a role and an access reason, audited.
import { Router } from 'express';
import { z } from 'zod';
import { forceMajeureHandle } from '../lib/workflow-clients/force-majeure';
import { endForceMajeure, exerciseForceMajeureTermination } from '../workflows/messages';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireAccessReason, requireRole } from './staff-auth';
import { clockUpdate, OBLIGATIONS, startForceMajeure } from './contract-clock';
import { conflict } from './errors';
import { instant } from './schemas';
import { accountOr404, caseOr404, staffActor } from './staff-common';

/** The bodies these routes parse (api/openapi/staff.ts describes them with the same). */
export const forceMajeureBodies = (occurred: ReturnType<typeof instant>) => ({
  declare: z.strictObject({
    accountId: z.uuid(),
    startedAt: occurred,
    description: z.string().trim().min(1).max(4000),
    obligations: z.array(z.enum(OBLIGATIONS)).min(1),
  }),
});

export function staffForceMajeureRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, temporal } = deps;
  const auth = authenticateStaff(deps);
  const now = deps.now ?? (() => new Date());
  const occurred = instant('occurred', now);
  const bodies = forceMajeureBodies(occurred);

  // ---- 11 force majeure (declared by the platform) ---------------------------------------------
  r.post(
    '/v1/staff/force-majeure',
    auth,
    requireRole('operations', 'compliance'),
    requireAccessReason,
    async (req, res) => {
      const input = bodies.declare.parse(req.body);
      const a = await accountOr404(db, input.accountId);
      if (a.status === 'terminated') throw conflict('account_terminated', 'The contract has already ended.');
      const c = await startForceMajeure(deps, {
        accountId: a.id,
        declaredBy: 'platform',
        startedAt: input.startedAt,
        description: input.description,
        obligations: input.obligations,
        by: staffActor(req),
      });
      await auditStaff(db, req, { action: 'staff.force_majeure.declare', accountId: a.id, resource: c.caseId });
      res.status(201).json(c);
    },
  );
  r.post(
    '/v1/staff/force-majeure/:id/end',
    auth,
    requireRole('operations', 'compliance'),
    requireAccessReason,
    async (req, res) => {
      const c = await caseOr404(db, req.params.id as string, 'force_majeure');
      const state = await clockUpdate(forceMajeureHandle(temporal, c.id), endForceMajeure, [{ by: staffActor(req) }]);
      await auditStaff(db, req, { action: 'staff.force_majeure.end', accountId: c.account_id, resource: c.id });
      res.json({ caseId: c.id, endedAt: state.details.endedAt });
    },
  );
  r.post(
    '/v1/staff/force-majeure/:id/termination',
    auth,
    requireRole('compliance', 'admin'),
    requireAccessReason,
    async (req, res) => {
      const c = await caseOr404(db, req.params.id as string, 'force_majeure');
      const state = await clockUpdate(forceMajeureHandle(temporal, c.id), exerciseForceMajeureTermination, [
        { by: staffActor(req), party: 'platform' },
      ]);
      await auditStaff(db, req, { action: 'staff.force_majeure.terminate', accountId: c.account_id, resource: c.id });
      res.status(202).json({ caseId: c.id, state: state.state });
    },
  );

  return r;
}
