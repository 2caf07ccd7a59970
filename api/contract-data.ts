// Customer side of the account's data (ToS 10.2, Annex 2.4): the NDJSON export (also after
// termination, until destruction), the export returned at the end of the contract (collected with
// the data-return notice's token) and the User's data-return request after termination.
import { Router } from 'express';
import { z } from 'zod';
import { appendEvidence } from '../lib/evidence';
import { audit } from '../lib/audit';
import { safeEqualHex, sha256 } from '../lib/credentials';
import { terminationHandle } from '../lib/workflow-clients/termination';
import { EXPORT_CONTENT_TYPE, writeAccountExport } from '../activities/export';
import { readReturnedExport } from '../activities/data-return';
import { requestDataReturn } from '../workflows/messages';
import { type ApiDeps, clientIp, principalOf } from './context';
import { streamExport } from './export-stream';
import { authenticate } from './auth';
import { requireRole } from './roles';
import { ALLOWED } from '../domain/member-roles';
import { conflict, notFound, Problem } from './errors';
import { actorOf, clockUpdate } from './contract-clock';
import { CLOCK_REFUSALS, describeRoute, jsonObject, noticeTokenQuery } from './openapi/registry';

const emptyBody = z.strictObject({});

export function contractDataRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  const auth = authenticate(deps);

  // 10.2: the account's data, available to the User until its destruction (also after termination).
  // Streamed as NDJSON with a closing manifest (activities/export.ts); an error once the first
  // line is out can only cut the stream short, and a cut export has no manifest line.
  describeRoute({
    method: 'get',
    path: '/v1/account/export',
    summary: 'All of the account’s data, streamed as NDJSON with a closing manifest',
    tag: 'Contract',
    access: 'customer',
    responses: { 200: { contentType: EXPORT_CONTENT_TYPE, description: 'tentacle-account-export/2' } },
    problems: ['data_destroyed'],
  });
  r.get('/v1/account/export', auth, requireRole(...ALLOWED.administer), async (req, res) => {
    const p = principalOf(req);
    const account = await db('accounts').where({ id: p.accountId }).first('data_destroyed_at');
    if (!account || account.data_destroyed_at)
      throw new Problem(410, 'data_destroyed', 'Gone', "The account's data has been destroyed (Annex 2.4).");
    await audit(db, {
      actorType: p.via === 'session' ? 'member' : 'api_key',
      actorId: p.memberId ?? p.apiKeyId,
      accountId: p.accountId,
      action: 'account.export',
      ip: clientIp(req),
      requestId: String(req.id),
    });
    res.status(200).setHeader('Content-Type', `${EXPORT_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="account-${p.accountId}.ndjson"`);
    await streamExport(deps, res, (out) => writeAccountExport(db, p.accountId, out));
  });

  // 10.2 / Annex 2.4: the export returned at the end of the contract, collected with the token of
  // the data-return notice (the members' credentials are destroyed right after the return) until
  // its collection window ends; a wrong token, another notice or an expired copy is a plain 404.
  describeRoute({
    method: 'get',
    path: '/v1/notices/:id/export',
    summary: 'The export returned at the end of the contract (the data-return notice’s token)',
    tag: 'Contract',
    access: 'public',
    params: { id: z.string() },
    query: noticeTokenQuery,
    responses: { 200: { contentType: EXPORT_CONTENT_TYPE, description: 'tentacle-account-export/2' } },
    problems: ['not_found'],
  });
  r.get('/v1/notices/:id/export', async (req, res) => {
    const id = z.uuid().safeParse(req.params.id);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!id.success || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw notFound('export');
    const notice = await db('contract_notices')
      .where({ id: id.data, kind: 'data_returned' })
      .first('account_id', 'ack_token_hash');
    if (!notice?.ack_token_hash || !safeEqualHex(notice.ack_token_hash, sha256(token))) throw notFound('export');
    const available = await db('account_exports')
      .where({ account_id: notice.account_id, purpose: 'data_return', state: 'complete' })
      .andWhere('available_until', '>', now())
      .first('id');
    if (!available) throw notFound('export');
    await audit(db, {
      actorType: 'system',
      actorId: null,
      accountId: notice.account_id,
      action: 'account.returned_export_download',
      resource: `notice:${id.data}`,
      details: { via: 'notice_token' },
      ip: clientIp(req),
      requestId: String(req.id),
    });
    res.status(200).setHeader('Content-Type', `${EXPORT_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="account-${notice.account_id}.ndjson"`);
    await streamExport(deps, res, (out) => readReturnedExport(db, notice.account_id, out, now()));
  });

  // 10.2: after termination, the User asks for its data within the window.
  describeRoute({
    method: 'post',
    path: '/v1/account/data-return-request',
    summary: 'After a termination, within 7 days: the export e-mailed as a link',
    tag: 'Contract',
    access: 'customer',
    body: emptyBody,
    optionalBody: true,
    responses: { 202: jsonObject },
    problems: ['account_not_terminated', 'data_destroyed', ...CLOCK_REFUSALS],
  });
  r.post('/v1/account/data-return-request', auth, requireRole(...ALLOWED.administer), async (req, res) => {
    const p = principalOf(req);
    emptyBody.parse(req.body ?? {});
    const account = await db('accounts').where({ id: p.accountId }).first('status', 'data_destroyed_at');
    if (account.status !== 'terminated')
      throw conflict(
        'account_not_terminated',
        'The data-return request opens when the contract ends; until then use GET /v1/account/export.',
      );
    if (account.data_destroyed_at)
      throw new Problem(410, 'data_destroyed', 'Gone', "The account's data has been destroyed (Annex 2.4).");
    const state = await clockUpdate(terminationHandle(deps.temporal, p.accountId), requestDataReturn, [
      { by: actorOf(req) },
    ]);
    const requestedAt = new Date((state.details.dataReturnRequestedAt as string) ?? now().toISOString());
    await db.transaction(async (trx) => {
      const marked = await trx('accounts')
        .where({ id: p.accountId })
        .whereNull('data_return_requested_at')
        .update({ data_return_requested_at: requestedAt });
      if (marked > 0)
        await appendEvidence(trx, {
          accountId: p.accountId,
          kind: 'data_return_requested',
          occurredAt: requestedAt,
          actor: { ...actorOf(req) },
          payload: { clause: '10.2', requestBy: state.details.dataReturnRequestBy },
        });
    });
    res
      .status(202)
      .json({ requestedAt: requestedAt.toISOString(), requestBy: state.details.dataReturnRequestBy, clause: '10.2' });
  });

  return r;
}
