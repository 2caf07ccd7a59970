// Typed configuration read once from the environment. Secrets are never logged: `describe()`
// prints what is safe to print.
import { isIP } from 'node:net';
import { z } from 'zod';

// An address, a CIDR block, or one of Express's names for a range (proxy-addr).
const proxyEntry = (e: string) => {
  const [addr, bits, extra] = e.split('/');
  if (['loopback', 'linklocal', 'uniquelocal'].includes(e)) return true;
  const v = isIP(addr);
  return (
    v !== 0 &&
    extra === undefined &&
    (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128)))
  );
};

const schema = z.object({
  NODE_ENV: z
    .string()
    .default('development')
    .describe('Node environment label, read by libraries such as Express (`production` in production).'),
  DATABASE_URL: z
    .string()
    .optional()
    .describe(
      'PostgreSQL connection string. Required by the API and the workers; `npm start` sets it to the embedded ' +
        'PostgreSQL.',
    ),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233').describe('Temporal frontend address (host:port).'),
  TEMPORAL_NAMESPACE: z.string().default('default').describe('Temporal namespace of every workflow.'),
  TEMPORAL_UI_URL: z
    .url()
    .optional()
    .describe(
      "Temporal Web UI base URL: the staff console links each workflow there (`npm start` sets the dev server's).",
    ),
  // Overridable so that tests sharing one server never steal each other's tasks.
  LIFECYCLE_TASK_QUEUE: z
    .string()
    .default('lifecycle')
    .describe(
      'Task queue of the lifecycle worker (every workflow and the light activities); tests give each run its own.',
    ),
  API_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe('Port the API listens on (0: any free port).'),
  PUBLIC_BASE_URL: z
    .string()
    .optional()
    .describe(
      'Public URL of the API, used in links sent out (acknowledgment links of notices, Twilio status callbacks) and ' +
        "to check Twilio signatures; unset: loopback URLs and the request's Host header (development only).",
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level.'),
  BODY_LIMIT: z
    .string()
    .default('1mb')
    .describe('Largest JSON request body (413 `payload_too_large` beyond); CSV uploads have UPLOAD_LIMIT_BYTES.'),
  // The reverse proxies whose X-Forwarded-For the API believes (Express 'trust proxy'), comma-
  // separated addresses or CIDRs, e.g. `10.0.0.5,10.1.0.0/16`. None by default: the client's IP
  // (login throttling, audit log) is then the socket's peer, which no local process can forge by
  // sending the header. Set it to the load balancer's addresses when the API runs behind one.
  TRUST_PROXY: z
    .string()
    .default('')
    .describe(
      'Reverse proxies whose X-Forwarded-For the API believes: comma-separated addresses or CIDR blocks; none by ' +
        'default (the client IP is the socket peer).',
    )
    .transform((s) =>
      s
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean),
    )
    .refine((l) => l.every(proxyEntry), 'comma-separated IP addresses or CIDR blocks'),
  // Carriers: real endpoints when unset; the simulator in development and tests.
  TWILIO_ACCOUNT_SID: z
    .string()
    .optional()
    .describe('Twilio account SID of the send workers; unset (or no token): SMS pages fail `no_carrier`.'),
  TWILIO_AUTH_TOKEN: z
    .string()
    .optional()
    .describe(
      "Twilio auth token (secret): the send workers' credentials and the key of the webhook signatures; unset: the " +
        'Twilio webhooks answer 503 `webhook_not_configured`.',
    ),
  TWILIO_BASE_URL: z
    .string()
    .optional()
    .describe(
      "Twilio API base URL; unset: the real Twilio API (the carrier simulator's URL in development and tests).",
    ),
  SENDGRID_API_KEY: z
    .string()
    .optional()
    .describe(
      "SendGrid API key (secret) of campaign e-mails and of the platform's own notices; unset: e-mail pages fail " +
        '`no_carrier` and notices are only recorded (platform_emails), not sent.',
    ),
  SENDGRID_BASE_URL: z
    .string()
    .optional()
    .describe(
      "SendGrid API base URL; unset: the real SendGrid API (the carrier simulator's URL in development and tests).",
    ),
  SENDGRID_WEBHOOK_PUBLIC_KEY: z
    .string()
    .optional()
    .describe(
      "Public key that verifies SendGrid's signed event webhook; unset: the webhook answers 503 " +
        '`webhook_not_configured`.',
    ),
  PLATFORM_EMAIL_FROM: z
    .string()
    .default('legal@tentacle.example')
    .describe("Sender of the platform's contractual e-mails (formal notices, terms changes, confirmations)."),
  // Send path (INGEST): defaults when a send names no sender, the per-account token bucket of
  // the send endpoints (10.3 iv), upload quotas.
  SMS_DEFAULT_SENDER: z.string().default('Tentacle').describe('SMS sender when a send names none.'),
  EMAIL_DEFAULT_FROM: z.string().default('no-reply@tentacle.example').describe('E-mail sender when a send names none.'),
  SEND_RATE_PER_SECOND: z.coerce
    .number()
    .positive()
    .default(20)
    .describe(
      'Per-account token bucket of the send endpoints (10.3 iv): requests per second refilled; beyond it 429 ' +
        '`rate_limited`.',
    ),
  SEND_RATE_BURST: z.coerce
    .number()
    .int()
    .min(1)
    .default(100)
    .describe('Per-account token bucket of the send endpoints: burst size.'),
  UPLOAD_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(2 * 1024 ** 3)
    .describe('Largest recipient CSV upload, in bytes (2 GiB).'),
  MAX_CAMPAIGN_RECIPIENTS: z.coerce
    .number()
    .int()
    .min(1)
    .default(10_000_000)
    .describe('Most recipients in one campaign.'),
  SEND_TASK_QUEUE: z
    .string()
    .optional()
    .describe(
      'Task queue of the page activities of campaigns started by the API, instead of send-sms / send-email (tests).',
    ),
  SINGLE_SEND_TASK_QUEUE: z
    .string()
    .optional()
    .describe(
      'Task queue (lane) of single sends: the dispatch activities, polled by the send worker apart from ' +
        'campaign pages. Default send-single, or <SEND_TASK_QUEUE>-single when that is set (tests).',
    ),
  SINGLE_SEND_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(100)
    .describe("Carrier requests in flight per send worker for single sends, apart from the campaigns' share."),
  SEND_WORKER_LANES: z
    .enum(['all', 'campaigns', 'single'])
    .default('all')
    .describe(
      'What a send worker polls: campaign pages and the single-send lane (all), or only one of them. A ' +
        'worker of its own for single sends keeps its event loop, carrier connections and database pool ' +
        "apart from a campaign's load (npm start and bench:single run one of each).",
    ),
  SINGLE_SEND_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000)
    .default(100)
    .describe('Single messages claimed by one dispatch activity at most (it leaves with what is queued).'),
  // Send path (ENGINE): carrier requests in flight per send worker (= keep-alive connections),
  // page activities in flight per campaign, messages/s per SMS sender per worker (0 = no limit).
  SEND_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(500)
    .describe('Carrier requests in flight per send worker (= its keep-alive connections).'),
  SEND_WINDOW_PAGES: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(12)
    .describe("Page activities in flight per campaign (the campaign workflow's sliding window)."),
  SMS_SENDER_MPS: z.coerce
    .number()
    .min(0)
    .default(0)
    .describe('SMS per second per sender, per send worker (divide by the number of workers); 0 = no limit.'),
  // Page leases (activities/sending/lease.ts): an attempt submits only while its lease on its
  // messages is valid by its own clock, less the margin; a retry takes them over once it expired.
  // Keep the TTL within the campaign's page heartbeat timeout (20 s) so a retry rarely waits.
  SEND_LEASE_TTL_MS: z.coerce
    .number()
    .int()
    .min(200)
    .max(600_000)
    .default(15_000)
    .describe(
      "Lease of a page attempt on its messages (renewed every quarter of it); within the pages' heartbeat " +
        'timeout (20 s).',
    ),
  SEND_LEASE_MARGIN_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(3_000)
    .describe(
      'Safety margin of a lease: an attempt stops submitting this long before its lease expires (at most half ' +
        'the TTL).',
    ),
  SMS_OPT_OUT_MENTION: z
    .string()
    .default('STOP au 36180')
    .describe('Opt-out mention appended to French marketing SMS.'),
  // 10.3 (unsolicited e-mail): a campaign whose recipients' spam complaints exceed this share of
  // its messages, once at least COMPLAINT_MIN_COUNT complaints are in, opens a breach case.
  // 0.3% is the rate mailbox providers enforce on bulk senders.
  COMPLAINT_RATE_THRESHOLD: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.003)
    .describe(
      "10.3: share of a campaign's messages whose spam complaints open a `complaint_rate` case (0.3%, the rate " +
        'mailbox providers enforce).',
    ),
  COMPLAINT_MIN_COUNT: z.coerce
    .number()
    .int()
    .min(1)
    .default(5)
    .describe('10.3: complaints a campaign must have before its rate is judged.'),
  // Observability (docs/ARCHITECTURE.md, Observability): Prometheus metrics of every process.
  METRICS_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe(
      'Bearer token (secret) that GET /metrics of the API and of the workers requires when set; unset: /metrics ' +
        'answers anyone who reaches the port (the API and the workers listen on loopback by default).',
    ),
  METRICS_HOST: z
    .string()
    .default('127.0.0.1')
    .describe("Address the workers' metrics servers listen on (`0.0.0.0` for a Prometheus on another host)."),
  LIFECYCLE_WORKER_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(9464)
    .describe("Port of the lifecycle worker's GET /metrics (0: any free port, logged at start)."),
  SEND_WORKER_METRICS_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(9465)
    .describe(
      "Port of the send worker's GET /metrics (0: any free port, logged at start); give each send worker of a " +
        'host its own.',
    ),
  CARRIER_SLOW_WARN_SECONDS: z.coerce
    .number()
    .positive()
    .default(10)
    .describe('A carrier request unanswered for this many seconds is logged once at warn (and counted).'),
  // Status reconciliation (workflows/status-reconciliation.ts): what the carriers' webhook retries
  // did not bring is fetched (Twilio) or, past SendGrid's 24 h retry horizon, marked unknown.
  STATUS_RECONCILE_INTERVAL_MINUTES: z.coerce
    .number()
    .min(0.05)
    .max(1440)
    .default(5)
    .describe('Minutes between two passes of the status reconciliation (one workflow per channel; fractions allowed).'),
  STATUS_RECONCILE_AFTER_MINUTES: z.coerce
    .number()
    .min(0.05)
    .default(10)
    .describe(
      "Minutes after its submission with no final delivery report before an SMS's status is fetched from Twilio " +
        '(fractions allowed).',
    ),
  STATUS_UNKNOWN_AFTER_HOURS: z.coerce
    .number()
    .int()
    .min(25)
    .default(25)
    .describe(
      'Hours after its submission with no final report before a message is marked `unknown` (e-mails: SendGrid ' +
        'has no status lookup and retries its events for 24 h; SMS Twilio still does not report final).',
    ),
  STATUS_RECONCILE_LOOKBACK_DAYS: z.coerce
    .number()
    .int()
    .min(2)
    .default(7)
    .describe('Submitted messages older than this many days are no longer looked at by the status reconciliation.'),
  STATUS_RECONCILE_BATCH: z.coerce
    .number()
    .int()
    .min(1)
    .max(5000)
    .default(200)
    .describe('Messages per activity of the status reconciliation (each its own keyset page).'),
  // Billing: payment-provider webhook HMAC secret and replay window; the plan a Subscription
  // starts on at registration (commercial figures, changed per account by billing staff).
  PAYMENT_WEBHOOK_SECRET: z
    .string()
    .min(16)
    .default('dev-payment-webhook-secret-change-me')
    .describe("HMAC secret of the payment provider's webhook (at least 16 characters; set it in production)."),
  PAYMENT_WEBHOOK_TOLERANCE_SEC: z.coerce
    .number()
    .int()
    .min(1)
    .default(300)
    .describe("Replay window of the payment webhook's signed timestamp, in seconds."),
  SUBSCRIPTION_MONTHLY_FEE_CENTS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'Monthly fee (cents, excl. VAT) of the plan a Subscription starts on at registration; billing staff set it per ' +
        'account.',
    ),
  SUBSCRIPTION_MONTHLY_PREPAID_CENTS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Monthly prepaid amount (cents, excl. VAT) of the plan a Subscription starts on at registration.'),
  // Outbound webhooks (docs/webhooks.md).
  WEBHOOK_ALLOW_LOOPBACK: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe(
      'Allow customer webhook endpoints on loopback addresses (and over http there): development and tests ' +
        'only. Private, link-local and metadata addresses are always refused (SSRF).',
    ),
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(10_000)
    .describe('How long a webhook delivery waits for the answer; a timeout is retried like a 5xx.'),
  WEBHOOK_WINDOW: z.coerce
    .number()
    .int()
    .min(1)
    .max(32)
    .default(4)
    .describe("Delivery activities in flight per endpoint (the dispatcher workflow's window)."),
  WEBHOOK_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .describe('Events claimed by one delivery activity at most (posted concurrently, 16 at a time).'),
});

export type Config = z.infer<typeof schema>;

/** Every variable with its default and description: docs/configuration.md (`npm run config:doc`). */
export const configSchema = schema;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  if (parsed.data.SEND_LEASE_MARGIN_MS * 2 > parsed.data.SEND_LEASE_TTL_MS)
    throw new Error('invalid configuration: SEND_LEASE_MARGIN_MS: at most half of SEND_LEASE_TTL_MS');
  return parsed.data;
}

export function requireDatabaseUrl(config: Config): string {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start sets it to the embedded Postgres)');
  return config.DATABASE_URL;
}
