import type { Knex } from 'knex';

export interface AuditEntry {
  actorType: 'member' | 'api_key' | 'staff' | 'system';
  actorId?: string | null;
  accountId?: string | null;
  action: string;
  resource?: string;
  reason?: string;
  ip?: string;
  requestId?: string;
  details?: Record<string, unknown>;
}

/** Appends to the audit log (Appendix 1). Pass the transaction of the write it records. */
export async function audit(db: Knex | Knex.Transaction, e: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    actor_type: e.actorType,
    actor_id: e.actorId ?? null,
    account_id: e.accountId ?? null,
    action: e.action,
    resource: e.resource ?? null,
    reason: e.reason ?? null,
    ip: e.ip ?? null,
    request_id: e.requestId ?? null,
    details: e.details ?? {},
  });
}
