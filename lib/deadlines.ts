// The deadlines register that compliance staff read (GET /v1/staff/deadlines). Every contract
// clock writes its deadline when it opens and when it closes; writes are idempotent by
// (workflow id, kind, subject) so activity retries and workflow replays change nothing.
import type { Knex } from 'knex';

type DeadlineState = 'open' | 'closed' | 'missed';

export interface DeadlineRecord {
  workflowId: string;
  kind: string; // e.g. 'formal_notice_cure', 'renewal_notice_cutoff', 'invoice_dispute'
  subject?: string; // distinguishes several deadlines of one kind in one workflow
  accountId: string | null;
  clause: string; // the terms' clause, e.g. '10.1'
  dueAt: Date | string;
  state: DeadlineState;
  outcome?: string; // why it closed: 'cured', 'notice_received', 'paid', ...
}

export async function recordDeadline(db: Knex | Knex.Transaction, d: DeadlineRecord): Promise<void> {
  const row = {
    workflow_id: d.workflowId,
    kind: d.kind,
    subject: d.subject ?? '',
    account_id: d.accountId,
    clause: d.clause,
    due_at: new Date(d.dueAt),
    state: d.state,
    outcome: d.outcome ?? null,
    closed_at: d.state === 'open' ? null : db.fn.now(),
  };
  await db('deadlines')
    .insert(row)
    .onConflict(['workflow_id', 'kind', 'subject'])
    .merge({
      due_at: row.due_at,
      state: row.state,
      outcome: row.outcome,
      closed_at: d.state === 'open' ? null : db.raw('coalesce(deadlines.closed_at, now())'),
    });
}
