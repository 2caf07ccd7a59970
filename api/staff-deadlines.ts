// Staff compliance reads of the contract's clocks (docs/contract.md): the deadlines register
// (every clause's due dates, 3.2 to Annex 2.4) and one case with its notices, deadlines and
// evidence timeline (10.1, 10.3, 11, Annex 2.3.3). Staff session, a role and an access reason
// (X-Access-Reason), audited with the read. The register's rows name their case (the staff
// console links to it) and a case says whether its account's evidence chain verifies.
import { Router } from 'express';
import { z } from 'zod';
import { rowToEntry, verifyChain } from '../lib/evidence';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireAccessReason, requireRole } from './staff-auth';
import { queryInt } from './schemas';
import { anyInstant, caseOr404, deadlineView, iso } from './staff-common';

export const deadlinesQuery = z.object({
  state: z.enum(['open', 'closed', 'missed']).optional(),
  kind: z.string().max(100).optional(),
  clause: z.string().max(20).optional(),
  accountId: z.uuid().optional(),
  dueAfter: anyInstant.optional(),
  dueBefore: anyInstant.optional(),
  limit: queryInt(1, 1000).default(200),
});

export function staffDeadlinesRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db } = deps;
  const auth = authenticateStaff(deps);

  r.get('/v1/staff/deadlines', auth, requireRole('compliance', 'operations'), requireAccessReason, async (req, res) => {
    const q = deadlinesQuery.parse(req.query);
    // Each deadline with the case whose clock it is, when it is one (the console links to it).
    const rows = await db('deadlines as d')
      .leftJoin('contract_cases as c', 'c.workflow_id', 'd.workflow_id')
      .modify((b) => {
        if (q.state) b.where('d.state', q.state);
        if (q.kind) b.where('d.kind', q.kind);
        if (q.clause) b.where('d.clause', q.clause);
        if (q.accountId) b.where('d.account_id', q.accountId);
        if (q.dueAfter) b.where('d.due_at', '>=', q.dueAfter);
        if (q.dueBefore) b.where('d.due_at', '<', q.dueBefore);
      })
      .orderBy('d.due_at')
      .limit(q.limit)
      .select('d.*', 'c.id as case_id', 'c.kind as case_kind');
    await auditStaff(db, req, {
      action: 'staff.deadlines.list',
      accountId: q.accountId ?? null,
      details: { filters: { ...q, dueAfter: q.dueAfter?.toISOString(), dueBefore: q.dueBefore?.toISOString() } },
    });
    res.json({ items: rows.map(deadlineView) });
  });

  r.get('/v1/staff/cases/:id', auth, requireRole('compliance', 'operations'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string);
    const [evidence, notices, deadlines, verification] = await Promise.all([
      db('evidence_log')
        .where(function () {
          this.whereRaw("payload->>'caseId' = ?", [c.id]);
        })
        .orderBy('id'),
      db('contract_notices').where({ case_id: c.id }).orderBy('created_at'),
      db('deadlines').where({ workflow_id: c.workflow_id }).orderBy('due_at'),
      // The account's whole evidence chain, which the case's entries are links of (lib/evidence.ts).
      verifyChain(db, c.account_id),
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
      evidenceChain: verification.ok
        ? { chain: c.account_id, verified: true, entries: verification.entries }
        : {
            chain: c.account_id,
            verified: false,
            entries: verification.entries,
            brokenAtSeq: verification.brokenAtSeq,
            reason: verification.reason,
          },
      timeline,
    });
  });

  return r;
}
