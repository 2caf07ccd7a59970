// Staff steering of any account's campaign (6.3.4, 10.3: the platform may stop sending at once):
// pause (a staff hold the customer's resume does not lift), resume (releases that hold only),
// cancel (in-flight pages finish; what was not sent is cancelled and its reservation released).
// They act on a given account's data: staff session, role, X-Access-Reason, audit entry.
import { Router } from 'express';
import { z } from 'zod';
import { WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { cancelCampaignRun, staffHoldCampaignRun } from '../lib/workflow-clients/campaign';
import type { CampaignRunStatus } from '../workflows/messages';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireAccessReason, requireRole } from './staff-auth';
import { conflict, notFound } from './errors';

type Action = 'pause' | 'resume' | 'cancel';

export function staffCampaignsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, temporal } = deps;
  const auth = authenticateStaff(deps);
  const run: Record<Action, (orderId: string) => Promise<CampaignRunStatus>> = {
    pause: (orderId) => staffHoldCampaignRun(temporal, orderId, true),
    resume: (orderId) => staffHoldCampaignRun(temporal, orderId, false),
    cancel: (orderId) => cancelCampaignRun(temporal, orderId),
  };

  for (const action of ['pause', 'resume', 'cancel'] as const) {
    const route = `/v1/staff/accounts/:id/campaigns/:campaignId/${action}`;
    r.post(route, auth, requireRole('compliance', 'operations'), requireAccessReason, async (req, res) => {
      const accountId = z.uuid().safeParse(req.params.id);
      const orderId = z.uuid().safeParse(req.params.campaignId);
      const c =
        accountId.success && orderId.success
          ? await db('campaigns')
              .where({ order_id: orderId.data, account_id: accountId.data, kind: 'campaign' })
              .first('order_id', 'account_id', 'status')
          : undefined;
      if (!c) throw notFound('campaign');
      const neverStarted = action === 'cancel' && ['draft', 'ready'].includes(c.status);
      if (!neverStarted && !['scheduled', 'running', 'paused'].includes(c.status)) {
        throw conflict('campaign_not_running', `The campaign is ${c.status}.`, { campaignStatus: c.status });
      }
      // Audited before the act, so that no act goes unrecorded; a refusal above writes nothing.
      await auditStaff(db, req, {
        action: `staff.campaign.${action}`,
        accountId: c.account_id,
        resource: c.order_id,
        details: { status: c.status },
      });
      if (neverStarted) {
        // No order, no workflow, nothing reserved.
        const n = await db('campaigns')
          .where({ order_id: c.order_id })
          .whereIn('status', ['draft', 'ready'])
          .update({ status: 'cancelled', completed_at: db.fn.now() });
        if (n) {
          res.json({ id: c.order_id, status: 'cancelled' });
          return;
        }
      }
      try {
        res.json({ id: c.order_id, status: await run[action](c.order_id) });
      } catch (e) {
        if (e instanceof WorkflowNotFoundError) throw conflict('campaign_not_running', 'The campaign is not running.');
        if (e instanceof WorkflowUpdateFailedError) throw conflict('invalid_transition', e.cause?.message ?? e.message);
        throw e;
      }
    });
  }
  return r;
}
