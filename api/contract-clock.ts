// Shared by the contract's routers, customer and staff side (ToS 3.2 i, 10, 11): running a clock's
// update with its refusals as 409 problems, the acting member, and the opening of a force-majeure
// case (11), declared by the User or by the platform.
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { appendEvidence } from '../lib/evidence';
import { enqueueForceMajeureCase, forceMajeureWorkflowId } from '../lib/workflow-clients/force-majeure';
import { relayNow } from '../lib/workflow-clients/outbox-relay';
import type { Actor } from '../workflows/messages';
import { failureTypeOf, REFUSAL_TYPES } from '../workflows/failures';
import { parseWorkflowId } from '../workflows/ids';
import { type ApiDeps, principalOf } from './context';
import { conflict } from './errors';

/**
 * Runs a clock's update; a refusal by its validator (an ApplicationFailure of a REFUSAL_TYPES
 * type, workflows/failures.ts) becomes 409 with code = that type, a clock that is not running
 * 409 `clock_not_running`.
 */
export async function clockUpdate<Ret, Args extends [unknown, ...unknown[]]>(
  handle: WorkflowHandle,
  def: UpdateDefinition<Ret, Args>,
  args: Args,
): Promise<Ret> {
  try {
    return await handle.executeUpdate(def, { args });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const type = failureTypeOf(err.cause);
      const detail = (err.cause as Error | undefined)?.message ?? err.message;
      throw conflict(type && REFUSAL_TYPES.includes(type) ? type : 'refused', detail);
    }
    if (err instanceof WorkflowNotFoundError || (err as Error).name === 'WorkflowNotFoundError') {
      throw conflict(
        'clock_not_running',
        `No running ${parseWorkflowId(handle.workflowId).kind} clock for this request.`,
      );
    }
    throw err;
  }
}

export function actorOf(req: Request): Actor & { via: string } {
  const p = principalOf(req);
  return { type: 'member', id: p.memberId ?? p.apiKeyId ?? undefined, via: p.via };
}

export const OBLIGATIONS = [
  'service_delivery',
  'support',
  'maintenance',
  'data_return',
  'payment',
  'prepaid_services',
  'personal_data_breach_notification',
] as const;

export async function startForceMajeure(
  deps: ApiDeps,
  c: {
    accountId: string;
    declaredBy: 'user' | 'platform';
    startedAt: Date;
    description: string;
    obligations: (typeof OBLIGATIONS)[number][];
    by: Actor;
  },
): Promise<{ caseId: string; workflowId: string }> {
  const caseId = randomUUID();
  const workflowId = forceMajeureWorkflowId(caseId);
  const start = await deps.db.transaction(async (trx) => {
    await trx('contract_cases').insert({
      id: caseId,
      kind: 'force_majeure',
      account_id: c.accountId,
      clause: '11',
      state: 'in_progress',
      workflow_id: workflowId,
      details: {
        declaredBy: c.declaredBy,
        startedAt: c.startedAt.toISOString(),
        description: c.description,
        obligations: c.obligations,
      },
      opened_by_type: c.by.type,
      opened_by_id: c.by.id ?? null,
    });
    await appendEvidence(trx, {
      accountId: c.accountId,
      kind: 'force_majeure',
      occurredAt: new Date(),
      actor: { ...c.by },
      payload: {
        caseId,
        declaredBy: c.declaredBy,
        startedAt: c.startedAt.toISOString(),
        description: c.description,
        obligations: c.obligations,
      },
    });
    return enqueueForceMajeureCase(trx, deps.config, {
      caseId,
      accountId: c.accountId,
      declaredBy: c.declaredBy,
      startedAt: c.startedAt.toISOString(),
      description: c.description,
      obligations: c.obligations,
      by: c.by,
    });
  });
  await relayNow(deps, start);
  return { caseId, workflowId };
}
