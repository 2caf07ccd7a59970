// Every Prometheus metric of Tentacle, in one place, on one registry per process (with Node's
// default process metrics). Each process exposes the registry at /metrics (api/app.ts for the
// API, lib/metrics/server.ts for the workers); docs/ARCHITECTURE.md (Observability) lists where
// each metric is written. Series are created on first use, except the few set to 0 below so that
// a rate of a problem that has not happened yet is 0, not "no data". The gauges read from Postgres
// live on a registry of their own that only the API serves after its registry (workers would show
// them empty, or as a false 0).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const registers = [registry];

/** Postgres, read at scrape by the API only (lib/metrics/db-gauges.ts). */
export const postgresRegistry = new Registry();
const pg = [postgresRegistry];
export const messagesGauge = new Gauge({
  name: 'tentacle_messages',
  help: 'Messages by channel and status (from Postgres, at scrape; API only).',
  labelNames: ['channel', 'status'] as const,
  registers: pg,
});
export const awaitingFinalGauge = new Gauge({
  name: 'tentacle_messages_awaiting_final_status',
  help: 'Messages accepted by the carrier (submitted) without a final status yet, by time since submission.',
  labelNames: ['channel', 'age'] as const,
  registers: pg,
});
export const outboxBacklogGauge = new Gauge({
  name: 'tentacle_outbox_backlog',
  help: 'Workflow starts written to the outbox and not relayed yet (absent while there is no outbox table).',
  registers: pg,
});
export const singleSendsWaitingGauge = new Gauge({
  name: 'tentacle_single_sends_waiting',
  help: 'Single sends accepted and not yet past the carrier, by channel (held by quiet hours or a suspension included).',
  labelNames: ['channel'] as const,
  registers: pg,
});
export const singleSendsOldestGauge = new Gauge({
  name: 'tentacle_single_sends_oldest_age_seconds',
  help: 'Age of the oldest single send not yet past the carrier, by channel (0 when none waits).',
  labelNames: ['channel'] as const,
  registers: pg,
});
export const webhookPendingGauge = new Gauge({
  name: 'tentacle_webhook_events_pending',
  help: "Events for customers' webhook endpoints not delivered yet, retries included (every endpoint).",
  registers: pg,
});
export const webhookOldestGauge = new Gauge({
  name: 'tentacle_webhook_events_oldest_pending_age_seconds',
  help: "Age of the oldest event not yet delivered to a customer's webhook endpoint (0 when none).",
  registers: pg,
});
export const outboxOldestGauge = new Gauge({
  name: 'tentacle_outbox_oldest_age_seconds',
  help: 'Age of the oldest workflow start waiting in the outbox (0 when none waits).',
  registers: pg,
});

// Send workers: the carrier clients (lib/metrics/carrier-watch.ts) and the page activities.
export const carrierRequestSeconds = new Histogram({
  name: 'tentacle_carrier_request_seconds',
  help: 'Carrier HTTP requests by carrier and outcome (2xx, 4xx, 429, 5xx, timeout, error).',
  labelNames: ['carrier', 'outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers,
});
export const carrierInFlightGauge = new Gauge({
  name: 'tentacle_carrier_requests_in_flight',
  help: 'Carrier HTTP requests sent and not answered yet.',
  labelNames: ['carrier'] as const,
  registers,
});
export const carrierSlowCounter = new Counter({
  name: 'tentacle_carrier_requests_slow_total',
  help: 'Carrier requests still unanswered after CARRIER_SLOW_WARN_SECONDS (each also logged at warn).',
  labelNames: ['carrier'] as const,
  registers,
});
export const messageCarrierErrors = new Counter({
  name: 'tentacle_messages_carrier_errors_total',
  help: "Message outcomes written with the carrier's error code (refused for good, or back to queued).",
  labelNames: ['channel', 'code'] as const,
  registers,
});
export const pageAttempts = new Counter({
  name: 'tentacle_page_attempts_total',
  help: 'Send page activity attempts by channel and outcome (completed, refused, or the failure type).',
  labelNames: ['channel', 'outcome'] as const,
  registers,
});
export const pageRetries = new Counter({
  name: 'tentacle_page_retries_total',
  help: 'Send page activity attempts that are retries (Temporal attempt > 1).',
  labelNames: ['channel'] as const,
  registers,
});
/**
 * Incremented by the lease check of a page attempt when it finds its lease lost (it stops sending).
 * @public (the fencing of page attempts increments it)
 */
export const pagesFenced = new Counter({
  name: 'tentacle_pages_fenced_total',
  help: 'Page attempts stopped because their lease on their messages had expired (a stale attempt).',
  labelNames: ['channel'] as const,
  registers,
});

// API.
export const webhookReports = new Counter({
  name: 'tentacle_webhook_reports_total',
  help:
    'Delivery report webhook requests (a SendGrid post is one batch) by carrier and result: applied (2xx), ' +
    'refused (4xx: signature, input) or failed (5xx: not applied, the carrier retries or reconciliation asks).',
  labelNames: ['carrier', 'result'] as const,
  registers,
});
export const httpRequestSeconds = new Histogram({
  name: 'tentacle_http_request_seconds',
  help: 'API requests by method, route (its pattern; "unmatched" when none) and status class.',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export type Channel = 'sms' | 'email';
export type Carrier = 'twilio' | 'sendgrid';

for (const channel of ['sms', 'email'] as const) {
  pageRetries.labels(channel).inc(0);
  pagesFenced.labels(channel).inc(0);
}
for (const carrier of ['twilio', 'sendgrid'] as const) {
  for (const result of ['applied', 'refused', 'failed']) webhookReports.labels(carrier, result).inc(0);
}
