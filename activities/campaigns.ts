// Lifecycle-queue activities of the campaign workflow: status projection, cancellation of what
// was not sent, and the completion (summary + settlement of the order with billing's ledger).
import type { Knex } from 'knex';
import { settleOrder } from '../lib/ledger-reservations';
import { e4ToCentsHalfUp } from '../domain/send-pricing';

export interface CampaignActivityDeps {
  db: Knex;
}

/** Statuses of messages that reached the carrier: they are charged ('unknown': accepted, never reported). */
export const CHARGED_STATUSES = ['submitted', 'delivered', 'undelivered', 'failed', 'unknown'];

/** completed: every page ran; cancelled: by the customer; failed: a page failed for good. */
export type CampaignOutcome = 'completed' | 'cancelled' | 'failed';

/** Why a campaign failed: the non-retryable error of the page that stopped it. */
export interface CampaignFailure {
  type: string | null;
  message: string;
}

export interface CampaignSummary {
  orderId: string;
  outcome: CampaignOutcome;
  counts: Record<string, number>;
  total: number;
  charged: number;
  /** Price of what reached the carrier, exact (e4): what the order consumes. */
  consumedE4: number;
  /** consumedE4 rounded once to the cent, for display. */
  consumedCents: number;
  settlement: { consumedE4: number; releasedE4: number; overageE4: number } | null;
  note?: string;
  /** outcome 'failed': the error that stopped the campaign. */
  error?: CampaignFailure;
}

export function createCampaignActivities({ db }: CampaignActivityDeps) {
  return {
    /** Projects the workflow's status to campaigns.status (the API's read model). */
    /**
     * Projects the workflow's status to campaigns.status (the API's read model). The workflow's
     * first call also marks the campaign as having a workflow (workers/reconcile.ts).
     */
    async markCampaignStatus({
      orderId,
      status,
    }: {
      orderId: string;
      status: 'scheduled' | 'running' | 'paused';
    }): Promise<void> {
      await db('campaigns')
        .where({ order_id: orderId })
        .whereNotIn('status', ['completed', 'cancelled', 'failed'])
        .update({
          status,
          workflow_seen_at: db.raw('coalesce(workflow_seen_at, now())'),
          ...(status === 'running' ? { started_at: db.raw('coalesce(started_at, now())') } : {}),
        });
    },

    /**
     * Every message not yet handed to the carrier (queued, held) becomes 'cancelled', never
     * charged (idempotent). On a cancel by the customer the event has no detail; when the
     * campaign failed, `detail` says why (message_events.detail).
     */
    async cancelRemainingMessages({
      orderId,
      detail,
    }: {
      orderId: string;
      detail?: string;
    }): Promise<{ cancelled: number }> {
      const { rows } = await db.raw(
        `with u as (update messages set status = 'cancelled', final_at = now(), updated_at = now()
                     where order_id = ? and status in ('queued', 'held') returning id)
         insert into message_events (message_id, status, detail) select id, 'cancelled', ? from u returning message_id`,
        [orderId, detail ?? null],
      );
      return { cancelled: rows.length };
    },

    /**
     * Counts per status into campaigns.summary, the final campaign status, and the order settled:
     * consumed = the price of the messages that reached the carrier, exact in e4 (the ledger's
     * unit: never rounded to a free or dearer cent); the rest of the reservation is released.
     * Idempotent.
     */
    async finaliseCampaign({
      orderId,
      outcome,
      error,
    }: {
      orderId: string;
      outcome: CampaignOutcome;
      error?: CampaignFailure;
    }): Promise<CampaignSummary> {
      const { rows } = await db.raw(
        `select status, count(*)::int as n, coalesce(sum(price_e4), 0)::bigint as e4 from messages where order_id = ? group by status`,
        [orderId],
      );
      const counts: Record<string, number> = {};
      let chargedE4 = 0;
      let charged = 0;
      let total = 0;
      for (const r of rows as { status: string; n: number; e4: string }[]) {
        counts[r.status] = r.n;
        total += r.n;
        if (CHARGED_STATUSES.includes(r.status)) {
          charged += r.n;
          chargedE4 += Number(r.e4);
        }
      }
      const summary: CampaignSummary = {
        orderId,
        outcome,
        counts,
        total,
        charged,
        consumedE4: chargedE4,
        consumedCents: e4ToCentsHalfUp(chargedE4),
        settlement: null,
        ...(error ? { error } : {}),
      };
      const order = await db('orders').where({ id: orderId }).first('status', 'reserved_e4', 'released_e4');
      if (!order) {
        summary.note = 'no order row: nothing to settle';
      } else if (order.status === 'reserved' || order.status === 'settled') {
        // Never more than what is still reserved (an earlier partial release may have taken some).
        const outstanding = Number(order.reserved_e4) - Number(order.released_e4);
        const consumed = order.status === 'reserved' ? Math.min(chargedE4, outstanding) : chargedE4;
        if (consumed !== chargedE4) summary.note = `consumption capped at the ${outstanding} e4 still reserved`;
        const s = await settleOrder(db, { orderId, consumedE4: consumed });
        summary.settlement = { consumedE4: s.consumedE4, releasedE4: s.releasedE4, overageE4: s.overageE4 };
      } else {
        summary.note = `order is ${order.status}: not settled`;
      }
      await db('campaigns')
        .where({ order_id: orderId })
        .update({
          status: outcome,
          summary: JSON.stringify(summary),
          completed_at: db.raw('coalesce(completed_at, now())'),
        });
      return summary;
    },
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
