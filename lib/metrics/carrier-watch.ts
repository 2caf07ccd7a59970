// What the carrier clients (activities/carriers/*-client.ts) record about every HTTP request:
// its latency by outcome, the requests in flight, and a watchdog that logs one warn per request
// still unanswered after `warnAfterMs` (a carrier that hangs shows in the logs before the
// request times out). One timer per watch, running only while requests are in flight: no timer
// per request (the Twilio client avoids them for CPU, see twilio-client.ts).
import { configSchema } from '../config';
import { createLogger, type Logger } from '../logger';
import { carrierInFlightGauge, carrierRequestSeconds, carrierSlowCounter, type Carrier } from './definitions';

export interface CarrierWatchOptions {
  /** Unanswered for this long: one warn line for the request (CARRIER_SLOW_WARN_SECONDS). */
  warnAfterMs: number;
  logger: Logger;
}

interface InFlight {
  startedAt: number;
  what: () => string;
  warned: boolean;
}

export interface CarrierWatch {
  /**
   * Runs one request. `outcomeOf` names the answer (an HTTP status class); a rejection is named
   * by `errorOutcome` (timeout or error). `what()` names the request in the warn (method + path).
   */
  observe<T>(
    what: () => string,
    run: () => Promise<T>,
    outcomeOf: (v: T) => string,
    errorOutcome: (e: unknown) => string,
  ): Promise<T>;
}

/** '2xx', '4xx', '5xx'…; 429 on its own: rate limiting is what an operator looks for. */
export function statusOutcome(status: number): string {
  return status === 429 ? '429' : `${Math.floor(status / 100)}xx`;
}

export function createCarrierWatch(carrier: Carrier, options: CarrierWatchOptions): CarrierWatch {
  const inFlight = new Set<InFlight>();
  const gauge = carrierInFlightGauge.labels(carrier);
  const slow = carrierSlowCounter.labels(carrier);
  const histograms = new Map<string, ReturnType<typeof carrierRequestSeconds.labels>>();
  const histogram = (outcome: string) => {
    let h = histograms.get(outcome);
    if (!h) histograms.set(outcome, (h = carrierRequestSeconds.labels(carrier, outcome)));
    return h;
  };
  const checkEveryMs = Math.max(50, Math.min(1_000, options.warnAfterMs / 2));
  let timer: NodeJS.Timeout | null = null;

  const check = () => {
    const now = performance.now();
    for (const r of inFlight) {
      const waited = now - r.startedAt;
      if (r.warned || waited < options.warnAfterMs) continue;
      r.warned = true;
      slow.inc();
      options.logger.warn(
        { carrier, request: r.what(), waitedMs: Math.round(waited), inFlight: inFlight.size },
        `carrier has not answered for ${(waited / 1000).toFixed(1)} s`,
      );
    }
  };

  return {
    async observe(what, run, outcomeOf, errorOutcome) {
      const r: InFlight = { startedAt: performance.now(), what, warned: false };
      inFlight.add(r);
      gauge.inc();
      if (!timer) {
        timer = setInterval(check, checkEveryMs);
        timer.unref();
      }
      let outcome = 'error';
      try {
        const value = await run();
        outcome = outcomeOf(value);
        return value;
      } catch (err) {
        outcome = errorOutcome(err);
        throw err;
      } finally {
        inFlight.delete(r);
        gauge.dec();
        histogram(outcome).observe((performance.now() - r.startedAt) / 1000);
        if (inFlight.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      }
    },
  };
}

/** The watch of clients created without one (tests, benchmarks, notices): from the environment. */
export function defaultCarrierWatch(carrier: Carrier): CarrierWatch {
  const seconds = configSchema.shape.CARRIER_SLOW_WARN_SECONDS.parse(process.env.CARRIER_SLOW_WARN_SECONDS);
  return createCarrierWatch(carrier, { warnAfterMs: seconds * 1000, logger: createLogger(`carrier-${carrier}`) });
}
