// SendGrid v3 Mail Send and the signed Event Webhook, shaped like the real service so
// @sendgrid/mail and our webhook handler see what production would send them.
import { randomBytes, sign } from 'node:crypto';
import { normaliseEmail } from '../domain/email';
import { pickWeighted, sampleLatency } from './config';
import { json, type SimContext, type SimResponse } from './context';
import type { SimRecord } from './state';

const HELP = 'http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html';
const MAX_PERSONALIZATIONS = 1000;

interface FieldError {
  message: string;
  field: string | null;
  help: string | null;
}

interface MailSendBody {
  personalizations?: { to?: { email?: string }[]; subject?: string; custom_args?: Record<string, string> }[];
  from?: { email?: string };
  subject?: string;
  content?: { type?: string; value?: string }[];
  template_id?: string;
  custom_args?: Record<string, string>;
}

function errors(status: number, list: FieldError[], headers: Record<string, string> = {}): SimResponse {
  return json(status, { errors: list }, headers);
}

function refuse(ctx: SimContext, status: number, list: FieldError[], headers?: Record<string, string>): SimResponse {
  ctx.state.reject(`sendgrid:${status}`);
  return errors(status, list, headers);
}

/** A 22-character id like SendGrid's X-Message-Id. */
function messageId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

function validate(mail: MailSendBody): FieldError[] {
  const found: FieldError[] = [];
  const ps = mail.personalizations;
  if (!Array.isArray(ps) || ps.length === 0) {
    found.push({
      message: 'The personalizations field is required and must have at least one personalization.',
      field: 'personalizations',
      help: `${HELP}#-Personalizations-Errors`,
    });
  } else if (ps.length > MAX_PERSONALIZATIONS) {
    found.push({
      message: `The personalizations field cannot have more than ${MAX_PERSONALIZATIONS} items.`,
      field: 'personalizations',
      help: `${HELP}#-Personalizations-Errors`,
    });
  } else {
    ps.forEach((p, i) => {
      if (!Array.isArray(p.to) || p.to.length === 0) {
        found.push({
          message:
            'The to array is required for all personalization objects, and must have at least one ' +
            'email object with a valid email address.',
          field: `personalizations.${i}.to`,
          help: `${HELP}#message.personalizations.to`,
        });
        return;
      }
      p.to.forEach((to, j) => {
        if (typeof to?.email !== 'string' || !normaliseEmail(to.email).ok) {
          found.push({
            message: 'Does not contain a valid address.',
            field: `personalizations.${i}.to.${j}.email`,
            help: `${HELP}#message.personalizations.to`,
          });
        }
      });
    });
  }
  if (!mail.from || typeof mail.from.email !== 'string') {
    found.push({
      message:
        'The from object must be provided for every email send. It is an object that requires the ' +
        'email parameter, but may also contain a name parameter.',
      field: 'from',
      help: `${HELP}#message.from`,
    });
  } else if (!normaliseEmail(mail.from.email).ok) {
    found.push({
      message: 'The from email does not contain a valid address.',
      field: 'from.email',
      help: `${HELP}#message.from`,
    });
  }
  if (!mail.template_id) {
    const everySubject =
      Array.isArray(ps) && ps.length > 0 && ps.every((p) => typeof p.subject === 'string' && p.subject !== '');
    if (!mail.subject && !everySubject) {
      found.push({
        message:
          'The subject is required. You can get around this requirement if you use a template with a ' +
          'subject defined or if every personalization has a subject defined.',
        field: 'subject',
        help: `${HELP}#message.subject`,
      });
    }
    if (!Array.isArray(mail.content) || mail.content.length === 0 || mail.content.some((c) => !c?.type || !c.value)) {
      found.push({
        message:
          'Unless a valid template_id is provided, the content parameter is required. There must be ' +
          'at least one defined content block. We typically suggest both text/plain and text/html ' +
          'blocks are included, but only one block is required.',
        field: 'content',
        help: `${HELP}#message.content`,
      });
    }
  }
  return found;
}

