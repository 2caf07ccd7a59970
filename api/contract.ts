// Customer side of the contract's clocks: termination notice (3.2 i), acknowledgment of a
// notice (10.1, 13.2), data export and data-return request (10.2), force majeure (11),
// liability claims (9, 1.4).
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { claimIntake } from '../domain/contract-clocks';
import { appendEvidence } from '../lib/evidence';
import { audit } from '../lib/audit';
import { safeEqualHex, sha256 } from '../lib/credentials';
import { forceMajeureHandle, forceMajeureWorkflowId, startForceMajeureCase } from '../lib/workflow-clients/force-majeure';
import { signalNoticeAcknowledged } from '../lib/workflow-clients/formal-notice';
import { subscriptionTermHandle } from '../lib/workflow-clients/subscription-term';
import { terminationHandle } from '../lib/workflow-clients/termination';
import { loadPolicy } from '../lib/terms';
import { EXPORT_CONTENT_TYPE, writeAccountExport } from '../activities/export';
import { readReturnedExport } from '../activities/data-return';
import {
  exerciseForceMajeureTermination, giveTerminationNotice, requestDataReturn, type Actor,
} from '../workflows/messages';
import { failureTypeOf, REFUSAL_TYPES } from '../workflows/failures';
import { parseWorkflowId } from '../workflows/ids';
import { ApiDeps, clientIp, principalOf } from './context';
import { streamExport } from './export-stream';
import { authenticate, requireMemberSession } from './auth';
import { requireNotTerminated } from './account-guard';
import { conflict, notFound, Problem, unprocessable } from './errors';
import { instant } from './schemas';

/**
 * Runs a clock's update; a refusal by its validator (an ApplicationFailure of a REFUSAL_TYPES
 * type, workflows/failures.ts) becomes 409 with code = that type, a clock that is not running
 * 409 `clock_not_running`.
 */
export async function clockUpdate<Ret, Args extends [unknown, ...unknown[]]>(
  handle: WorkflowHandle,
  def: UpdateDefinition<Ret, Args>,
  args: Args,
): Promise<Ret> {
  try {
    return await handle.executeUpdate(def, { args });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const type = failureTypeOf(err.cause);
      const detail = (err.cause as Error | undefined)?.message ?? err.message;
      throw conflict(type && REFUSAL_TYPES.includes(type) ? type : 'refused', detail);
    }
    if (err instanceof WorkflowNotFoundError || (err as Error).name === 'WorkflowNotFoundError') {
      throw conflict('clock_not_running', `No running ${parseWorkflowId(handle.workflowId).kind} clock for this request.`);
    }
    throw err;
  }
}

function actorOf(req: Request): Actor & { via: string } {
  const p = principalOf(req);
  return { type: 'member', id: p.memberId ?? p.apiKeyId ?? undefined, via: p.via };
}

export const OBLIGATIONS = ['service_delivery', 'support', 'maintenance', 'data_return', 'payment', 'prepaid_services', 'personal_data_breach_notification'] as const;

export async function startForceMajeure(deps: ApiDeps, c: { accountId: string; declaredBy: 'user' | 'platform'; startedAt: Date; description: string; obligations: (typeof OBLIGATIONS)[number][]; by: Actor }): Promise<{ caseId: string; workflowId: string }> {
  const caseId = randomUUID();
  const workflowId = forceMajeureWorkflowId(caseId);
  await deps.db.transaction(async (trx) => {
    await trx('contract_cases').insert({
      id: caseId, kind: 'force_majeure', account_id: c.accountId, clause: '11', state: 'in_progress', workflow_id: workflowId,
      details: { declaredBy: c.declaredBy, startedAt: c.startedAt.toISOString(), description: c.description, obligations: c.obligations },
      opened_by_type: c.by.type, opened_by_id: c.by.id ?? null,
    });
    await appendEvidence(trx, { accountId: c.accountId, kind: 'force_majeure', occurredAt: new Date(), actor: { ...c.by }, payload: { caseId, declaredBy: c.declaredBy, startedAt: c.startedAt.toISOString(), description: c.description, obligations: c.obligations } });
  });
  await startForceMajeureCase(deps, {
    caseId, accountId: c.accountId, declaredBy: c.declaredBy, startedAt: c.startedAt.toISOString(), description: c.description,
    obligations: c.obligations, by: c.by,
  });
  return { caseId, workflowId };
}

