// What the carrier webhooks share around the statement that applies their events
// (lib/delivery-reports.ts, shared with the status reconciliation): StatusBatcher, the group
// commit of the busiest webhook (Twilio delivery reports), and the 503 of a report not applied.
import type { Logger } from '../lib/logger';
import type { StatusEvent } from '../lib/delivery-reports';
import { Problem } from './errors';

/**
 * Group commit of Twilio status callbacks: a callback that finds no flush running is applied at
 * once (after the current tick, with whatever else arrived in it); callbacks arriving while
 * `maxInFlight` flushes run wait and go together in the next one (at most `maxEvents`). Batches
 * thus grow with the load and latency stays minimal when idle. Each request is answered once its
 * batch is committed: nothing is acknowledged before it is durable, and a shutdown that waits for
 * open requests loses nothing.
 */
export class StatusBatcher {
  private pending: { event: StatusEvent; done: (err?: unknown) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly apply: (events: StatusEvent[]) => Promise<unknown>,
    private readonly maxEvents = 500,
    private readonly maxInFlight = 4,
  ) {}

  add(event: StatusEvent): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, done: (err) => (err ? reject(err) : resolve()) });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= this.maxInFlight || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxEvents);
    this.inFlight += 1;
    this.apply(batch.map((b) => b.event))
      .then(
        () => batch.forEach((b) => b.done()),
        (err: unknown) => batch.forEach((b) => b.done(err)),
      )
      .finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    this.schedule();
  }
}

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
