// Lifecycle-queue activities of the campaign workflow: status projection, cancellation of what
// was not sent, and the completion (summary + settlement of the order with billing's ledger).
import type { Knex } from 'knex';
import { settleOrder } from '../lib/ledger-reservations';
import { e4ToCentsHalfUp } from '../domain/send-pricing';
import { fanOutSql, recordEvents } from '../lib/webhooks/events';

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
      // One statement: the projection and, when the status changed, its webhook event (campaign.started
      // the first time it runs, resumed after a pause, paused), read from the row as it was.
      await db.raw(
        `with old as (select order_id, status, started_at from campaigns where order_id = ? for update),
         u as (update campaigns c set status = ?, workflow_seen_at = coalesce(c.workflow_seen_at, now()),
                      started_at = case when ?::text = 'running' then coalesce(c.started_at, now()) else c.started_at end
                 from old where c.order_id = old.order_id and c.status not in ('completed', 'cancelled', 'failed')
               returning c.order_id, c.account_id, c.kind, c.status, old.status as was, old.started_at as was_started)
         ${fanOutSql(
           `select account_id, case when status = 'paused' then 'campaign.paused'
                   when was_started is null then 'campaign.started' else 'campaign.resumed' end as type,
                   'evt_cs' || md5(order_id::text || status || clock_timestamp()::text) as key,
                   jsonb_build_object('campaign_id', order_id, 'status', status) as data
              from u where kind = 'campaign' and status <> was and status in ('running', 'paused')`,
         )}`,
        [orderId, status, status],
      );
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
      await db.transaction(async (trx) => {
        const [row] = await trx('campaigns')
          .where({ order_id: orderId })
          .forUpdate()
          .select('status', 'kind', 'account_id');
        await trx('campaigns')
          .where({ order_id: orderId })
          .update({
            status: outcome,
            summary: JSON.stringify(summary),
            completed_at: trx.raw('coalesce(completed_at, now())'),
          });
        // The webhook event, once (a retried finalisation finds the status already written).
        if (row && row.kind === 'campaign' && row.status !== outcome)
          await recordEvents(trx, [
            {
              accountId: row.account_id,
              type: `campaign.${outcome}`,
              key: `evt_cf${orderId}`,
              data: { campaign_id: orderId, status: outcome, summary },
            },
          ]);
      });
      return summary;
    },
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
