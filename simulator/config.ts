// Behaviour of the carrier simulator: plain data, changeable at run time (configure() or
// POST /_sim/config). Rates are probabilities in [0, 1]; outcome tables are relative weights.

export type Latency = { fixedMs: number } | { minMs: number; maxMs: number };

interface TwilioBehaviour {
  /** Share of requests answered 429 / Twilio 20429. */
  rateLimitedRate: number;
  /** Share of requests answered 500 / Twilio 20500. */
  serverErrorRate: number;
  /** "To" numbers refused with 400 / 21211 (numbers that are not E.164 always are). */
  invalidNumbers: string[];
  /** "To" numbers refused with 400 / 21610 (recipient replied STOP). */
  unsubscribedNumbers: string[];
  /** "To" prefixes refused with 400 / 21408 (region not enabled), e.g. "+86". */
  disabledRegionPrefixes: string[];
  /** Messages per second per sender (From or MessagingServiceSid); beyond → 429 / 20429. */
  senderMps: number | null;
  /** Final status weights of accepted messages. */
  outcomes: { delivered: number; undelivered: number; failed: number };
  /** ErrorCode of undelivered / failed messages, picked uniformly. */
  errorCodes: number[];
  /** Our inbound-SMS webhook (sendInbound posts there unless given another URL). */
  inboundUrl: string | null;
}

interface SendGridBehaviour {
  rateLimitedRate: number;
  serverErrorRate: number;
  /** Requests per second for the API key; beyond → 429 with X-RateLimit-* headers. */
  requestsPerSecond: number | null;
  /** Recipients that bounce (processed, then bounce). */
  bouncedEmails: string[];
  /** Recipients dropped as unsubscribed (dropped only). */
  unsubscribedEmails: string[];
  /** Outcome weights of the other recipients; spamreport and unsubscribe follow a delivery. */
  outcomes: { delivered: number; bounce: number; dropped: number; spamreport: number; unsubscribe: number };
  /** Our Event Webhook URL. */
  eventWebhookUrl: string | null;
}

export interface CallbackBehaviour {
  /** Off for raw-throughput benchmarks: statuses are then final at once, nothing is posted. */
  enabled: boolean;
  /** Time from acceptance to the status callbacks / events. */
  delay: Latency;
  /** Twilio "sent" before the final status; SendGrid "processed" before the outcome. */
  intermediate: boolean;
  /** Webhook POSTs in flight at most. */
  concurrency: number;
  /**
   * SendGrid re-posts an event batch answered non-2xx or not answered, with increasing intervals,
   * for up to 24 h (then drops it): the first retry after `sendgridRetryFirstMs`, each next one
   * `sendgridRetryFactor` times later (at most `sendgridRetryMaxMs` apart), none beyond
   * `sendgridRetryHorizonMs` after the first attempt. COMPRESSED_RETRIES squeezes it for tests.
   */
  sendgridRetryFirstMs: number;
  sendgridRetryFactor: number;
  sendgridRetryMaxMs: number;
  sendgridRetryHorizonMs: number;
  /**
   * Twilio retries a callback only as its URL's connection overrides ask (`#rc=…&rp=…&tt=…`;
   * without a fragment, never), this long apart, within the `tt` budget.
   */
  twilioRetryDelayMs: number;
  /** SendGrid events per POST at most, and how long events wait to fill a batch. */
  eventBatchSize: number;
  eventFlushMs: number;
  /** Webhooks waiting beyond this are dropped (and counted), bounding memory. */
  maxQueued: number;
}

export interface SimulatorConfig {
  /** Time before each API answer. */
  latency: Latency;
  /**
   * A hung carrier: while true, Twilio and SendGrid requests are read but neither processed nor
   * answered. When it turns false they are processed in arrival order and answered if their client
   * still waits (one that gave up has still had its message accepted, as a carrier's queue would).
   */
  hang: boolean;
  twilio: TwilioBehaviour;
  sendgrid: SendGridBehaviour;
  callbacks: CallbackBehaviour;
  /** Accepted messages kept in detail (records(), Twilio GET); counts per mid are always kept. */
  maxRecords: number;
}