export function sendMail(ctx: SimContext, authorization: string | undefined, rawBody: string): SimResponse {
  ctx.state.requests.sendgrid += 1;
  const cfg = ctx.config.sendgrid;
  if (authorization !== ctx.sendgrid.bearerAuth) {
    return refuse(ctx, 401, [
      { message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null },
    ]);
  }
  const now = Date.now();
  if (Math.random() < cfg.rateLimitedRate) return rateLimited(ctx, cfg.requestsPerSecond ?? 600, now);
  if (Math.random() < cfg.serverErrorRate) {
    return refuse(ctx, 500, [{ message: 'An internal server error occurred.', field: null, help: null }]);
  }
  if (cfg.requestsPerSecond !== null && !ctx.rates.take('sendgrid', cfg.requestsPerSecond, now).allowed) {
    return rateLimited(ctx, cfg.requestsPerSecond, now);
  }

  let mail: MailSendBody;
  try {
    mail = JSON.parse(rawBody) as MailSendBody;
  } catch {
    return refuse(ctx, 400, [{ message: 'Bad Request', field: null, help: null }]);
  }
  const invalid = validate(mail ?? {});
  if (invalid.length > 0) return refuse(ctx, 400, invalid);

  const xMessageId = messageId();
  const accepted: { record: SimRecord; customArgs: Record<string, string> }[] = [];
  for (const p of mail.personalizations!) {
    const customArgs = { ...mail.custom_args, ...p.custom_args };
    for (const to of p.to!) {
      const record: SimRecord = {
        channel: 'email',
        mid: customArgs.mid ?? null,
        carrierId: xMessageId,
        to: to.email!,
        from: mail.from!.email!,
        messagingServiceSid: null,
        body: p.subject ?? mail.subject ?? null,
        segments: 1,
        status: 'processed',
        errorCode: null,
        acceptedAt: now,
        sentAt: now,
        updatedAt: now,
      };
      ctx.state.accept(record, ctx.config.maxRecords);
      accepted.push({ record, customArgs });
    }
  }
  scheduleEvents(ctx, xMessageId, accepted);
  return { status: 202, headers: { 'X-Message-Id': xMessageId, 'Content-Length': '0' } };
}

function rateLimited(ctx: SimContext, limit: number, nowMs: number): SimResponse {
  return refuse(ctx, 429, [{ message: 'too many requests', field: null, help: null }], {
    'X-RateLimit-Limit': String(limit),
    'X-RateLimit-Remaining': '0',
    'X-RateLimit-Reset': String(Math.floor(nowMs / 1000) + 1),
  });
}

type Outcome = 'delivered' | 'bounce' | 'dropped' | 'spamreport' | 'unsubscribe';

function scheduleEvents(
  ctx: SimContext,
  xMessageId: string,
  accepted: { record: SimRecord; customArgs: Record<string, string> }[],
): void {
  const cfg = ctx.config;
  const outcomes = accepted.map(({ record }): Outcome => {
    const email = record.to.toLowerCase();
    if (ctx.sets.bouncedEmails.has(email)) return 'bounce';
    if (ctx.sets.unsubscribedEmails.has(email)) return 'dropped';
    return pickWeighted(cfg.sendgrid.outcomes);
  });
  const settle = () => {
    const at = Date.now();
    accepted.forEach(({ record }, i) => {
      record.status = outcomes[i];
      record.updatedAt = at;
    });
  };
  if (!cfg.callbacks.enabled || !cfg.sendgrid.eventWebhookUrl) {
    settle();
    return;
  }
  ctx.scheduledCallbacks += 1;
  ctx.later(sampleLatency(cfg.callbacks.delay), () => {
    ctx.scheduledCallbacks -= 1;
    settle();
    const timestamp = Math.floor(Date.now() / 1000);
    const events: object[] = [];
    accepted.forEach(({ record, customArgs }, i) => {
      const base = (event: string, extra: object = {}) => ({
        ...customArgs, // echoed as top-level fields, as SendGrid does; ours never override its own
        email: record.to,
        timestamp,
        'smtp-id': `<${xMessageId}.${i}@sim.sendgrid.net>`,
        event,
        sg_event_id: messageId(),
        sg_message_id: `${xMessageId}.sim.${i}`,
        ...extra,
      });
      const outcome = outcomes[i];
      if (outcome === 'dropped') {
        events.push(base('dropped', { reason: 'Unsubscribed Address' }));
        return;
      }
      if (cfg.callbacks.intermediate) events.push(base('processed'));
      if (outcome === 'bounce') {
        events.push(
          base('bounce', {
            reason: '550 5.1.1 The email account that you tried to reach does not exist.',
            status: '5.1.1',
            type: 'bounce',
            bounce_classification: 'Invalid Address',
          }),
        );
        return;
      }
      events.push(base('delivered', { response: '250 OK', ip: '127.0.0.1' }));
      if (outcome === 'spamreport' || outcome === 'unsubscribe') events.push(base(outcome));
    });
    ctx.events.add(events);
  });
}

/** Headers of a signed Event Webhook POST: ECDSA P-256 / SHA-256 over timestamp + payload. */
export function signEvents(ctx: SimContext, payload: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = sign('sha256', Buffer.from(timestamp + payload, 'utf8'), ctx.sendgrid.privateKey).toString(
    'base64',
  );
  return {
    'Content-Type': 'application/json',
    'X-Twilio-Email-Event-Webhook-Signature': signature,
    'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
  };
}
