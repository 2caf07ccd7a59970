// 10.3: sending unsolicited e-mail is prohibited. Every spam complaint (SendGrid 'spamreport')
// already suppresses its address for the account; here the complaints of a campaign are weighed
// against its size, and beyond the configured rate a 'complaint_rate' case opens for compliance,
// once per campaign: evidence in the account's chain, and a review due in the deadlines register
// (an internal service level: the terms set no delay, 10.3 allows immediate measures). Staff
// decide through the existing routes (formal notice, prohibited use) and close the review.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from './config';
import { appendEvidence } from './evidence';
import { recordDeadline } from './deadlines';
import { complaintCaseWorkflowId } from '../workflows/ids';

export interface CampaignComplaints {
  orderId: string;
  accountId: string;
  complaints: number;
}

const COMPLAINT_REVIEW_HOURS = 24;

/** Opens the campaign's complaint case if its rate is beyond the threshold; returns the case id when it opened one. */
export async function openComplaintCaseIfBeyond(
  db: Knex,
  config: Pick<Config, 'COMPLAINT_RATE_THRESHOLD' | 'COMPLAINT_MIN_COUNT'>,
  c: CampaignComplaints,
  now = new Date(),
): Promise<string | null> {
  if (c.complaints < config.COMPLAINT_MIN_COUNT) return null;
  const campaign = await db('campaigns').where({ order_id: c.orderId }).first('total');
  const sent = Number(campaign?.total ?? 0);
  if (sent <= 0) return null;
  const rate = c.complaints / sent;
  if (rate <= config.COMPLAINT_RATE_THRESHOLD) return null;
  const workflowId = complaintCaseWorkflowId(c.orderId);
  return db.transaction(async (trx) => {
    const caseId = randomUUID();
    const details = {
      orderId: c.orderId,
      complaints: c.complaints,
      messages: sent,
      rate: Math.round(rate * 1e6) / 1e6,
      threshold: config.COMPLAINT_RATE_THRESHOLD,
    };
    const opened = await trx('contract_cases')
      .insert({
        id: caseId,
        kind: 'complaint_rate',
        account_id: c.accountId,
        clause: '10.3',
        state: 'open',
        workflow_id: workflowId,
        details,
        opened_by_type: 'system',
      })
      .onConflict('workflow_id')
      .ignore()
      .returning('id');
    if (opened.length === 0) return null; // already open for this campaign
    await appendEvidence(trx, {
      accountId: c.accountId,
      kind: 'breach_case_opened',
      occurredAt: now,
      actor: { type: 'system', id: 'complaint-rate' },
      payload: { caseId, clause: '10.3', ...details },
    });
    await recordDeadline(trx, {
      workflowId,
      kind: 'complaint_review',
      accountId: c.accountId,
      clause: '10.3',
      dueAt: new Date(now.getTime() + COMPLAINT_REVIEW_HOURS * 3_600_000),
      state: 'open',
    });
    return caseId;
  });
}
