// Staff scheduling and cancelling of maintenance windows (ToS 6.4.3): each window is recorded
// and runs its maintenance clock (workflows started through lib/workflow-clients/maintenance.ts).
// Staff session and the operations role; no account data read.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { CURRENT_TERMS_VERSION } from '../domain/terms-policy';
import { enqueueMaintenance, signalCancelMaintenance } from '../lib/workflow-clients/maintenance';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireRole } from './staff-auth';
import { notFound, unprocessable } from './errors';
import { instant } from './schemas';
import { iso, staffActor } from './staff-common';
import { maintenanceWorkflowId } from '../workflows/ids';

/** The bodies these routes parse (api/openapi/staff.ts describes them with the same). */
export const maintenanceBodies = (planned: ReturnType<typeof instant>) => ({
  window: z.strictObject({
    startsAt: planned,
    endsAt: planned,
    emergency: z.boolean().default(false),
    reason: z.string().trim().min(3).max(2000),
  }),
});

export function staffMaintenanceRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, temporal } = deps;
  const auth = authenticateStaff(deps);
  const now = deps.now ?? (() => new Date());
  const planned = instant('planned', now);
  const bodies = maintenanceBodies(planned);

  // ---- 6.4.3 maintenance ------------------------------------------------------------------------
  r.post('/v1/staff/maintenance-windows', auth, requireRole('operations'), async (req, res) => {
    const input = bodies.window.parse(req.body);
    if (input.endsAt.getTime() <= input.startsAt.getTime())
      throw unprocessable('window_invalid', 'A window ends after it starts.');
    const id = randomUUID();
    const start = await db.transaction(async (trx) => {
      await trx('maintenance_windows').insert({
        id,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        emergency: input.emergency,
        reason: input.reason,
      });
      await auditStaff(trx, req, {
        action: 'staff.maintenance.schedule',
        resource: id,
        details: { emergency: input.emergency },
      });
      return enqueueMaintenance(trx, deps.config, {
        windowId: id,
        startsAt: input.startsAt.toISOString(),
        endsAt: input.endsAt.toISOString(),
        emergency: input.emergency,
        termsVersion: CURRENT_TERMS_VERSION,
      });
    });
    await relayNow({ ...deps, logger: req.log }, start);
    const { workflowId } = start;
    res.status(201).json({ id, workflowId, emergency: input.emergency });
  });
  // The windows not yet over (the console's operations page), platform-wide: no account data.
  r.get('/v1/staff/maintenance-windows', auth, requireRole('operations', 'compliance'), async (_req, res) => {
    const rows = await db('maintenance_windows').where('ends_at', '>', now()).orderBy('starts_at').limit(200);
    res.json({
      items: rows.map((w) => ({
        id: w.id,
        startsAt: iso(w.starts_at),
        endsAt: iso(w.ends_at),
        emergency: w.emergency,
        reason: w.reason,
        state: w.cancelled_at ? 'cancelled' : w.state,
        announcedAt: iso(w.announced_at),
        cancelledAt: iso(w.cancelled_at),
        workflowId: maintenanceWorkflowId(w.id),
      })),
    });
  });
  r.delete('/v1/staff/maintenance-windows/:id', auth, requireRole('operations'), async (req, res) => {
    const parsed = z.uuid().safeParse(req.params.id);
    const w = parsed.success ? await db('maintenance_windows').where({ id: parsed.data }).first('id') : undefined;
    if (!w) throw notFound('maintenance window');
    await db('maintenance_windows')
      .where({ id: w.id })
      .update({ cancelled_at: db.raw('coalesce(cancelled_at, now())') });
    await signalCancelMaintenance(temporal, w.id, staffActor(req)).catch(() => undefined);
    await auditStaff(db, req, { action: 'staff.maintenance.cancel', resource: w.id });
    res.status(204).end();
  });

  return r;
}
