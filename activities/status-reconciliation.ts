// The status reconciliation's activity (workflows/status-reconciliation.ts): one keyset page of the
// messages of a channel still 'submitted' past a threshold, i.e. whose final delivery report never
// arrived (the API or Postgres was down longer than the carrier retried, a report was lost).
// - SMS: Twilio is asked for the message by SID; a final status is applied through the same
//   statement as the webhook (lib/delivery-reports.ts applyStatusEvents, same idempotency key, so
//   a report arriving later, or twice, changes nothing). Past STATUS_UNKNOWN_AFTER_HOURS, a
//   message Twilio still does not report final (or does not know) is marked 'unknown'.
// - E-mail: SendGrid's v3 API has no per-message status (the Email Activity Feed API is a paid
//   add-on we do not assume), and its event webhook retries for 24 h: past
//   STATUS_UNKNOWN_AFTER_HOURS (at least 25 h) the message is marked 'unknown'.
import type { Knex } from 'knex';
import { request } from 'undici';
import type { Config } from '../lib/config';
import { createLogger } from '../lib/logger';
import { applyStatusEvents, markDeliveryUnknown, twilioStatusEffect, type StatusEvent } from '../lib/delivery-reports';

/** Where the next page starts: the last row's exact submitted_at (as Postgres prints it) and id. */
export interface ReconcileCursor {
  at: string;
  id: string;
}

export interface ReconcileInput {
  channel: 'sms' | 'email';
  after: ReconcileCursor | null;
}

export interface ReconcileResult {
  examined: number;
  /** Final statuses fetched from the carrier and applied. */
  applied: number;
  unknown: number;
  /** Messages whose carrier could not be asked (down, credentials, 5xx). */
  unreachable: number;
  /** null: the pass is over. */
  next: ReconcileCursor | null;
  /** Until the next pass (STATUS_RECONCILE_INTERVAL_MINUTES). */
  intervalMs: number;
}

const FETCH_CONCURRENCY = 8;
const MINUTE = 60_000;

type Fetched = { status: string; errorCode: string | null } | 'not_found' | 'unreachable';

export function createStatusReconciliationActivities({ db, config }: { db: Knex; config: Config }) {
  const logger = createLogger('status-reconciliation', config.LOG_LEVEL);

  async function fetchTwilio(sid: string): Promise<Fetched> {
    const account = config.TWILIO_ACCOUNT_SID!;
    const base = (config.TWILIO_BASE_URL ?? 'https://api.twilio.com').replace(/\/$/, '');
    try {
      const res = await request(`${base}/2010-04-01/Accounts/${account}/Messages/${encodeURIComponent(sid)}.json`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${account}:${config.TWILIO_AUTH_TOKEN}`).toString('base64')}`,
        },
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      if (res.statusCode === 404) {
        await res.body.dump();
        return 'not_found';
      }
      if (res.statusCode !== 200) {
        await res.body.dump();
        return 'unreachable';
      }
      const m = (await res.body.json()) as { status?: string; error_code?: number | null };
      return { status: String(m.status ?? ''), errorCode: m.error_code == null ? null : String(m.error_code) };
    } catch {
      return 'unreachable';
    }
  }

  /** SMS of the page: fetch each (bounded concurrency), apply finals, mark the hopeless unknown. */
  async function reconcileSms(rows: Row[], unknownBefore: Date): Promise<Omit<ReconcileResult, 'next' | 'intervalMs'>> {
    const events: StatusEvent[] = [];
    const hopeless: string[] = [];
    let unreachable = 0;
    if (!config.TWILIO_ACCOUNT_SID || !config.TWILIO_AUTH_TOKEN) {
      logger.warn({ messages: rows.length }, 'status reconciliation: no Twilio credentials; SMS statuses not fetched');
      return { examined: rows.length, applied: 0, unknown: 0, unreachable: rows.length };
    }
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const r = rows[next++];
        const got = r.carrier_id ? await fetchTwilio(r.carrier_id) : 'not_found';
        if (got === 'unreachable') unreachable += 1;
        else if (got !== 'not_found' && twilioStatusEffect(got.status).effect === 'final') {
          events.push({
            provider: 'twilio',
            key: `${r.carrier_id}:${got.status}`, // the webhook's key: whichever comes first counts
            mid: String(r.id),
            carrierId: r.carrier_id,
            effect: 'final',
            status: got.status,
            event: got.status,
            code: got.errorCode,
            suppress: null,
          });
        } else if (new Date(r.submitted_at) < unknownBefore) hopeless.push(String(r.id));
      }
    };
    await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, rows.length) }, worker));
    const { moved } = await applyStatusEvents(db, events);
    const unknown = await markDeliveryUnknown(
      db,
      hopeless,
      `no final status from Twilio ${config.STATUS_UNKNOWN_AFTER_HOURS} h after submission`,
    );
    if (unreachable > 0)
      logger.warn({ unreachable, of: rows.length }, 'status reconciliation: Twilio could not be reached; next pass');
    return { examined: rows.length, applied: moved, unknown, unreachable };
  }

  return {
    /** One page of the pass over `channel`'s messages awaiting a final report (see the file header). */
    async reconcileStatuses({ channel, after }: ReconcileInput): Promise<ReconcileResult> {
      const now = Date.now();
      const unknownBefore = new Date(now - config.STATUS_UNKNOWN_AFTER_HOURS * 60 * MINUTE);
      // E-mails are only ever marked unknown: nothing to do with them before that.
      const before = channel === 'sms' ? new Date(now - config.STATUS_RECONCILE_AFTER_MINUTES * MINUTE) : unknownBefore;
      const since = new Date(now - config.STATUS_RECONCILE_LOOKBACK_DAYS * 24 * 60 * MINUTE);
      const rows: Row[] = await db('messages')
        .select('id', 'carrier_id', 'submitted_at', db.raw('submitted_at::text as at'))
        .where({ status: 'submitted', channel })
        .where('submitted_at', '<', before)
        .where('submitted_at', '>=', since)
        .modify((q) => {
          if (after) q.whereRaw('(submitted_at, id) > (?::timestamptz, ?::bigint)', [after.at, after.id]);
        })
        .orderBy([{ column: 'submitted_at' }, { column: 'id' }])
        .limit(config.STATUS_RECONCILE_BATCH);
      const done =
        channel === 'sms'
          ? await reconcileSms(rows, unknownBefore)
          : {
              examined: rows.length,
              applied: 0,
              unknown: await markDeliveryUnknown(
                db,
                rows.map((r) => String(r.id)),
                `no delivery event from SendGrid ${config.STATUS_UNKNOWN_AFTER_HOURS} h after submission ` +
                  '(no status lookup in its API; its event retries stop after 24 h)',
              ),
              unreachable: 0,
            };
      const last = rows.at(-1);
      const result: ReconcileResult = {
        ...done,
        next: rows.length === config.STATUS_RECONCILE_BATCH && last ? { at: last.at, id: String(last.id) } : null,
        intervalMs: config.STATUS_RECONCILE_INTERVAL_MINUTES * MINUTE,
      };
      if (rows.length > 0) logger.info({ channel, ...done, more: result.next !== null }, 'status reconciliation page');
      else logger.debug({ channel }, 'status reconciliation: nothing awaiting a report');
      return result;
    },
  };
}

interface Row {
  id: string;
  carrier_id: string | null;
  submitted_at: Date;
  at: string;
}

export type StatusReconciliationActivities = ReturnType<typeof createStatusReconciliationActivities>;
