// Staff measures on a breach of the contract: the 10.1 formal notice (opened, with an optional
// 6.3.4 suspension, and its cure), the review of a 10.3 complaint-rate case, 6.3.4 suspensions
// and their lifting, 10.3 prohibited use (suspension or immediate termination) and the
// platform's 3.2 i termination notice. Staff session, a role and an access reason, audited.
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { recordDeadline } from '../lib/deadlines';
import { appendEvidence } from '../lib/evidence';
import { liftSuspensionOf } from '../lib/workflow-clients/account';
import { enqueueFormalNotice, formalNoticeHandle, formalNoticeWorkflowId } from '../lib/workflow-clients/formal-notice';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import { subscriptionTermHandle } from '../lib/workflow-clients/subscription-term';
import { sendNotice } from '../activities/contract-notices';
import { suspendAccountNow, terminateAccountNow } from '../activities/contract-state';
import { createMailer } from '../activities/mailer';
import { cureBreach, giveTerminationNotice, type Actor } from '../workflows/messages';
import { prohibitedUseCaseWorkflowId } from '../workflows/ids';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireAccessReason, requireRole } from './staff-auth';
import { clockUpdate } from './contract-clock';
import { conflict, unprocessable } from './errors';
import { accountOr404, caseOr404, staffActor } from './staff-common';

/** The bodies these routes parse (api/openapi/staff.ts describes them with the same). */
export const noticeBodies = {
  formalNotice: z.strictObject({ breach: z.string().trim().min(5).max(4000), suspend: z.boolean().default(false) }),
  review: z.strictObject({
    decision: z.enum(['no_action', 'formal_notice', 'prohibited_use']),
    note: z.string().trim().min(5).max(2000),
  }),
  cure: z.strictObject({ note: z.string().trim().max(2000).optional() }),
  suspension: z.strictObject({
    kind: z.enum(['breach', 'prohibited_use', 'staff']),
    ref: z.string().trim().min(1).max(200).optional(),
    reason: z.string().trim().min(5).max(2000),
  }),
  prohibitedUse: z.strictObject({
    action: z.enum(['suspend', 'terminate']),
    behaviour: z.string().trim().min(5).max(4000),
  }),
};

