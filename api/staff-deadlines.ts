// Staff compliance reads of the contract's clocks (docs/contract.md): the deadlines register
// (every clause's due dates, 3.2 to Annex 2.4) and one case with its notices, deadlines and
// evidence timeline (10.1, 10.3, 11, Annex 2.3.3). Staff session, a role and an access reason
// (X-Access-Reason), audited with the read.
import { Router } from 'express';
import { z } from 'zod';
import { rowToEntry } from '../lib/evidence';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireAccessReason, requireRole } from './staff-auth';
import { queryInt } from './schemas';
import { anyInstant, caseOr404, deadlineView, iso } from './staff-common';

export const deadlinesQuery = z.object({
  state: z.enum(['open', 'closed', 'missed']).optional(),
  kind: z.string().max(100).optional(),
  accountId: z.uuid().optional(),
  dueBefore: anyInstant.optional(),
  limit: queryInt(1, 1000).default(200),
});

export function staffDeadlinesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const auth = authenticateStaff(deps);

  r.get('/v1/staff/deadlines', auth, requireRole('compliance', 'operations'), requireAccessReason, async (req, res) => {
    const q = deadlinesQuery.parse(req.query);
    const rows = await db('deadlines')
      .modify((b) => {
        if (q.state) b.where({ state: q.state });
        if (q.kind) b.where({ kind: q.kind });
        if (q.accountId) b.where({ account_id: q.accountId });
        if (q.dueBefore) b.where('due_at', '<', q.dueBefore);
      })
      .orderBy('due_at')
      .limit(q.limit);
    await auditStaff(db, req, {
      action: 'staff.deadlines.list',
      accountId: q.accountId ?? null,
      details: { filters: { ...q, dueBefore: q.dueBefore?.toISOString() } },
    });
    res.json({ items: rows.map(deadlineView) });
  });

  r.get('/v1/staff/cases/:id', auth, requireRole('compliance', 'operations'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string);
    const [evidence, notices, deadlines] = await Promise.all([
      db('evidence_log')
        .where(function () {
          this.whereRaw("payload->>'caseId' = ?", [c.id]);
        })
        .orderBy('id'),
      db('contract_notices').where({ case_id: c.id }).orderBy('created_at'),
      db('deadlines').where({ workflow_id: c.workflow_id }).orderBy('due_at'),
    ]);
    await auditStaff(db, req, { action: 'staff.case.read', accountId: c.account_id, resource: c.id });
    const timeline = [
      { at: iso(c.opened_at), event: 'case_opened', by: { type: c.opened_by_type, id: c.opened_by_id } },
      ...evidence.map((e) => {
        const x = rowToEntry(e);
        return {
          at: x.occurredAt.toISOString(),
          event: x.kind,
          evidence: {
            id: x.id,
            chain: x.chain,
            seq: x.seq,
            hash: x.hash,
            prevHash: x.prevHash,
            actor: x.actor,
            payload: x.payload,
          },
        };
      }),
      ...(c.closed_at ? [{ at: iso(c.closed_at), event: 'case_closed', state: c.state }] : []),
    ].sort((a, b) => String(a.at).localeCompare(String(b.at)));
    res.json({
      id: c.id,
      kind: c.kind,
      accountId: c.account_id,
      clause: c.clause,
      state: c.state,
      workflowId: c.workflow_id,
      details: c.details,
      openedAt: iso(c.opened_at),
      closedAt: iso(c.closed_at),
      notices: notices.map((n) => ({
        id: n.id,
        kind: n.kind,
        clause: n.clause,
        subject: n.subject,
        recipients: n.recipients,
        sentAt: iso(n.sent_at),
        acknowledgedAt: iso(n.acknowledged_at),
      })),
      deadlines: deadlines.map(deadlineView),
      timeline,
    });
  });

  return r;
}
