// Customer side of force majeure and liability (ToS 11, 9, 1.4): the User declares a case of force
// majeure or exercises the termination it opens; a liability claim is taken in with its notice
// window, 2-year bar and cap (domain/claim-clocks.ts claimIntake).
import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { claimIntake } from '../domain/contract-clocks';
import { appendEvidence } from '../lib/evidence';
import { forceMajeureHandle } from '../lib/workflow-clients/force-majeure';
import { loadPolicy } from '../lib/terms';
import { exerciseForceMajeureTermination } from '../workflows/messages';
import { type ApiDeps, principalOf } from './context';
import { authenticate, requireMemberSession } from './auth';
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { requireNotTerminated } from './account-guard';
import { CLOCK_REFUSALS, describeRoute, jsonObject, type RouteSpec } from './openapi/registry';
import { notFound, unprocessable } from './errors';
import { instant } from './schemas';
import { actorOf, clockUpdate, OBLIGATIONS, startForceMajeure } from './contract-clock';

export function contractForceMajeureRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const auth = authenticate(deps);
  const notTerminated = requireNotTerminated(deps);
  const occurred = instant('occurred', now);
  const declareSchema = z.strictObject({
    startedAt: occurred,
    description: z.string().trim().min(1).max(4000),
    obligations: z.array(z.enum(OBLIGATIONS)).min(1),
  });
  const claimSchema = z.strictObject({ eventAt: occurred, description: z.string().trim().min(1).max(8000) });

  const contract = (spec: Omit<RouteSpec, 'tag'>) => describeRoute({ tag: 'Contract', ...spec });
  contract({
    method: 'post',
    path: '/v1/force-majeure',
    summary: 'Declare a case of force majeure (art. 11)',
    access: 'customer',
    body: declareSchema,
    responses: { 201: z.object({ caseId: z.uuid(), workflowId: z.string() }) },
    problems: ['start_in_future'],
  });
  contract({
    method: 'post',
    path: '/v1/force-majeure/:caseId/termination',
    summary: 'Terminate under 11 once the case has lasted long enough',
    access: 'member',
    params: { caseId: z.string() },
    responses: { 202: jsonObject },
    problems: ['not_found', ...CLOCK_REFUSALS],
  });
  contract({
    method: 'post',
    path: '/v1/claims',
    summary: 'Liability claim (art. 9): notice window, 2-year bar, cap',
    access: 'customer',
    body: claimSchema,
    responses: { 201: jsonObject },
    problems: ['event_in_future'],
  });

  // 11: the User declares a case of force majeure (its start may be in the past).
  r.post('/v1/force-majeure', auth, requireRole(...ALLOWED.administer), notTerminated, async (req, res) => {
    const p = principalOf(req);
    const input = declareSchema.parse(req.body);
    if (input.startedAt.getTime() > now().getTime())
      throw unprocessable('start_in_future', 'A force majeure case is declared once it has begun.');
    const c = await startForceMajeure(deps, {
      accountId: p.accountId,
      declaredBy: 'user',
      startedAt: input.startedAt,
      description: input.description,
      obligations: input.obligations,
      by: actorOf(req),
    });
    res.status(201).json({ caseId: c.caseId, workflowId: c.workflowId });
  });

  // 11: termination under force majeure, immediate effect, no compensation.
  r.post(
    '/v1/force-majeure/:caseId/termination',
    auth,
    requireRole(...ALLOWED.administer),
    requireMemberSession,
    notTerminated,
    async (req, res) => {
      const p = principalOf(req);
      const caseId = z.uuid().safeParse(req.params.caseId);
      const c = caseId.success
        ? await db('contract_cases').where({ id: caseId.data, account_id: p.accountId, kind: 'force_majeure' }).first()
        : undefined;
      if (!c) throw notFound('force majeure case');
      const state = await clockUpdate(forceMajeureHandle(deps.temporal, c.id), exerciseForceMajeureTermination, [
        { by: actorOf(req), party: 'user' },
      ]);
      res.status(202).json({ caseId: c.id, state: state.state, clause: '11' });
    },
  );

  // 9 / 1.4: liability claim intake — notice window, 2-year bar, cap from payments received.
  r.post('/v1/claims', auth, requireRole(...ALLOWED.administer), async (req, res) => {
    const p = principalOf(req);
    const input = claimSchema.parse(req.body);
    const notifiedAt = now();
    if (input.eventAt.getTime() > notifiedAt.getTime())
      throw unprocessable('event_in_future', 'The event giving rise to the claim must have happened.');
    const account = await db('accounts').where({ id: p.accountId }).first('terms_version');
    const policy = await loadPolicy(db, account.terms_version);
    const payments = (
      await db('payments').where({ account_id: p.accountId }).select('received_at', 'amount_cents')
    ).map((x) => ({ at: new Date(x.received_at), amountCents: Number(x.amount_cents) }));
    const d = claimIntake({ eventAt: input.eventAt, notifiedAt, paymentsReceived: payments, policy });
    const id = randomUUID();
    await db.transaction(async (trx) => {
      await trx('liability_claims').insert({
        id,
        account_id: p.accountId,
        member_id: p.memberId,
        event_at: input.eventAt,
        notified_at: notifiedAt,
        description: input.description,
        accepted: d.accepted,
        refusal: d.refusal ?? null,
        notice_deadline: d.noticeDeadline,
        barred_at: d.barredAt,
        cap_window_start: d.capWindowStart,
        cap_cents: d.capCents,
        terms_version: account.terms_version,
      });
      await appendEvidence(trx, {
        accountId: p.accountId,
        kind: 'liability_claim_received',
        occurredAt: notifiedAt,
        actor: { ...actorOf(req) },
        payload: {
          claimId: id,
          eventAt: input.eventAt.toISOString(),
          accepted: d.accepted,
          refusal: d.refusal ?? null,
          capCents: d.capCents,
        },
      });
    });
    res.status(201).json({
      id,
      accepted: d.accepted,
      refusal: d.refusal ?? null,
      eventAt: input.eventAt.toISOString(),
      notifiedAt: notifiedAt.toISOString(),
      noticeDeadline: d.noticeDeadline.toISOString(),
      barredAt: d.barredAt.toISOString(),
      capWindowStart: d.capWindowStart.toISOString(),
      capCents: d.capCents,
    });
  });

  return r;
}
