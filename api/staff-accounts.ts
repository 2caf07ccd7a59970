// Staff reads across accounts that the staff console's pages need (issue #13; Appendix 1: a
// stated reason, audited): the accounts (filter by state, e.g. suspended under 6.3.4, 7.3 or
// 10.3, and why), one account's contract cases (10.1, 10.3, 11, Annex 2.3), its data-subject
// requests (Annex 2.3) and liability claims (9), and campaigns across
// accounts (operations follow what is running or held). Same rows as the customer's own routes.
import { Router } from 'express';
import { z } from 'zod';
import type { DbRow } from '../lib/db';
import { campaignWorkflowId } from '../workflows/ids';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireAccessReason, requireRole } from './staff-auth';
import { queryInt } from './schemas';
import { accountOr404, iso } from './staff-common';

export const staffAccountsQuery = z.object({
  status: z.enum(['active', 'suspended', 'terminated']).optional(),
  /** Part of the legal name, or the account id. */
  q: z.string().trim().min(1).max(200).optional(),
  limit: queryInt(1, 500).default(100),
});
export const staffCampaignsQuery = z.object({
  status: z.enum(['scheduled', 'running', 'paused', 'completed', 'cancelled']).optional(),
  accountId: z.uuid().optional(),
  limit: queryInt(1, 500).default(100),
});

const accountRow = (a: DbRow) => ({
  id: a.id,
  legalName: a.legal_name,
  formula: a.formula,
  status: a.status,
  suspensions: a.suspensions,
  createdAt: iso(a.created_at),
});

export function staffAccountsRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const auth = authenticateStaff(deps);

  r.get('/v1/staff/accounts', auth, requireAccessReason, async (req, res) => {
    const q = staffAccountsQuery.parse(req.query);
    const rows = await db('accounts')
      .modify((b) => {
        if (q.status) b.where({ status: q.status });
        if (q.q) {
          const id = z.uuid().safeParse(q.q);
          if (id.success) b.where({ id: id.data });
          else b.whereRaw("legal_name ilike '%' || ? || '%'", [q.q.replace(/[\\%_]/g, '\\$&')]);
        }
      })
      .orderBy('created_at', 'desc')
      .limit(q.limit);
    await auditStaff(db, req, { action: 'staff.accounts.list', details: { filters: q, count: rows.length } });
    res.json({ items: rows.map(accountRow) });
  });

  r.get(
    '/v1/staff/accounts/:id/cases',
    auth,
    requireRole('compliance', 'operations'),
    requireAccessReason,
    async (req, res) => {
      const a = await accountOr404(db, req.params.id as string);
      const rows = await db('contract_cases').where({ account_id: a.id }).orderBy('opened_at', 'desc').limit(200);
      await auditStaff(db, req, { action: 'staff.cases.list', accountId: a.id });
      res.json({
        items: rows.map((c) => ({
          id: c.id,
          kind: c.kind,
          clause: c.clause,
          state: c.state,
          workflowId: c.workflow_id,
          openedAt: iso(c.opened_at),
          closedAt: iso(c.closed_at),
        })),
      });
    },
  );

  // The account's data-subject requests (Annex 2.3, forwarded to the User) and liability claims (9).
  r.get('/v1/staff/accounts/:id/requests', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const a = await accountOr404(db, req.params.id as string);
    const [dsr, claims] = await Promise.all([
      db('data_subject_requests').where({ account_id: a.id }).orderBy('received_at', 'desc').limit(200),
      db('liability_claims').where({ account_id: a.id }).orderBy('notified_at', 'desc').limit(200),
    ]);
    await auditStaff(db, req, { action: 'staff.requests.list', accountId: a.id });
    res.json({
      dataSubjectRequests: dsr.map((d) => ({
        id: d.id,
        kind: d.kind,
        subjectContact: d.subject_contact,
        state: d.state,
        receivedAt: iso(d.received_at),
        forwardedAt: iso(d.forwarded_at),
        closedAt: iso(d.closed_at),
        resolution: d.resolution ?? null,
      })),
      claims: claims.map((c) => ({
        id: c.id,
        eventAt: iso(c.event_at),
        notifiedAt: iso(c.notified_at),
        description: c.description,
        accepted: c.accepted,
        refusal: c.refusal ?? null,
        barredAt: iso(c.barred_at),
        capCents: Number(c.cap_cents),
      })),
    });
  });

  r.get('/v1/staff/campaigns', auth, requireRole('operations', 'compliance'), requireAccessReason, async (req, res) => {
    const q = staffCampaignsQuery.parse(req.query);
    const rows: DbRow[] = await db('campaigns as c')
      .join('accounts as a', 'a.id', 'c.account_id')
      .where('c.kind', 'campaign')
      .modify((b) => {
        if (q.status) b.where('c.status', q.status);
        else b.whereIn('c.status', ['scheduled', 'running', 'paused']);
        if (q.accountId) b.where('c.account_id', q.accountId);
      })
      .orderBy('c.created_at', 'desc')
      .limit(q.limit)
      .select('c.*', 'a.legal_name', 'a.status as account_status');
    const ids = rows.map((c) => c.order_id);
    const counts: DbRow[] = ids.length
      ? await db('messages')
          .whereIn('order_id', ids)
          .groupBy('order_id', 'status')
          .select('order_id', 'status', db.raw('count(*)::int as n'))
      : [];
    await auditStaff(db, req, {
      action: 'staff.campaigns.list',
      accountId: q.accountId ?? null,
      details: { filters: q, count: rows.length },
    });
    res.json({
      items: rows.map((c) => ({
        id: c.order_id,
        accountId: c.account_id,
        legalName: c.legal_name,
        accountStatus: c.account_status,
        channel: c.channel,
        purpose: c.purpose,
        status: c.status,
        total: c.total,
        counts: Object.fromEntries(counts.filter((x) => x.order_id === c.order_id).map((x) => [x.status, Number(x.n)])),
        createdAt: iso(c.created_at),
        startedAt: iso(c.started_at),
        workflowId: campaignWorkflowId(c.order_id),
      })),
    });
  });

  return r;
}
