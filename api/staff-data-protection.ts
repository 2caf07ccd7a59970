// Staff side of personal-data protection (ToS Annex 2, the platform as processor): a personal-data
// breach case and its notification to the Users concerned (Annex 2.3.3), and data-subject
// requests, forwarded to the User at once and tracked to closure (Annex 2.3). Staff session, the
// compliance role and an access reason, audited.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { dataBreachHandle, dataBreachWorkflowId, enqueueDataBreach } from '../lib/workflow-clients/data-breach';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import { sendNotice } from '../activities/contract-notices';
import { createMailer } from '../activities/mailer';
import { notifyDataBreach } from '../workflows/messages';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireAccessReason, requireRole, staffOf } from './staff-auth';
import { clockUpdate } from './contract-clock';
import { notFound, unprocessable } from './errors';
import { instant } from './schemas';
import { accountOr404, caseOr404, staffActor } from './staff-common';

/** The bodies these routes parse (api/openapi/staff.ts describes them with the same). */
export const dataProtectionBodies = (occurred: ReturnType<typeof instant>) => ({
  breach: z.strictObject({
    accountIds: z.array(z.uuid()).min(1).max(10_000),
    awareAt: occurred,
    description: z.string().trim().min(5).max(8000),
  }),
  notify: z.strictObject({ summary: z.string().trim().min(5).max(8000) }),
  subjectRequest: z.strictObject({
    accountId: z.uuid(),
    kind: z.enum(['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection']),
    subjectContact: z.string().trim().min(3).max(320),
    details: z.string().trim().max(8000).default(''),
    receivedAt: occurred.optional(),
  }),
  close: z.strictObject({ resolution: z.string().trim().min(3).max(4000) }),
});

export function staffDataProtectionRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, temporal, config } = deps;
  const mailer = createMailer(db, config);
  const auth = authenticateStaff(deps);
  const now = deps.now ?? (() => new Date());
  const occurred = instant('occurred', now);
  const bodies = dataProtectionBodies(occurred);

  // ---- Annex 2.3.3 personal-data breach ----------------------------------------------------------
  r.post('/v1/staff/data-breaches', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const input = bodies.breach.parse(req.body);
    const found = await db('accounts').whereIn('id', input.accountIds).pluck('id');
    if (found.length !== new Set(input.accountIds).size)
      throw unprocessable('unknown_account', 'Some account ids do not exist.');
    const caseId = randomUUID();
    const workflowId = dataBreachWorkflowId(caseId);
    const accountId = input.accountIds.length === 1 ? input.accountIds[0] : null;
    const breach = {
      caseId,
      accountIds: input.accountIds,
      awareAt: input.awareAt.toISOString(),
      description: input.description,
    };
    const start = await db.transaction(async (trx) => {
      await trx('contract_cases').insert({
        id: caseId,
        kind: 'data_breach',
        account_id: accountId,
        clause: 'Annex 2.3.3',
        state: 'awaiting_notification',
        workflow_id: workflowId,
        details: { accountIds: input.accountIds, awareAt: breach.awareAt, description: input.description },
        opened_by_type: 'staff',
        opened_by_id: staffOf(req).id,
      });
      await auditStaff(trx, req, {
        action: 'staff.data_breach.open',
        accountId,
        resource: caseId,
        details: { accounts: input.accountIds.length },
      });
      return enqueueDataBreach(trx, config, breach, accountId);
    });
    await relayNow({ ...deps, logger: req.log }, start);
    res.status(201).json({ caseId, workflowId });
  });
  r.post(
    '/v1/staff/data-breaches/:id/notify',
    auth,
    requireRole('compliance'),
    requireAccessReason,
    async (req, res) => {
      const c = await caseOr404(db, req.params.id as string, 'data_breach');
      const { summary } = bodies.notify.parse(req.body);
      const state = await clockUpdate(dataBreachHandle(temporal, c.id), notifyDataBreach, [
        { by: staffActor(req), summary },
      ]);
      await auditStaff(db, req, { action: 'staff.data_breach.notify', accountId: c.account_id, resource: c.id });
      res.status(202).json({ caseId: c.id, notifiedAt: state.details.notifiedAt });
    },
  );

  // ---- data subject requests: forwarded to the User at once, tracked to closure -----------------
  r.post('/v1/staff/data-subject-requests', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const input = bodies.subjectRequest.parse(req.body);
    await accountOr404(db, input.accountId);
    const id = randomUUID();
    await db('data_subject_requests').insert({
      id,
      account_id: input.accountId,
      kind: input.kind,
      subject_contact: input.subjectContact,
      details: input.details,
      received_at: input.receivedAt ?? new Date(),
      state: 'received',
    });
    await auditStaff(db, req, { action: 'staff.dsr.receive', accountId: input.accountId, resource: id });
    await sendNotice(
      { db, config, mailer },
      {
        key: `dsr:${id}`,
        accountId: input.accountId,
        kind: 'data_subject_request_forwarded',
        clause: 'Annex 2.3',
        subject: `Data subject request (${input.kind}) forwarded to you`,
        text:
          `We received a ${input.kind} request from a data subject (${input.subjectContact}) concerning data ` +
          `you instruct us to process. As processor we forward it to you without delay.\n${input.details}`,
        payload: { requestId: id, requestKind: input.kind },
      },
    );
    await db('data_subject_requests').where({ id }).update({ state: 'forwarded', forwarded_at: db.fn.now() });
    res.status(201).json({ id, state: 'forwarded' });
  });
  r.post(
    '/v1/staff/data-subject-requests/:id/close',
    auth,
    requireRole('compliance'),
    requireAccessReason,
    async (req, res) => {
      const { resolution } = bodies.close.parse(req.body);
      const parsed = z.uuid().safeParse(req.params.id);
      const row = parsed.success ? await db('data_subject_requests').where({ id: parsed.data }).first() : undefined;
      if (!row) throw notFound('data subject request');
      await db('data_subject_requests')
        .where({ id: row.id })
        .whereNot({ state: 'closed' })
        .update({ state: 'closed', resolution, closed_at: db.fn.now() });
      await auditStaff(db, req, { action: 'staff.dsr.close', accountId: row.account_id, resource: row.id });
      res.json({ id: row.id, state: 'closed' });
    },
  );

  return r;
}