export function contractRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const auth = authenticate(deps);
  const notTerminated = requireNotTerminated(deps);
  const occurred = instant('occurred', now);

  // 3.2 i: the User's termination notice (a member's act). The acknowledgment of receipt is
  // e-mailed by the subscription-term clock.
  r.post('/v1/contract/termination-notice', auth, requireMemberSession, notTerminated, async (req, res) => {
    const p = principalOf(req);
    const { reason } = z.strictObject({ reason: z.string().trim().max(2000).optional() }).parse(req.body ?? {});
    const account = await db('accounts').where({ id: p.accountId }).first('formula');
    if (account.formula !== 'subscription') throw unprocessable('not_a_subscription', 'A Pack contract ends one year after the last use (3.2 ii); there is no term to terminate.');
    const noticeId = randomUUID();
    const result = await clockUpdate(subscriptionTermHandle(deps.temporal, p.accountId), giveTerminationNotice, [{ givenBy: 'user', actorId: p.memberId ?? undefined, noticeId }]);
    await db.transaction(async (trx) => {
      const existing = await trx('termination_notices').where({ account_id: p.accountId }).first('id');
      if (!existing) {
        await trx('termination_notices').insert({ id: noticeId, account_id: p.accountId, given_by: 'user', actor_id: p.memberId, received_at: result.receivedAt, applies_at: result.appliesAt, reason: reason ?? null });
      }
      await audit(trx, { actorType: 'member', actorId: p.memberId, accountId: p.accountId, action: 'contract.termination_notice', ip: clientIp(req), requestId: String(req.id) });
    });
    res.status(202).json({ receivedAt: result.receivedAt, endsAt: result.appliesAt, clause: '3.2 i' });
  });

  // Acknowledgment of receipt (13.2 evidence): the link's token is the credential; a wrong or
  // unknown one is a plain 404.
  const acknowledge = async (req: Request, res: import('express').Response) => {
    const id = z.uuid().safeParse(req.params.id);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!id.success || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('notice');
    const notice = await db('contract_notices').where({ id: id.data }).first();
    if (!notice?.ack_token_hash || !safeEqualHex(notice.ack_token_hash, sha256(token))) throw notFound('notice');
    let acknowledgedAt: Date = notice.acknowledged_at ? new Date(notice.acknowledged_at) : now();
    if (!notice.acknowledged_at) {
      await db.transaction(async (trx) => {
        const marked = await trx('contract_notices').where({ id: notice.id }).whereNull('acknowledged_at').update({ acknowledged_at: acknowledgedAt, acknowledged_ip: clientIp(req) });
        if (marked === 0) return;
        await appendEvidence(trx, {
          accountId: notice.account_id, kind: 'acknowledgment_received', occurredAt: acknowledgedAt,
          actor: { type: 'recipient', ip: clientIp(req), userAgent: req.get('user-agent') ?? null },
          payload: { noticeId: notice.id, noticeKind: notice.kind, clause: notice.clause, caseId: notice.case_id },
        });
      });
      const fresh = await db('contract_notices').where({ id: notice.id }).first('acknowledged_at');
      acknowledgedAt = new Date(fresh.acknowledged_at);
      if (notice.kind === 'formal_notice' && notice.case_id) {
        const ack = { noticeId: notice.id, at: acknowledgedAt.toISOString() };
        await signalNoticeAcknowledged(deps.temporal, notice.case_id, ack).catch(() => undefined);
      }
    }
    res.json({ noticeId: notice.id, kind: notice.kind, acknowledgedAt: acknowledgedAt.toISOString() });
  };
  r.get('/v1/notices/:id/acknowledge', acknowledge);
  r.post('/v1/notices/:id/acknowledge', acknowledge);

  // 10.2: the account's data, available to the User until its destruction (also after termination).
  // Streamed as NDJSON with a closing manifest (activities/export.ts); an error once the first
  // line is out can only cut the stream short, and a cut export has no manifest line.
  r.get('/v1/account/export', auth, async (req, res) => {
    const p = principalOf(req);
    const account = await db('accounts').where({ id: p.accountId }).first('data_destroyed_at');
    if (!account || account.data_destroyed_at) throw new Problem(410, 'data_destroyed', 'Gone', 'The account\'s data has been destroyed (Annex 2.4).');
    await audit(db, { actorType: p.via === 'session' ? 'member' : 'api_key', actorId: p.memberId ?? p.apiKeyId, accountId: p.accountId, action: 'account.export', ip: clientIp(req), requestId: String(req.id) });
    res.status(200).setHeader('Content-Type', `${EXPORT_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="account-${p.accountId}.ndjson"`);
    await streamExport(deps, res, (out) => writeAccountExport(db, p.accountId, out));
  });

  // 10.2 / Annex 2.4: the export returned at the end of the contract, collected with the token of
  // the data-return notice (the members' credentials are destroyed right after the return) until
  // its collection window ends; a wrong token, another notice or an expired copy is a plain 404.
  r.get('/v1/notices/:id/export', async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!id.success || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('export');
    const notice = await db('contract_notices').where({ id: id.data, kind: 'data_returned' })
      .first('account_id', 'ack_token_hash');
    if (!notice?.ack_token_hash || !safeEqualHex(notice.ack_token_hash, sha256(token))) throw notFound('export');
    const available = await db('account_exports')
      .where({ account_id: notice.account_id, purpose: 'data_return', state: 'complete' })
      .andWhere('available_until', '>', now()).first('id');
    if (!available) throw notFound('export');
    await audit(db, {
      actorType: 'system', actorId: null, accountId: notice.account_id, action: 'account.returned_export_download',
      resource: `notice:${id.data}`, details: { via: 'notice_token' }, ip: clientIp(req), requestId: String(req.id),
    });
    res.status(200).setHeader('Content-Type', `${EXPORT_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="account-${notice.account_id}.ndjson"`);
    await streamExport(deps, res, (out) => readReturnedExport(db, notice.account_id, out, now()));
  });

  // 10.2: after termination, the User asks for its data within the window.
  r.post('/v1/account/data-return-request', auth, async (req, res) => {
    const p = principalOf(req);
    z.strictObject({}).parse(req.body ?? {});
    const account = await db('accounts').where({ id: p.accountId }).first('status', 'data_destroyed_at');
    if (account.status !== 'terminated') throw conflict('account_not_terminated', 'The data-return request opens when the contract ends; until then use GET /v1/account/export.');
    if (account.data_destroyed_at) throw new Problem(410, 'data_destroyed', 'Gone', 'The account\'s data has been destroyed (Annex 2.4).');
    const state = await clockUpdate(terminationHandle(deps.temporal, p.accountId), requestDataReturn, [{ by: actorOf(req) }]);
    const requestedAt = new Date((state.details.dataReturnRequestedAt as string) ?? now().toISOString());
    await db.transaction(async (trx) => {
      const marked = await trx('accounts').where({ id: p.accountId }).whereNull('data_return_requested_at').update({ data_return_requested_at: requestedAt });
      if (marked > 0) await appendEvidence(trx, { accountId: p.accountId, kind: 'data_return_requested', occurredAt: requestedAt, actor: { ...actorOf(req) }, payload: { clause: '10.2', requestBy: state.details.dataReturnRequestBy } });
    });
    res.status(202).json({ requestedAt: requestedAt.toISOString(), requestBy: state.details.dataReturnRequestBy, clause: '10.2' });
  });

  // 11: the User declares a case of force majeure (its start may be in the past).
  r.post('/v1/force-majeure', auth, notTerminated, async (req, res) => {
    const p = principalOf(req);
    const input = z.strictObject({ startedAt: occurred, description: z.string().trim().min(1).max(4000), obligations: z.array(z.enum(OBLIGATIONS)).min(1) }).parse(req.body);
    if (input.startedAt.getTime() > now().getTime()) throw unprocessable('start_in_future', 'A force majeure case is declared once it has begun.');
    const c = await startForceMajeure(deps, { accountId: p.accountId, declaredBy: 'user', startedAt: input.startedAt, description: input.description, obligations: input.obligations, by: actorOf(req) });
    res.status(201).json({ caseId: c.caseId, workflowId: c.workflowId });
  });

  // 11: termination under force majeure, immediate effect, no compensation.
  r.post('/v1/force-majeure/:caseId/termination', auth, requireMemberSession, notTerminated, async (req, res) => {
    const p = principalOf(req);
    const caseId = z.uuid().safeParse(req.params.caseId);
    const c = caseId.success ? await db('contract_cases').where({ id: caseId.data, account_id: p.accountId, kind: 'force_majeure' }).first() : undefined;
    if (!c) throw notFound('force majeure case');
    const state = await clockUpdate(forceMajeureHandle(deps.temporal, c.id), exerciseForceMajeureTermination, [{ by: actorOf(req), party: 'user' }]);
    res.status(202).json({ caseId: c.id, state: state.state, clause: '11' });
  });

  // 9 / 1.4: liability claim intake — notice window, 2-year bar, cap from payments received.
  r.post('/v1/claims', auth, async (req, res) => {
    const p = principalOf(req);
    const input = z.strictObject({ eventAt: occurred, description: z.string().trim().min(1).max(8000) }).parse(req.body);
    const notifiedAt = now();
    if (input.eventAt.getTime() > notifiedAt.getTime()) throw unprocessable('event_in_future', 'The event giving rise to the claim must have happened.');
    const account = await db('accounts').where({ id: p.accountId }).first('terms_version');
    const policy = await loadPolicy(db, account.terms_version);
    const payments = (await db('payments').where({ account_id: p.accountId }).select('received_at', 'amount_cents'))
      .map((x) => ({ at: new Date(x.received_at), amountCents: Number(x.amount_cents) }));
    const d = claimIntake({ eventAt: input.eventAt, notifiedAt, paymentsReceived: payments, policy });
    const id = randomUUID();
    await db.transaction(async (trx) => {
      await trx('liability_claims').insert({
        id, account_id: p.accountId, member_id: p.memberId, event_at: input.eventAt, notified_at: notifiedAt, description: input.description,
        accepted: d.accepted, refusal: d.refusal ?? null, notice_deadline: d.noticeDeadline, barred_at: d.barredAt, cap_window_start: d.capWindowStart,
        cap_cents: d.capCents, terms_version: account.terms_version,
      });
      await appendEvidence(trx, { accountId: p.accountId, kind: 'liability_claim_received', occurredAt: notifiedAt, actor: { ...actorOf(req) }, payload: { claimId: id, eventAt: input.eventAt.toISOString(), accepted: d.accepted, refusal: d.refusal ?? null, capCents: d.capCents } });
    });
    res.status(201).json({
      id, accepted: d.accepted, refusal: d.refusal ?? null, eventAt: input.eventAt.toISOString(), notifiedAt: notifiedAt.toISOString(),
      noticeDeadline: d.noticeDeadline.toISOString(), barredAt: d.barredAt.toISOString(), capWindowStart: d.capWindowStart.toISOString(), capCents: d.capCents,
    });
  });

  return r;
}
