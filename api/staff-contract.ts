// Staff side of the contract's clocks (ToS 3.3, 6.3.4, 6.4.3, 10, 11, 12; docs/contract.md).
// Every route: staff session (password + TOTP), a role, an audit entry; every route about an
// account's data (reads, and acts that answer with it) needs an access reason (X-Access-Reason),
// audited with the act.
import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { CURRENT_TERMS_VERSION, type TermsPolicy } from '../domain/terms-policy';
import { recordDeadline } from '../lib/deadlines';
import { appendEvidence, rowToEntry } from '../lib/evidence';
import { liftSuspensionOf } from '../lib/workflow-clients/account';
import { dataBreachHandle, dataBreachWorkflowId, startDataBreach } from '../lib/workflow-clients/data-breach';
import { forceMajeureHandle } from '../lib/workflow-clients/force-majeure';
import { formalNoticeHandle, formalNoticeWorkflowId, startFormalNotice } from '../lib/workflow-clients/formal-notice';
import { signalCancelMaintenance, startMaintenance } from '../lib/workflow-clients/maintenance';
import { subscriptionTermHandle } from '../lib/workflow-clients/subscription-term';
import { startTermsChange } from '../lib/workflow-clients/terms-change';
import { sendNotice } from '../activities/contract-notices';
import { suspendAccountNow, terminateAccountNow } from '../activities/contract-state';
import { loadPolicy } from '../lib/terms';
import { createMailer } from '../activities/mailer';
import {
  cureBreach, endForceMajeure, exerciseForceMajeureTermination, giveTerminationNotice, notifyDataBreach, type Actor,
} from '../workflows/messages';
import { prohibitedUseCaseWorkflowId } from '../workflows/ids';
import type { ApiDeps } from './context';
import { authenticateStaff, auditStaff, requireAccessReason, requireRole, staffOf } from './staff-auth';
import { clockUpdate, OBLIGATIONS, startForceMajeure } from './contract';
import { conflict, notFound, unprocessable } from './errors';
import type { DbRow } from '../lib/db';
import { instant, queryInt } from './schemas';

/** A filter's bound (dueBefore): any instant is a valid question. */
const anyInstant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

function staffActor(req: Request): Actor & { username: string } {
  const s = staffOf(req);
  return { type: 'staff', id: s.id, username: s.username };
}

async function accountOr404(db: Knex, id: string) {
  const parsed = z.uuid().safeParse(id);
  const a = parsed.success ? await db('accounts').where({ id: parsed.data }).first('id', 'status', 'formula', 'terms_version', 'suspensions') : undefined;
  if (!a) throw notFound('account');
  return a;
}

async function caseOr404(db: Knex, id: string, kind?: string) {
  const parsed = z.uuid().safeParse(id);
  const c = parsed.success ? await db('contract_cases').where({ id: parsed.data }).modify((q) => { if (kind) q.where({ kind }); }).first() : undefined;
  if (!c) throw notFound('case');
  return c;
}

function deadlineView(d: DbRow) {
  return { id: d.id, kind: d.kind, accountId: d.account_id, clause: d.clause, dueAt: iso(d.due_at), state: d.state, workflowId: d.workflow_id, subject: d.subject || undefined, outcome: d.outcome ?? undefined, openedAt: iso(d.opened_at), closedAt: iso(d.closed_at) };
}

