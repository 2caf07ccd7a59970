// The real @sendgrid/mail client, as a fresh MailService (never the module's shared singleton,
// so two configurations can live in one process), optionally pointed at the simulator.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { MailService } from '@sendgrid/mail';
import { defaultCarrierWatch, statusOutcome, type CarrierWatch } from '../../lib/metrics/carrier-watch';

export interface SendGridClientOptions {
  apiKey: string;
  /** Where https://api.sendgrid.com requests go instead (the simulator), e.g. http://127.0.0.1:4010/ */
  baseUrl?: string;
  /** Concurrent keep-alive sockets. */
  maxSockets?: number;
  timeoutMs?: number;
  /** Latency, in-flight and slow-answer watch of every request (lib/metrics/carrier-watch.ts). */
  watch?: CarrierWatch;
}

export type SendGridClient = MailService & { close(): void };

// MailService keeps its @sendgrid/client in `client`; its typings do not list it.
interface SendGridRequestDefaults {
  client: {
    setDefaultRequest(key: string, value: unknown): unknown;
    request(req: {
      method: 'POST';
      url: string;
      body: unknown;
    }): Promise<[{ statusCode: number; headers: Record<string, unknown> }, unknown]>;
  };
}

/**
 * Every request of the client (send() and postMailSend() both end in client.request) through the
 * watch: a 2xx resolves; an HTTP error rejects with `code` = its status; axios names a timeout.
 */
function observeRequests(client: SendGridRequestDefaults['client'], watch: CarrierWatch): void {
  type Request = SendGridRequestDefaults['client']['request'];
  type Answer = Awaited<ReturnType<Request>>;
  const request = client.request.bind(client);
  const observed = (req: Parameters<Request>[0], cb?: (err: unknown, answer: Answer | null) => void) => {
    const answer = watch.observe(
      () => `${req.method} ${req.url}`,
      () => request(req),
      ([response]) => statusOutcome(response.statusCode),
      (e) => {
        const { code } = e as { code?: unknown };
        if (typeof code === 'number') return statusOutcome(code);
        return code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'timeout' : 'error';
      },
    );
    // send() passes its callback through, as @sendgrid/client's request(data, cb) takes it.
    return cb
      ? answer.then(
          (a) => cb(null, a),
          (e: unknown) => cb(e, null),
        )
      : answer;
  };
  client.request = observed as Request;
}

/** SendGrid refuses more than 1,000 personalizations in one request. */
const SENDGRID_MAX_PERSONALIZATIONS = 1000;

export function createSendGridClient(options: SendGridClientOptions): SendGridClient {
  const mail = new MailService();
  // setApiKey() resets the base URL to the region's host: the override must come after it.
  mail.setApiKey(options.apiKey);
  const { client } = mail as unknown as SendGridRequestDefaults;
  if (options.baseUrl) client.setDefaultRequest('baseUrl', options.baseUrl);
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  client.setDefaultRequest('httpAgent', httpAgent); // passed through to axios
  client.setDefaultRequest('httpsAgent', httpsAgent);
  if (options.timeoutMs) mail.setTimeout(options.timeoutMs);
  observeRequests(client, options.watch ?? defaultCarrierWatch('sendgrid'));
  return Object.assign(mail, {
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

export interface BulkEmailRecipient {
  email: string;
  /** Our message id, echoed by SendGrid in every event of this recipient as `mid`. */
  mid: string;
  name?: string;
  /** This recipient's subject (a campaign's subject rendered with its variables). */
  subject?: string;
  /** Values for {{key}} placeholders in subject and content. */
  substitutions?: Record<string, string>;
}

export interface BulkEmail {
  from: { email: string; name?: string };
  /** For every recipient that has none. */
  subject?: string;
  text?: string;
  html?: string;
  recipients: readonly BulkEmailRecipient[];
  /** Added to every recipient's custom_args (e.g. campaign id). */
  customArgs?: Record<string, string>;
}

/** The v3 /mail/send body as SendGrid documents it (snake_case keys). */
export interface MailSendBody {
  from: { email: string; name?: string };
  /** For every personalization that sets none. */
  subject?: string;
  content: { type: string; value: string }[];
  personalizations: {
    to: { email: string; name?: string }[];
    subject?: string;
    custom_args?: Record<string, string>;
    /** Keys as they appear in the content, e.g. "{{name}}". */
    substitutions?: Record<string, string>;
  }[];
}

/**
 * The body of one request (the send path's, posted with postMailSend): one personalization per
 * recipient, each carrying custom_args.mid.
 */
export function buildBulkEmail(email: BulkEmail): MailSendBody {
  const count = email.recipients.length;
  if (count === 0 || count > SENDGRID_MAX_PERSONALIZATIONS) {
    throw new RangeError(`a SendGrid request takes 1 to ${SENDGRID_MAX_PERSONALIZATIONS} recipients, got ${count}`);
  }
  if (!email.text && !email.html) throw new RangeError('an e-mail needs text or html content');
  const content: { type: string; value: string }[] = [];
  if (email.text) content.push({ type: 'text/plain', value: email.text });
  if (email.html) content.push({ type: 'text/html', value: email.html });
  return {
    from: email.from,
    subject: email.subject,
    content,
    personalizations: email.recipients.map((r) => ({
      to: [{ email: r.email, ...(r.name ? { name: r.name } : {}) }],
      ...(r.subject !== undefined ? { subject: r.subject } : {}),
      custom_args: { ...email.customArgs, mid: r.mid },
      ...(r.substitutions ? { substitutions: r.substitutions } : {}),
    })),
  };
}

/**
 * Posts a ready v3 body through the client's own HTTP layer (@sendgrid/client's request(), which
 * send() ends in), without @sendgrid/helpers' Mail class: for 1,000 personalizations its deep
 * clone and key conversions were a fifth of the send worker's CPU per e-mail. Failures are the
 * same ResponseError (with `code` = HTTP status) as send()'s.
 */
export async function postMailSend(
  mail: MailService,
  body: MailSendBody,
): Promise<{ statusCode: number; messageId: string | undefined }> {
  const { client } = mail as unknown as SendGridRequestDefaults;
  const [response] = await client.request({ method: 'POST', url: '/v3/mail/send', body });
  const id = response.headers['x-message-id'] as string | string[] | undefined;
  return { statusCode: response.statusCode, messageId: Array.isArray(id) ? id[0] : id };
}
