// Typed configuration read once from the environment. Secrets are never logged: `describe()`
// prints what is safe to print.
import { isIP } from 'node:net';
import { z } from 'zod';

// An address, a CIDR block, or one of Express's names for a range (proxy-addr).
const proxyEntry = (e: string) => {
  const [addr, bits, extra] = e.split('/');
  if (['loopback', 'linklocal', 'uniquelocal'].includes(e)) return true;
  const v = isIP(addr);
  return v !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128)));
};

const schema = z.object({
  NODE_ENV: z.string().default('development'),
  DATABASE_URL: z.string().optional(),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  // Overridable so that tests sharing one server never steal each other's tasks.
  LIFECYCLE_TASK_QUEUE: z.string().default('lifecycle'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_BASE_URL: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.string().default('1mb'),
  // The reverse proxies whose X-Forwarded-For the API believes (Express 'trust proxy'), comma-
  // separated addresses or CIDRs, e.g. `10.0.0.5,10.1.0.0/16`. None by default: the client's IP
  // (login throttling, audit log) is then the socket's peer, which no local process can forge by
  // sending the header. Set it to the load balancer's addresses when the API runs behind one.
  TRUST_PROXY: z.string().default('')
    .transform((s) => s.split(',').map((e) => e.trim()).filter(Boolean))
    .refine((l) => l.every(proxyEntry), 'comma-separated IP addresses or CIDR blocks'),
  // Carriers: real endpoints when unset; the simulator in development and tests.
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_BASE_URL: z.string().optional(),
  SENDGRID_API_KEY: z.string().optional(),
  SENDGRID_BASE_URL: z.string().optional(),
  SENDGRID_WEBHOOK_PUBLIC_KEY: z.string().optional(),
  PLATFORM_EMAIL_FROM: z.string().default('legal@tentacle.example'),
  // Send path (INGEST): defaults when a send names no sender, the per-account token bucket of
  // the send endpoints (10.3 iv), upload quotas.
  SMS_DEFAULT_SENDER: z.string().default('Tentacle'),
  EMAIL_DEFAULT_FROM: z.string().default('no-reply@tentacle.example'),
  SEND_RATE_PER_SECOND: z.coerce.number().positive().default(20),
  SEND_RATE_BURST: z.coerce.number().int().min(1).default(100),
  UPLOAD_LIMIT_BYTES: z.coerce.number().int().min(1).default(2 * 1024 ** 3),
  MAX_CAMPAIGN_RECIPIENTS: z.coerce.number().int().min(1).default(10_000_000),
  SEND_TASK_QUEUE: z.string().optional(), // campaigns started by the API use it instead of send-sms/send-email (tests)
  // Send path (ENGINE): carrier requests in flight per send worker (= keep-alive connections),
  // page activities in flight per campaign, messages/s per SMS sender per worker (0 = no limit).
  SEND_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(500),
  SEND_WINDOW_PAGES: z.coerce.number().int().min(1).max(256).default(12),
  SMS_SENDER_MPS: z.coerce.number().min(0).default(0),
  SMS_OPT_OUT_MENTION: z.string().default('STOP au 36180'),
  // 10.3 (unsolicited e-mail): a campaign whose recipients' spam complaints exceed this share of
  // its messages, once at least COMPLAINT_MIN_COUNT complaints are in, opens a breach case.
  // 0.3% is the rate mailbox providers enforce on bulk senders.
  COMPLAINT_RATE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.003),
  COMPLAINT_MIN_COUNT: z.coerce.number().int().min(1).default(5),
  // Billing: payment-provider webhook HMAC secret and replay window; the plan a Subscription
  // starts on at registration (commercial figures, changed per account by billing staff).
  PAYMENT_WEBHOOK_SECRET: z.string().min(16).default('dev-payment-webhook-secret-change-me'),
  PAYMENT_WEBHOOK_TOLERANCE_SEC: z.coerce.number().int().min(1).default(300),
  SUBSCRIPTION_MONTHLY_FEE_CENTS: z.coerce.number().int().min(0).default(0),
  SUBSCRIPTION_MONTHLY_PREPAID_CENTS: z.coerce.number().int().min(0).default(0),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

export function requireDatabaseUrl(config: Config): string {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start sets it to the embedded Postgres)');
  return config.DATABASE_URL;
}
