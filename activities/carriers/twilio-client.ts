// The real twilio-node client with its HTTP layer replaced by an undici Pool: keep-alive
// connections and bounded concurrency. The default axios client tops out around 3,300 req/s
// whatever the concurrency (docs/ARCHITECTURE.md, carrier clients); this one scales with `connections`.
import twilio from 'twilio';
import { Pool, type Dispatcher } from 'undici';
import { guarded, submissionGuard } from './submission-guard';
import { defaultCarrierWatch, statusOutcome, type CarrierWatch } from '../../lib/metrics/carrier-watch';

// twilio-node's Response shape (lib/http/response) and RequestClient.request options.
interface TwilioHttpResponse {
  statusCode: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}
type TwilioRequestOptions = Parameters<twilio.RequestClient['request']>[0];

export interface TwilioClientOptions {
  accountSid: string;
  authToken: string;
  /** Where https://*.twilio.com requests go instead (the simulator), e.g. http://127.0.0.1:4010 */
  baseUrl?: string;
  /** Concurrent keep-alive connections per origin. */
  connections: number;
  /** Request timeout when twilio-node gives none. */
  timeoutMs?: number;
  /** Latency, in-flight and slow-answer watch of every request (lib/metrics/carrier-watch.ts). */
  watch?: CarrierWatch;
}

export type TwilioClient = twilio.Twilio & { close(): Promise<void> };

// Hop-by-hop headers are undici's business (it rejects some of them).
const DROPPED_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

function toSearchParams(values: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    // twilio-node serialises arrays as repeated keys (qs arrayFormat "repeat").
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  return search.toString();
}

class UndiciTwilioHttpClient {
  private readonly pools = new Map<string, { pool: Pool; dispatcher: Dispatcher }>();
  private readonly baseOrigin: string | null;
  private basic: { pair: string; header: string } | null = null;

  constructor(
    private readonly connections: number,
    baseUrl?: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.baseOrigin = baseUrl ? new URL(baseUrl).origin : null;
  }

  async request(opts: TwilioRequestOptions): Promise<TwilioHttpResponse> {
    // Split by hand rather than with two URL parses a request: origin (or the base URL's) + path.
    const uri = opts.uri;
    const slash = uri.indexOf('/', uri.indexOf('//') + 2);
    const origin = this.baseOrigin ?? (slash < 0 ? uri : uri.slice(0, slash));
    let path = slash < 0 ? '/' : uri.slice(slash);
    if (opts.params) {
      const extra = toSearchParams(opts.params);
      if (extra) path += (path.includes('?') ? '&' : '?') + extra;
    }

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      if (value !== undefined && !DROPPED_HEADERS.has(name.toLowerCase())) headers[name] = String(value);
    }
    if (opts.username && opts.password) {
      const pair = `${opts.username}:${opts.password}`;
      if (this.basic?.pair !== pair) this.basic = { pair, header: `Basic ${Buffer.from(pair).toString('base64')}` };
      headers.Authorization = this.basic.header;
    } else if (opts.authStrategy) {
      headers.Authorization = await opts.authStrategy.getAuthString();
    }

    let body: string | undefined;
    if (opts.data) {
      const type = headers['Content-Type'];
      body = type === 'application/json' ? JSON.stringify(opts.data) : toSearchParams(opts.data as object);
    }

    const timeout = opts.timeout ?? this.timeoutMs;
    // guarded: a page attempt's lease is checked again when the request is written (submission-guard.ts).
    const response = await this.pool(origin).request(
      guarded({
        method: opts.method.toUpperCase() as 'GET',
        path,
        headers,
        body,
        // Twilio's answers are small JSON documents: the time to the headers plus the time between
        // body chunks bound the exchange as axios' timeout did, without an AbortSignal and its timer
        // per request (5% of the client's CPU per message, measured).
        headersTimeout: timeout,
        bodyTimeout: timeout,
      }),
    );
    // Always read the body: an unread body keeps the connection busy.
    const text = await response.body.text();
    return { statusCode: response.statusCode, body: text, headers: response.headers };
  }

  private pool(origin: string): Dispatcher {
    let entry = this.pools.get(origin);
    if (!entry) {
      const pool = new Pool(origin, { connections: this.connections, keepAliveTimeout: 30_000, pipelining: 1 });
      entry = { pool, dispatcher: pool.compose(submissionGuard) };
      this.pools.set(origin, entry);
    }
    return entry.dispatcher;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.pool.close()));
  }
}

const UNDICI_TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

export function createTwilioClient(options: TwilioClientOptions): TwilioClient {
  const http = new UndiciTwilioHttpClient(options.connections, options.baseUrl, options.timeoutMs);
  const watch = options.watch ?? defaultCarrierWatch('twilio');
  const observed = {
    request: (opts: TwilioRequestOptions) =>
      watch.observe(
        () => `${opts.method.toUpperCase()} ${opts.uri.replace(/^https?:\/\/[^/]+/, '')}`,
        () => http.request(opts),
        (r) => statusOutcome(r.statusCode),
        (e) => (UNDICI_TIMEOUTS.has((e as { code?: string }).code ?? '') ? 'timeout' : 'error'),
      ),
  };
  const client = twilio(options.accountSid, options.authToken, {
    // twilio-node only calls request(); the class type also lists axios internals we replace.
    httpClient: observed as unknown as twilio.RequestClient,
    autoRetry: false, // retries are the send activity's decision
  });
  return Object.assign(client, { close: () => http.close() });
}
