// 10.2 / Annex 2.4: the account's data as JSON, for the User to retrieve until destruction.
// Used by GET /v1/account/export and by the termination workflow's "return the data" step.
import type { Knex } from 'knex';
import { loadChain } from '../lib/evidence';

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export async function buildAccountExport(db: Knex, accountId: string): Promise<Record<string, unknown> | null> {
  const a = await db('accounts').where({ id: accountId }).first();
  if (!a) return null;
  const [members, apiKeys, changes, notices, deadlines, claims, dsrs, cases, termination] = await Promise.all([
    db('members').where({ account_id: accountId }).select('id', 'username', 'email', 'full_name', 'role', 'created_at', 'disabled_at'),
    db('api_keys').where({ account_id: accountId }).select('id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at'),
    db('account_changes').where({ account_id: accountId }).orderBy('id'),
    db('contract_notices').where({ account_id: accountId }).orderBy('created_at').select('id', 'kind', 'clause', 'subject', 'body', 'sent_at', 'acknowledged_at'),
    db('deadlines').where({ account_id: accountId }).orderBy('due_at'),
    db('liability_claims').where({ account_id: accountId }),
    db('data_subject_requests').where({ account_id: accountId }),
    db('contract_cases').where({ account_id: accountId }),
    db('termination_notices').where({ account_id: accountId }),
  ]);
  const evidence = await loadChain(db, accountId);
  return {
    format: 'tentacle-account-export/1',
    generatedAt: new Date().toISOString(),
    account: {
      id: a.id, legalForm: a.legal_form, legalName: a.legal_name, country: a.country, siren: a.siren, vatNumber: a.vat_number,
      billingAddress: a.billing_address, formula: a.formula, termsVersion: a.terms_version, effectiveDate: iso(a.effective_date),
      status: a.status, suspensions: a.suspensions, netReviewsOptOut: a.net_reviews_opt_out, createdAt: iso(a.created_at),
      dataReturnRequestedAt: iso(a.data_return_requested_at),
    },
    members: members.map((m) => ({ id: m.id, username: m.username, email: m.email, fullName: m.full_name, role: m.role, createdAt: iso(m.created_at), disabledAt: iso(m.disabled_at) })),
    apiKeys: apiKeys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, createdAt: iso(k.created_at), lastUsedAt: iso(k.last_used_at), revokedAt: iso(k.revoked_at) })),
    accountChanges: changes.map((c) => ({ at: iso(c.at), memberId: c.member_id, changes: c.changes })),
    notices: notices.map((n) => ({ id: n.id, kind: n.kind, clause: n.clause, subject: n.subject, body: n.body, sentAt: iso(n.sent_at), acknowledgedAt: iso(n.acknowledged_at) })),
    deadlines: deadlines.map((d) => ({ kind: d.kind, clause: d.clause, dueAt: iso(d.due_at), state: d.state, outcome: d.outcome })),
    cases: cases.map((c) => ({ id: c.id, kind: c.kind, clause: c.clause, state: c.state, openedAt: iso(c.opened_at), closedAt: iso(c.closed_at) })),
    terminationNotices: termination.map((t) => ({ id: t.id, givenBy: t.given_by, receivedAt: iso(t.received_at), appliesAt: iso(t.applies_at) })),
    liabilityClaims: claims.map((c) => ({ id: c.id, eventAt: iso(c.event_at), notifiedAt: iso(c.notified_at), accepted: c.accepted, refusal: c.refusal, capCents: Number(c.cap_cents) })),
    dataSubjectRequests: dsrs.map((r) => ({ id: r.id, kind: r.kind, state: r.state, receivedAt: iso(r.received_at), forwardedAt: iso(r.forwarded_at), closedAt: iso(r.closed_at) })),
    evidence: evidence.map((e) => ({ seq: e.seq, kind: e.kind, occurredAt: e.occurredAt.toISOString(), actor: e.actor, payload: e.payload, prevHash: e.prevHash, hash: e.hash })),
  };
}
