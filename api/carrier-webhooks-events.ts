// What the carrier webhooks share around the statement that applies their events
// (lib/delivery-reports.ts, shared with the status reconciliation): the 503 of a report not applied.
import type { Logger } from '../lib/logger';
import { Problem } from './errors';

/** How long failures are counted into one warn line after the first of a burst is logged. */
const BURST_MS = 10_000;

/**
 * A report that could not be written (Postgres down, a failed statement) is answered 503
 * `report_not_applied`, never 2xx, so that the carrier posts it again (SendGrid for up to 24 h,
 * Twilio as our callback URL's connection overrides ask); what no retry brings, the status
 * reconciliation fetches (workflows/status-reconciliation.ts). One warn line per burst of
 * failures (the first, then at most one per BURST_MS with the count), with the error's message
 * and code only: never the request, its signature or the connection string.
 */
export function reportFailures(logger: Pick<Logger, 'warn'>, provider: string): (err: unknown) => Problem {
  let loggedAt = 0;
  let unlogged = 0;
  return (err) => {
    const now = Date.now();
    if (now - loggedAt >= BURST_MS) {
      const e = err as { message?: unknown; code?: unknown };
      logger.warn(
        { provider, error: String(e?.message ?? err), code: e?.code, failuresSinceLastLine: unlogged },
        'delivery report not applied; the carrier will retry / reconciliation will fetch it',
      );
      loggedAt = now;
      unlogged = 0;
    } else unlogged += 1;
    return new Problem(
      503,
      'report_not_applied',
      'Report not applied',
      'The report could not be recorded now; post it again later.',
      {},
      { 'Retry-After': '5' },
    );
  };
}
