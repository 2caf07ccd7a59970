// Helpers shared by the staff routers of the contract's clocks (staff-deadlines, staff-notices,
// staff-terms, staff-force-majeure, staff-data-protection, staff-maintenance; ToS 3.3, 6.3.4,
// 6.4.3, 10, 11, Annex 2.3): the acting staff member, the 404 lookups and the deadline view.
import type { Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { Actor } from '../workflows/messages';
import type { DbRow } from '../lib/db';
import { staffOf } from './staff-auth';
import { notFound } from './errors';

/** A filter's bound (dueBefore): any instant is a valid question. */
export const anyInstant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
export const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);

export function staffActor(req: Request): Actor & { username: string } {
  const s = staffOf(req);
  return { type: 'staff', id: s.id, username: s.username };
}

export async function accountOr404(db: Knex, id: string) {
  const parsed = z.uuid().safeParse(id);
  const a = parsed.success
    ? await db('accounts').where({ id: parsed.data }).first('id', 'status', 'formula', 'terms_version', 'suspensions')
    : undefined;
  if (!a) throw notFound('account');
  return a;
}

export async function caseOr404(db: Knex, id: string, kind?: string) {
  const parsed = z.uuid().safeParse(id);
  const c = parsed.success
    ? await db('contract_cases')
        .where({ id: parsed.data })
        .modify((q) => {
          if (kind) q.where({ kind });
        })
        .first()
    : undefined;
  if (!c) throw notFound('case');
  return c;
}

export function deadlineView(d: DbRow) {
  return {
    id: d.id,
    kind: d.kind,
    accountId: d.account_id,
    clause: d.clause,
    dueAt: iso(d.due_at),
    state: d.state,
    workflowId: d.workflow_id,
    subject: d.subject || undefined,
    caseId: d.case_id ?? undefined,
    caseKind: d.case_kind ?? undefined,
    outcome: d.outcome ?? undefined,
    openedAt: iso(d.opened_at),
    closedAt: iso(d.closed_at),
  };
}
