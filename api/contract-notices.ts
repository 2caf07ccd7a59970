// Customer side of the contract's notices: the User's termination notice (3.2 i, a member's act,
// through the subscription-term clock) and the acknowledgment of receipt of a notice by its
// link's token (10.1, 13.2 evidence; a formal notice's clock is told).
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { appendEvidence } from '../lib/evidence';
import { audit } from '../lib/audit';
import { safeEqualHex, sha256 } from '../lib/credentials';
import { signalNoticeAcknowledged } from '../lib/workflow-clients/formal-notice';
import { subscriptionTermHandle } from '../lib/workflow-clients/subscription-term';
import { giveTerminationNotice } from '../workflows/messages';
import { type ApiDeps, clientIp, principalOf } from './context';
import { authenticate, requireMemberSession } from './auth';
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { requireNotTerminated } from './account-guard';
import { notFound, unprocessable } from './errors';
import { clockUpdate } from './contract-clock';
import { CLOCK_REFUSALS, describeRoute, noticeTokenQuery } from './openapi/registry';

export function contractNoticesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const auth = authenticate(deps);
  const notTerminated = requireNotTerminated(deps);

  const terminationSchema = z.strictObject({ reason: z.string().trim().max(2000).optional() });
  describeRoute({
    method: 'post',
    path: '/v1/contract/termination-notice',
    summary: 'Termination notice under 3.2 i (this expiry or the next, by the 30-day cut-off)',
    tag: 'Contract',
    access: 'member',
    body: terminationSchema,
    optionalBody: true,
    responses: { 202: z.object({ receivedAt: z.string(), endsAt: z.string(), clause: z.string() }) },
    problems: ['not_a_subscription', ...CLOCK_REFUSALS],
  });
  // 3.2 i: the User's termination notice (a member's act). The acknowledgment of receipt is
  // e-mailed by the subscription-term clock.
  r.post(
    '/v1/contract/termination-notice',
    auth,
    requireRole(...ALLOWED.administer),
    requireMemberSession,
    notTerminated,
    async (req, res) => {
      const p = principalOf(req);
      const { reason } = terminationSchema.parse(req.body ?? {});
      const account = await db('accounts').where({ id: p.accountId }).first('formula');
      if (account.formula !== 'subscription')
        throw unprocessable(
          'not_a_subscription',
          'A Pack contract ends one year after the last use (3.2 ii); there is no term to terminate.',
        );
      const noticeId = randomUUID();
      const result = await clockUpdate(subscriptionTermHandle(deps.temporal, p.accountId), giveTerminationNotice, [
        { givenBy: 'user', actorId: p.memberId ?? undefined, noticeId },
      ]);
      await db.transaction(async (trx) => {
        const existing = await trx('termination_notices').where({ account_id: p.accountId }).first('id');
        if (!existing) {
          await trx('termination_notices').insert({
            id: noticeId,
            account_id: p.accountId,
            given_by: 'user',
            actor_id: p.memberId,
            received_at: result.receivedAt,
            applies_at: result.appliesAt,
            reason: reason ?? null,
          });
        }
        await audit(trx, {
          actorType: 'member',
          actorId: p.memberId,
          accountId: p.accountId,
          action: 'contract.termination_notice',
          ip: clientIp(req),
          requestId: String(req.id),
        });
      });
      res.status(202).json({ receivedAt: result.receivedAt, endsAt: result.appliesAt, clause: '3.2 i' });
    },
  );

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
        const marked = await trx('contract_notices')
          .where({ id: notice.id })
          .whereNull('acknowledged_at')
          .update({ acknowledged_at: acknowledgedAt, acknowledged_ip: clientIp(req) });
        if (marked === 0) return;
        await appendEvidence(trx, {
          accountId: notice.account_id,
          kind: 'acknowledgment_received',
          occurredAt: acknowledgedAt,
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
  for (const method of ['get', 'post'] as const)
    describeRoute({
      method,
      path: '/v1/notices/:id/acknowledge',
      summary: 'Acknowledge receipt of a notice (the e-mailed link; evidence)',
      tag: 'Contract',
      access: 'public',
      params: { id: z.string() },
      query: noticeTokenQuery,
      responses: { 200: z.object({ noticeId: z.uuid(), kind: z.string(), acknowledgedAt: z.string() }) },
      problems: ['not_found'],
    });
  r.get('/v1/notices/:id/acknowledge', acknowledge);
  r.post('/v1/notices/:id/acknowledge', acknowledge);

  return r;
}