export function staffNoticesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, temporal, config } = deps;
  const mailer = createMailer(db, config);
  const auth = authenticateStaff(deps);
  // 6.3.4: a suspension informs the User at once.
  const suspendWithNotice = (accountId: string, kind: string, ref: string, reason: string, by: Actor) =>
    suspendAccountNow({ db, config, temporal, mailer }, { accountId, kind, ref, reason, by });

  // ---- 10.1 formal notice ---------------------------------------------------------------------
  r.post(
    '/v1/staff/accounts/:id/formal-notices',
    auth,
    requireRole('compliance'),
    requireAccessReason,
    async (req, res) => {
      const a = await accountOr404(db, req.params.id as string);
      const input = noticeBodies.formalNotice.parse(req.body);
      if (a.status === 'terminated') throw conflict('account_terminated', 'The contract has already ended.');
      const caseId = randomUUID();
      const workflowId = formalNoticeWorkflowId(caseId);
      const by = staffActor(req);
      const start = await db.transaction(async (trx) => {
        await trx('contract_cases').insert({
          id: caseId,
          kind: 'formal_notice',
          account_id: a.id,
          clause: '10.1',
          state: 'opened',
          workflow_id: workflowId,
          details: { breach: input.breach },
          opened_by_type: 'staff',
          opened_by_id: by.id,
        });
        await appendEvidence(trx, {
          accountId: a.id,
          kind: 'breach_case_opened',
          occurredAt: new Date(),
          actor: { ...by },
          payload: { caseId, clause: '10.1', breach: input.breach },
        });
        await auditStaff(trx, req, { action: 'staff.formal_notice.open', accountId: a.id, resource: caseId });
        return enqueueFormalNotice(trx, config, { caseId, accountId: a.id, breach: input.breach, openedBy: by });
      });
      await relayNow({ ...deps, logger: req.log }, start);
      // 6.3.4: suspension may come with the case, at once, and the User is informed at once.
      if (input.suspend) await suspendWithNotice(a.id, 'breach', caseId, input.breach, by);
      res.status(201).json({ caseId, workflowId });
    },
  );

  // ---- 10.3 complaint-rate cases (lib/complaints.ts): compliance reviews and records its decision;
  // any measure goes through the formal-notice or prohibited-use routes.
  r.post('/v1/staff/cases/:id/review', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string, 'complaint_rate');
    const input = noticeBodies.review.parse(req.body);
    if (c.closed_at) throw conflict('case_closed', 'This case has already been reviewed.');
    const by = staffActor(req);
    await db.transaction(async (trx) => {
      const closed = await trx('contract_cases')
        .where({ id: c.id })
        .whereNull('closed_at')
        .update({
          state: 'reviewed',
          closed_at: trx.fn.now(),
          updated_at: trx.fn.now(),
          details: trx.raw("details || jsonb_build_object('decision', ?::text, 'note', ?::text)", [
            input.decision,
            input.note,
          ]),
        });
      if (closed === 0) throw conflict('case_closed', 'This case has already been reviewed.');
      await appendEvidence(trx, {
        accountId: c.account_id,
        kind: 'breach_case_reviewed',
        occurredAt: new Date(),
        actor: { ...by },
        payload: { caseId: c.id, clause: '10.3', decision: input.decision, note: input.note },
      });
      const review = await trx('deadlines')
        .where({ workflow_id: c.workflow_id, kind: 'complaint_review' })
        .first('due_at');
      await recordDeadline(trx, {
        workflowId: c.workflow_id,
        kind: 'complaint_review',
        accountId: c.account_id,
        clause: '10.3',
        dueAt: review?.due_at ?? new Date(),
        state: 'closed',
        outcome: input.decision,
      });
      await auditStaff(trx, req, {
        action: 'staff.complaint_case.review',
        accountId: c.account_id,
        resource: c.id,
        details: { decision: input.decision },
      });
    });
    res.json({ caseId: c.id, state: 'reviewed', decision: input.decision });
  });

  r.post('/v1/staff/cases/:id/cure', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string, 'formal_notice');
    const { note } = noticeBodies.cure.parse(req.body ?? {});
    const state = await clockUpdate(formalNoticeHandle(temporal, c.id), cureBreach, [{ by: staffActor(req), note }]);
    await auditStaff(db, req, { action: 'staff.formal_notice.cure', accountId: c.account_id, resource: c.id });
    res.json({ caseId: c.id, curedAt: state.details.curedAt, cureBy: state.details.cureBy });
  });

  r.post(
    '/v1/staff/accounts/:id/suspensions',
    auth,
    requireRole('compliance', 'operations'),
    requireAccessReason,
    async (req, res) => {
      const a = await accountOr404(db, req.params.id as string);
      const input = noticeBodies.suspension.parse(req.body);
      if (a.status === 'terminated') throw conflict('account_terminated', 'The contract has already ended.');
      const ref = input.ref ?? randomUUID();
      await auditStaff(db, req, {
        action: 'staff.account.suspend',
        accountId: a.id,
        details: { kind: input.kind, ref },
      });
      await suspendWithNotice(a.id, input.kind, ref, input.reason, staffActor(req));
      res.status(201).json({ accountId: a.id, kind: input.kind, ref, status: 'suspended' });
    },
  );

  r.delete(
    '/v1/staff/accounts/:id/suspensions/:kind/:ref',
    auth,
    requireRole('compliance', 'operations'),
    requireAccessReason,
    async (req, res) => {
      const a = await accountOr404(db, req.params.id as string);
      if (req.params.kind === 'late_payment')
        throw unprocessable('billing_suspension', 'A late-payment suspension is lifted by the payment (billing).');
      await auditStaff(db, req, {
        action: 'staff.account.lift_suspension',
        accountId: a.id,
        details: { kind: req.params.kind, ref: req.params.ref },
      });
      const lift = { kind: req.params.kind as string, ref: req.params.ref as string, by: staffActor(req) };
      const state = await liftSuspensionOf(temporal, a.id, lift);
      res.json({ accountId: a.id, status: state.status, suspensions: state.suspensions });
    },
  );

  r.post(
    '/v1/staff/accounts/:id/prohibited-use',
    auth,
    requireRole('compliance'),
    requireAccessReason,
    async (req, res) => {
      const a = await accountOr404(db, req.params.id as string);
      const input = noticeBodies.prohibitedUse.parse(req.body);
      if (a.status === 'terminated') throw conflict('account_terminated', 'The contract has already ended.');
      const caseId = randomUUID();
      const by = staffActor(req);
      await db.transaction(async (trx) => {
        await trx('contract_cases').insert({
          id: caseId,
          kind: 'prohibited_use',
          account_id: a.id,
          clause: '10.3',
          state: input.action === 'suspend' ? 'suspended' : 'terminated',
          workflow_id: prohibitedUseCaseWorkflowId(caseId),
          details: { behaviour: input.behaviour, action: input.action },
          opened_by_type: 'staff',
          opened_by_id: by.id,
        });
        await appendEvidence(trx, {
          accountId: a.id,
          kind: 'prohibited_use_found',
          occurredAt: new Date(),
          actor: { ...by },
          payload: { caseId, clause: '10.3', behaviour: input.behaviour, action: input.action },
        });
        await auditStaff(trx, req, {
          action: `staff.prohibited_use.${input.action}`,
          accountId: a.id,
          resource: caseId,
        });
      });
      // 10.3: no 7-day delay.
      if (input.action === 'suspend') await suspendWithNotice(a.id, 'prohibited_use', caseId, input.behaviour, by);
      else {
        await sendNotice(
          { db, config, mailer },
          {
            key: `prohibited-use:${caseId}`,
            accountId: a.id,
            caseId,
            kind: 'termination_notice',
            clause: '10.3',
            subject: 'Termination of your contract',
            text:
              'The contract is terminated with immediate effect under article 10.3 ' +
              `(prohibited behaviour): ${input.behaviour}`,
          },
        );
        await terminateAccountNow(
          { db, config, temporal },
          { accountId: a.id, clause: '10.3', reason: input.behaviour, by },
        );
      }
      res.status(201).json({ caseId, action: input.action });
    },
  );

  // 3.2 i: the platform's own termination notice.
  r.post(
    '/v1/staff/accounts/:id/termination-notice',
    auth,
    requireRole('compliance', 'admin'),
    requireAccessReason,
    async (req, res) => {
      const a = await accountOr404(db, req.params.id as string);
      if (a.formula !== 'subscription')
        throw unprocessable('not_a_subscription', 'Only a Subscription has a term to terminate.');
      const by = staffActor(req);
      const result = await clockUpdate(subscriptionTermHandle(temporal, a.id), giveTerminationNotice, [
        { givenBy: 'platform', actorId: by.id },
      ]);
      await db('termination_notices')
        .insert({
          id: randomUUID(),
          account_id: a.id,
          given_by: 'platform',
          actor_id: by.id,
          received_at: result.receivedAt,
          applies_at: result.appliesAt,
        })
        .onConflict()
        .ignore();
      await auditStaff(db, req, { action: 'staff.termination_notice', accountId: a.id });
      res.status(202).json({ receivedAt: result.receivedAt, endsAt: result.appliesAt });
    },
  );

  return r;
}