export function staffContractRouter(deps: ApiDeps): Router {
  const r = Router();
  const { db, temporal, config } = deps;
  const mailer = createMailer(db, config);
  const auth = authenticateStaff(deps);
  const now = deps.now ?? (() => new Date());
  const occurred = instant('occurred', now);
  const planned = instant('planned', now);

  // ---- compliance reads -----------------------------------------------------------------------
  r.get('/v1/staff/deadlines', auth, requireRole('compliance', 'operations'), requireAccessReason, async (req, res) => {
    const q = z.object({
      state: z.enum(['open', 'closed', 'missed']).optional(), kind: z.string().max(100).optional(), accountId: z.uuid().optional(),
      dueBefore: anyInstant.optional(), limit: queryInt(1, 1000).default(200),
    }).parse(req.query);
    const rows = await db('deadlines').modify((b) => {
      if (q.state) b.where({ state: q.state });
      if (q.kind) b.where({ kind: q.kind });
      if (q.accountId) b.where({ account_id: q.accountId });
      if (q.dueBefore) b.where('due_at', '<', q.dueBefore);
    }).orderBy('due_at').limit(q.limit);
    await auditStaff(db, req, { action: 'staff.deadlines.list', accountId: q.accountId ?? null, details: { filters: { ...q, dueBefore: q.dueBefore?.toISOString() } } });
    res.json({ items: rows.map(deadlineView) });
  });

  r.get('/v1/staff/cases/:id', auth, requireRole('compliance', 'operations'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string);
    const [evidence, notices, deadlines] = await Promise.all([
      db('evidence_log').where(function () { this.whereRaw("payload->>'caseId' = ?", [c.id]); }).orderBy('id'),
      db('contract_notices').where({ case_id: c.id }).orderBy('created_at'),
      db('deadlines').where({ workflow_id: c.workflow_id }).orderBy('due_at'),
    ]);
    await auditStaff(db, req, { action: 'staff.case.read', accountId: c.account_id, resource: c.id });
    const timeline = [
      { at: iso(c.opened_at), event: 'case_opened', by: { type: c.opened_by_type, id: c.opened_by_id } },
      ...evidence.map((e) => { const x = rowToEntry(e); return { at: x.occurredAt.toISOString(), event: x.kind, evidence: { id: x.id, chain: x.chain, seq: x.seq, hash: x.hash, prevHash: x.prevHash, actor: x.actor, payload: x.payload } }; }),
      ...(c.closed_at ? [{ at: iso(c.closed_at), event: 'case_closed', state: c.state }] : []),
    ].sort((a, b) => String(a.at).localeCompare(String(b.at)));
    res.json({
      id: c.id, kind: c.kind, accountId: c.account_id, clause: c.clause, state: c.state, workflowId: c.workflow_id, details: c.details,
      openedAt: iso(c.opened_at), closedAt: iso(c.closed_at),
      notices: notices.map((n) => ({ id: n.id, kind: n.kind, clause: n.clause, subject: n.subject, recipients: n.recipients, sentAt: iso(n.sent_at), acknowledgedAt: iso(n.acknowledged_at) })),
      deadlines: deadlines.map(deadlineView), timeline,
    });
  });

  // ---- 10.1 formal notice ---------------------------------------------------------------------
  r.post('/v1/staff/accounts/:id/formal-notices', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const a = await accountOr404(db, req.params.id as string);
    const input = z.strictObject({ breach: z.string().trim().min(5).max(4000), suspend: z.boolean().default(false) }).parse(req.body);
    if (a.status === 'terminated') throw conflict('account_terminated', 'The contract has already ended.');
    const caseId = randomUUID();
    const workflowId = formalNoticeWorkflowId(caseId);
    const by = staffActor(req);
    await db.transaction(async (trx) => {
      await trx('contract_cases').insert({ id: caseId, kind: 'formal_notice', account_id: a.id, clause: '10.1', state: 'opened', workflow_id: workflowId, details: { breach: input.breach }, opened_by_type: 'staff', opened_by_id: by.id });
      await appendEvidence(trx, { accountId: a.id, kind: 'breach_case_opened', occurredAt: new Date(), actor: { ...by }, payload: { caseId, clause: '10.1', breach: input.breach } });
      await auditStaff(trx, req, { action: 'staff.formal_notice.open', accountId: a.id, resource: caseId });
    });
    await startFormalNotice(deps, { caseId, accountId: a.id, breach: input.breach, openedBy: by });
    // 6.3.4: suspension may come with the case, at once, and the User is informed at once.
    if (input.suspend) await suspendWithNotice(a.id, 'breach', caseId, input.breach, by);
    res.status(201).json({ caseId, workflowId });
  });

  // ---- 10.3 complaint-rate cases (lib/complaints.ts): compliance reviews and records its decision;
  // any measure goes through the formal-notice or prohibited-use routes.
  r.post('/v1/staff/cases/:id/review', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string, 'complaint_rate');
    const input = z.strictObject({
      decision: z.enum(['no_action', 'formal_notice', 'prohibited_use']),
      note: z.string().trim().min(5).max(2000),
    }).parse(req.body);
    if (c.closed_at) throw conflict('case_closed', 'This case has already been reviewed.');
    const by = staffActor(req);
    await db.transaction(async (trx) => {
      const closed = await trx('contract_cases').where({ id: c.id }).whereNull('closed_at')
        .update({ state: 'reviewed', closed_at: trx.fn.now(), updated_at: trx.fn.now(), details: trx.raw("details || jsonb_build_object('decision', ?::text, 'note', ?::text)", [input.decision, input.note]) });
      if (closed === 0) throw conflict('case_closed', 'This case has already been reviewed.');
      await appendEvidence(trx, { accountId: c.account_id, kind: 'breach_case_reviewed', occurredAt: new Date(), actor: { ...by }, payload: { caseId: c.id, clause: '10.3', decision: input.decision, note: input.note } });
      const review = await trx('deadlines').where({ workflow_id: c.workflow_id, kind: 'complaint_review' }).first('due_at');
      await recordDeadline(trx, { workflowId: c.workflow_id, kind: 'complaint_review', accountId: c.account_id, clause: '10.3', dueAt: review?.due_at ?? new Date(), state: 'closed', outcome: input.decision });
      await auditStaff(trx, req, { action: 'staff.complaint_case.review', accountId: c.account_id, resource: c.id, details: { decision: input.decision } });
    });
    res.json({ caseId: c.id, state: 'reviewed', decision: input.decision });
  });

  r.post('/v1/staff/cases/:id/cure', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string, 'formal_notice');
    const { note } = z.strictObject({ note: z.string().trim().max(2000).optional() }).parse(req.body ?? {});
    const state = await clockUpdate(formalNoticeHandle(temporal, c.id), cureBreach, [{ by: staffActor(req), note }]);
    await auditStaff(db, req, { action: 'staff.formal_notice.cure', accountId: c.account_id, resource: c.id });
    res.json({ caseId: c.id, curedAt: state.details.curedAt, cureBy: state.details.cureBy });
  });

  // ---- 6.3.4 suspension, 10.3 prohibited behaviour ---------------------------------------------
  const suspendWithNotice = (accountId: string, kind: string, ref: string, reason: string, by: Actor) =>
    suspendAccountNow({ db, config, temporal, mailer }, { accountId, kind, ref, reason, by });

  r.post('/v1/staff/accounts/:id/suspensions', auth, requireRole('compliance', 'operations'), requireAccessReason, async (req, res) => {
    const a = await accountOr404(db, req.params.id as string);
    const input = z.strictObject({ kind: z.enum(['breach', 'prohibited_use', 'staff']), ref: z.string().trim().min(1).max(200).optional(), reason: z.string().trim().min(5).max(2000) }).parse(req.body);
    if (a.status === 'terminated') throw conflict('account_terminated', 'The contract has already ended.');
    const ref = input.ref ?? randomUUID();
    await auditStaff(db, req, { action: 'staff.account.suspend', accountId: a.id, details: { kind: input.kind, ref } });
    await suspendWithNotice(a.id, input.kind, ref, input.reason, staffActor(req));
    res.status(201).json({ accountId: a.id, kind: input.kind, ref, status: 'suspended' });
  });

  r.delete('/v1/staff/accounts/:id/suspensions/:kind/:ref', auth, requireRole('compliance', 'operations'), requireAccessReason, async (req, res) => {
    const a = await accountOr404(db, req.params.id as string);
    if (req.params.kind === 'late_payment') throw unprocessable('billing_suspension', 'A late-payment suspension is lifted by the payment (billing).');
    await auditStaff(db, req, { action: 'staff.account.lift_suspension', accountId: a.id, details: { kind: req.params.kind, ref: req.params.ref } });
    const lift = { kind: req.params.kind as string, ref: req.params.ref as string, by: staffActor(req) };
    const state = await liftSuspensionOf(temporal, a.id, lift);
    res.json({ accountId: a.id, status: state.status, suspensions: state.suspensions });
  });

  r.post('/v1/staff/accounts/:id/prohibited-use', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const a = await accountOr404(db, req.params.id as string);
    const input = z.strictObject({ action: z.enum(['suspend', 'terminate']), behaviour: z.string().trim().min(5).max(4000) }).parse(req.body);
    if (a.status === 'terminated') throw conflict('account_terminated', 'The contract has already ended.');
    const caseId = randomUUID();
    const by = staffActor(req);
    await db.transaction(async (trx) => {
      await trx('contract_cases').insert({ id: caseId, kind: 'prohibited_use', account_id: a.id, clause: '10.3', state: input.action === 'suspend' ? 'suspended' : 'terminated', workflow_id: prohibitedUseCaseWorkflowId(caseId), details: { behaviour: input.behaviour, action: input.action }, opened_by_type: 'staff', opened_by_id: by.id });
      await appendEvidence(trx, { accountId: a.id, kind: 'prohibited_use_found', occurredAt: new Date(), actor: { ...by }, payload: { caseId, clause: '10.3', behaviour: input.behaviour, action: input.action } });
      await auditStaff(trx, req, { action: `staff.prohibited_use.${input.action}`, accountId: a.id, resource: caseId });
    });
    // 10.3: no 7-day delay.
    if (input.action === 'suspend') await suspendWithNotice(a.id, 'prohibited_use', caseId, input.behaviour, by);
    else {
      await sendNotice({ db, config, mailer }, {
        key: `prohibited-use:${caseId}`, accountId: a.id, caseId, kind: 'termination_notice', clause: '10.3',
        subject: 'Termination of your contract', text: `The contract is terminated with immediate effect under article 10.3 (prohibited behaviour): ${input.behaviour}`,
      });
      await terminateAccountNow({ db, config, temporal }, { accountId: a.id, clause: '10.3', reason: input.behaviour, by });
    }
    res.status(201).json({ caseId, action: input.action });
  });

  // 3.2 i: the platform's own termination notice.
  r.post('/v1/staff/accounts/:id/termination-notice', auth, requireRole('compliance', 'admin'), requireAccessReason, async (req, res) => {
    const a = await accountOr404(db, req.params.id as string);
    if (a.formula !== 'subscription') throw unprocessable('not_a_subscription', 'Only a Subscription has a term to terminate.');
    const by = staffActor(req);
    const result = await clockUpdate(subscriptionTermHandle(temporal, a.id), giveTerminationNotice, [{ givenBy: 'platform', actorId: by.id }]);
    await db('termination_notices').insert({ id: randomUUID(), account_id: a.id, given_by: 'platform', actor_id: by.id, received_at: result.receivedAt, applies_at: result.appliesAt }).onConflict().ignore();
    await auditStaff(db, req, { action: 'staff.termination_notice', accountId: a.id });
    res.status(202).json({ receivedAt: result.receivedAt, endsAt: result.appliesAt });
  });

  // ---- 3.3 terms change ----------------------------------------------------------------------
  r.post('/v1/staff/terms-versions', auth, requireRole('admin', 'compliance'), async (req, res) => {
    const input = z.strictObject({
      version: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/), textSha256: z.string().regex(/^[0-9a-f]{64}$/),
      policy: z.record(z.string(), z.unknown()).optional(),
      // The affected accounts, when the new version concerns only some; by default every account.
      accountIds: z.array(z.uuid()).min(1).max(10_000).optional(),
    }).parse(req.body);
    // Durations as data: the new version's policy, by default the current one's durations.
    const base = await loadPolicy(db, CURRENT_TERMS_VERSION);
    const policy = { ...base, ...(input.policy ?? {}), version: input.version } as TermsPolicy;
    const inserted = await db('terms_versions').insert({ version: input.version, published_at: new Date(), text_sha256: input.textSha256, policy: JSON.stringify(policy) }).onConflict('version').ignore().returning('version');
    if (inserted.length === 0) throw conflict('terms_version_exists', 'This terms version is already published.');
    await appendEvidence(db, { accountId: null, kind: 'terms_version_published', occurredAt: new Date(), actor: { ...staffActor(req) }, payload: { version: input.version, textSha256: input.textSha256 } });
    await auditStaff(db, req, { action: 'staff.terms.publish', resource: input.version });
    const accounts = await db('accounts').whereNot({ status: 'terminated' }).whereNot({ terms_version: input.version })
      .modify((q) => { if (input.accountIds) q.whereIn('id', input.accountIds); }).select('id');
    for (const a of accounts) {
      await startTermsChange(deps, { accountId: a.id, version: input.version });
    }
    res.status(201).json({ version: input.version, accountsNotified: accounts.length });
  });

  // ---- 11 force majeure (declared by the platform) ---------------------------------------------
  r.post('/v1/staff/force-majeure', auth, requireRole('operations', 'compliance'), requireAccessReason, async (req, res) => {
    const input = z.strictObject({ accountId: z.uuid(), startedAt: occurred, description: z.string().trim().min(1).max(4000), obligations: z.array(z.enum(OBLIGATIONS)).min(1) }).parse(req.body);
    const a = await accountOr404(db, input.accountId);
    if (a.status === 'terminated') throw conflict('account_terminated', 'The contract has already ended.');
    const c = await startForceMajeure(deps, { accountId: a.id, declaredBy: 'platform', startedAt: input.startedAt, description: input.description, obligations: input.obligations, by: staffActor(req) });
    await auditStaff(db, req, { action: 'staff.force_majeure.declare', accountId: a.id, resource: c.caseId });
    res.status(201).json(c);
  });
  r.post('/v1/staff/force-majeure/:id/end', auth, requireRole('operations', 'compliance'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string, 'force_majeure');
    const state = await clockUpdate(forceMajeureHandle(temporal, c.id), endForceMajeure, [{ by: staffActor(req) }]);
    await auditStaff(db, req, { action: 'staff.force_majeure.end', accountId: c.account_id, resource: c.id });
    res.json({ caseId: c.id, endedAt: state.details.endedAt });
  });
  r.post('/v1/staff/force-majeure/:id/termination', auth, requireRole('compliance', 'admin'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string, 'force_majeure');
    const state = await clockUpdate(forceMajeureHandle(temporal, c.id), exerciseForceMajeureTermination, [{ by: staffActor(req), party: 'platform' }]);
    await auditStaff(db, req, { action: 'staff.force_majeure.terminate', accountId: c.account_id, resource: c.id });
    res.status(202).json({ caseId: c.id, state: state.state });
  });

  // ---- Annex 2.3.3 personal-data breach ----------------------------------------------------------
  r.post('/v1/staff/data-breaches', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const input = z.strictObject({ accountIds: z.array(z.uuid()).min(1).max(10_000), awareAt: occurred, description: z.string().trim().min(5).max(8000) }).parse(req.body);
    const found = await db('accounts').whereIn('id', input.accountIds).pluck('id');
    if (found.length !== new Set(input.accountIds).size) throw unprocessable('unknown_account', 'Some account ids do not exist.');
    const caseId = randomUUID();
    const workflowId = dataBreachWorkflowId(caseId);
    const accountId = input.accountIds.length === 1 ? input.accountIds[0] : null;
    await db('contract_cases').insert({ id: caseId, kind: 'data_breach', account_id: accountId, clause: 'Annex 2.3.3', state: 'awaiting_notification', workflow_id: workflowId, details: { accountIds: input.accountIds, awareAt: input.awareAt.toISOString(), description: input.description }, opened_by_type: 'staff', opened_by_id: staffOf(req).id });
    await auditStaff(db, req, { action: 'staff.data_breach.open', accountId, resource: caseId, details: { accounts: input.accountIds.length } });
    const breach = { caseId, accountIds: input.accountIds, awareAt: input.awareAt.toISOString(), description: input.description };
    await startDataBreach(deps, breach, accountId);
    res.status(201).json({ caseId, workflowId });
  });
  r.post('/v1/staff/data-breaches/:id/notify', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const c = await caseOr404(db, req.params.id as string, 'data_breach');
    const { summary } = z.strictObject({ summary: z.string().trim().min(5).max(8000) }).parse(req.body);
    const state = await clockUpdate(dataBreachHandle(temporal, c.id), notifyDataBreach, [{ by: staffActor(req), summary }]);
    await auditStaff(db, req, { action: 'staff.data_breach.notify', accountId: c.account_id, resource: c.id });
    res.status(202).json({ caseId: c.id, notifiedAt: state.details.notifiedAt });
  });

  // ---- data subject requests: forwarded to the User at once, tracked to closure -----------------
  r.post('/v1/staff/data-subject-requests', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const input = z.strictObject({
      accountId: z.uuid(), kind: z.enum(['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection']),
      subjectContact: z.string().trim().min(3).max(320), details: z.string().trim().max(8000).default(''), receivedAt: occurred.optional(),
    }).parse(req.body);
    await accountOr404(db, input.accountId);
    const id = randomUUID();
    await db('data_subject_requests').insert({ id, account_id: input.accountId, kind: input.kind, subject_contact: input.subjectContact, details: input.details, received_at: input.receivedAt ?? new Date(), state: 'received' });
    await auditStaff(db, req, { action: 'staff.dsr.receive', accountId: input.accountId, resource: id });
    await sendNotice({ db, config, mailer }, {
      key: `dsr:${id}`, accountId: input.accountId, kind: 'data_subject_request_forwarded', clause: 'Annex 2.3',
      subject: `Data subject request (${input.kind}) forwarded to you`,
      text: `We received a ${input.kind} request from a data subject (${input.subjectContact}) concerning data you instruct us to process. As processor we forward it to you without delay.\n${input.details}`,
      payload: { requestId: id, requestKind: input.kind },
    });
    await db('data_subject_requests').where({ id }).update({ state: 'forwarded', forwarded_at: db.fn.now() });
    res.status(201).json({ id, state: 'forwarded' });
  });
  r.post('/v1/staff/data-subject-requests/:id/close', auth, requireRole('compliance'), requireAccessReason, async (req, res) => {
    const { resolution } = z.strictObject({ resolution: z.string().trim().min(3).max(4000) }).parse(req.body);
    const parsed = z.uuid().safeParse(req.params.id);
    const row = parsed.success ? await db('data_subject_requests').where({ id: parsed.data }).first() : undefined;
    if (!row) throw notFound('data subject request');
    await db('data_subject_requests').where({ id: row.id }).whereNot({ state: 'closed' }).update({ state: 'closed', resolution, closed_at: db.fn.now() });
    await auditStaff(db, req, { action: 'staff.dsr.close', accountId: row.account_id, resource: row.id });
    res.json({ id: row.id, state: 'closed' });
  });

  // ---- 6.4.3 maintenance ------------------------------------------------------------------------
  r.post('/v1/staff/maintenance-windows', auth, requireRole('operations'), async (req, res) => {
    const input = z.strictObject({ startsAt: planned, endsAt: planned, emergency: z.boolean().default(false), reason: z.string().trim().min(3).max(2000) }).parse(req.body);
    if (input.endsAt.getTime() <= input.startsAt.getTime()) throw unprocessable('window_invalid', 'A window ends after it starts.');
    const id = randomUUID();
    await db('maintenance_windows').insert({ id, starts_at: input.startsAt, ends_at: input.endsAt, emergency: input.emergency, reason: input.reason });
    await auditStaff(db, req, { action: 'staff.maintenance.schedule', resource: id, details: { emergency: input.emergency } });
    const { workflowId } = await startMaintenance(deps, {
      windowId: id, startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString(), emergency: input.emergency,
      termsVersion: CURRENT_TERMS_VERSION,
    });
    res.status(201).json({ id, workflowId, emergency: input.emergency });
  });
  r.delete('/v1/staff/maintenance-windows/:id', auth, requireRole('operations'), async (req, res) => {
    const parsed = z.uuid().safeParse(req.params.id);
    const w = parsed.success ? await db('maintenance_windows').where({ id: parsed.data }).first('id') : undefined;
    if (!w) throw notFound('maintenance window');
    await db('maintenance_windows').where({ id: w.id }).update({ cancelled_at: db.raw('coalesce(cancelled_at, now())') });
    await signalCancelMaintenance(temporal, w.id, staffActor(req)).catch(() => undefined);
    await auditStaff(db, req, { action: 'staff.maintenance.cancel', resource: w.id });
    res.status(204).end();
  });

  return r;
}