export type SimulatorConfigPatch = {
  [K in keyof SimulatorConfig]?: SimulatorConfig[K] extends object[] | Latency
    ? SimulatorConfig[K]
    : SimulatorConfig[K] extends object
      ? Partial<SimulatorConfig[K]>
      : SimulatorConfig[K];
};

export function defaultConfig(): SimulatorConfig {
  return {
    latency: { fixedMs: 0 },
    hang: false,
    twilio: {
      rateLimitedRate: 0,
      serverErrorRate: 0,
      invalidNumbers: [],
      unsubscribedNumbers: [],
      disabledRegionPrefixes: [],
      senderMps: null,
      outcomes: { delivered: 1, undelivered: 0, failed: 0 },
      errorCodes: [30003, 30006, 30007],
      inboundUrl: null,
    },
    sendgrid: {
      rateLimitedRate: 0,
      serverErrorRate: 0,
      requestsPerSecond: null,
      bouncedEmails: [],
      unsubscribedEmails: [],
      outcomes: { delivered: 1, bounce: 0, dropped: 0, spamreport: 0, unsubscribe: 0 },
      eventWebhookUrl: null,
    },
    callbacks: {
      enabled: true,
      delay: { fixedMs: 0 },
      intermediate: true,
      concurrency: 32,
      // SendGrid publishes no exact schedule ("increasing intervals, up to 24 hours"): 30 s, 1 min,
      // 2 min, … doubling up to 2 h apart, 24 h in all.
      sendgridRetryFirstMs: 30_000,
      sendgridRetryFactor: 2,
      sendgridRetryMaxMs: 2 * 3600_000,
      sendgridRetryHorizonMs: 24 * 3600_000,
      twilioRetryDelayMs: 1000,
      eventBatchSize: 1000,
      eventFlushMs: 50,
      maxQueued: 1_000_000,
    },
    maxRecords: 100_000,
  };
}

/**
 * The same retry behaviour in milliseconds instead of hours, for tests:
 * `configure({ callbacks: COMPRESSED_RETRIES })`.
 */
export const COMPRESSED_RETRIES: Partial<CallbackBehaviour> = {
  sendgridRetryFirstMs: 50,
  sendgridRetryFactor: 2,
  sendgridRetryMaxMs: 400,
  sendgridRetryHorizonMs: 10_000,
  twilioRetryDelayMs: 50,
};

/** Applies a patch one level deep (nested objects merged, arrays and latencies replaced). */
export function mergeConfig(base: SimulatorConfig, patch: SimulatorConfigPatch): SimulatorConfig {
  const next = structuredClone(base);
  if (patch.latency) next.latency = patch.latency;
  if (patch.hang !== undefined) next.hang = patch.hang;
  if (patch.twilio) Object.assign(next.twilio, patch.twilio);
  if (patch.sendgrid) Object.assign(next.sendgrid, patch.sendgrid);
  if (patch.callbacks) Object.assign(next.callbacks, patch.callbacks);
  if (patch.maxRecords !== undefined) next.maxRecords = patch.maxRecords;
  return next;
}

export function sampleLatency(latency: Latency): number {
  if ('fixedMs' in latency) return latency.fixedMs;
  return latency.minMs + Math.random() * (latency.maxMs - latency.minMs);
}

/** Picks a key with probability proportional to its weight (the first key when all are 0). */
export function pickWeighted<K extends string>(weights: Record<K, number>): K {
  const keys = Object.keys(weights) as K[];
  const total = keys.reduce((sum, k) => sum + Math.max(0, weights[k]), 0);
  let r = Math.random() * total;
  for (const key of keys) {
    r -= Math.max(0, weights[key]);
    if (r < 0) return key;
  }
  return keys[0];
}
