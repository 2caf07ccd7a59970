// Twilio Programmable Messaging, the parts twilio-node uses to send SMS: create a message,
// fetch one, list them. Shapes follow the real API (2010-04-01) so the real client parses them.
import { randomUUID } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { smsSegments } from '../domain/sms-segments';
import { pickWeighted, sampleLatency } from './config';
import { json, type SimContext, type SimResponse } from './context';
import type { SimRecord } from './state';
import { twilioRetry } from './webhooks';

const API = '2010-04-01';
const E164 = /^\+[1-9]\d{6,14}$/;

export const TWILIO_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages(?:\/([^/]+))?\.json$/;

export function twilioError(status: number, code: number, message: string): SimResponse {
  return json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

// Formatting dates is a visible cost at 10,000 req/s: reuse the string within a second.
let cachedSecond = -1;
let cachedDate = '';
function rfc2822(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = new Date(ms).toUTCString().replace('GMT', '+0000');
  }
  return cachedDate;
}

function messageJson(r: SimRecord, accountSid: string): object {
  const uri = `/${API}/Accounts/${accountSid}/Messages/${r.carrierId}.json`;
  return {
    account_sid: accountSid,
    api_version: API,
    body: r.body,
    date_created: rfc2822(r.acceptedAt),
    date_sent: r.sentAt === null ? null : rfc2822(r.sentAt),
    date_updated: rfc2822(r.updatedAt),
    direction: 'outbound-api',
    error_code: r.errorCode,
    error_message: null,
    from: r.from,
    messaging_service_sid: r.messagingServiceSid,
    num_media: '0',
    num_segments: String(r.segments),
    price: null,
    price_unit: 'USD',
    sid: r.carrierId,
    status: r.status,
    subresource_uris: { media: uri.replace(/\.json$/, '/Media.json') },
    to: r.to,
    uri,
    // NOT in Twilio's API: lets the send path's crash reconciliation match a listed message to our
    // id exactly. Against real Twilio it matches by To + Body + date instead (activities/sending/sms-page.ts).
    status_callback: r.statusCallback ?? null,
  };
}

/** Our message id travels in the StatusCallback URL: ...?mid=<id>. */
function midOf(statusCallback: string | null): string | null {
  if (!statusCallback) return null;
  const m = /[?&]mid=([^&#]*)/.exec(statusCallback);
  return m ? decodeURIComponent(m[1]) : null;
}

function authorised(ctx: SimContext, authorization: string | undefined, pathSid: string): SimResponse | null {
  if (authorization !== ctx.twilio.basicAuth) return twilioError(401, 20003, 'Authenticate');
  if (pathSid !== ctx.twilio.accountSid) {
    return twilioError(404, 20404, `The requested resource /${API}/Accounts/${pathSid}/Messages.json was not found`);
  }
  return null;
}

function refuse(ctx: SimContext, status: number, code: number, message: string): SimResponse {
  ctx.state.reject(`twilio:${code}`);
  return twilioError(status, code, message);
}

export function createMessage(
  ctx: SimContext,
  pathSid: string,
  authorization: string | undefined,
  rawBody: string,
): SimResponse {
  ctx.state.requests.twilio += 1;
  const denied = authorised(ctx, authorization, pathSid);
  if (denied) {
    ctx.state.reject(`twilio:${denied.status === 401 ? 20003 : 20404}`);
    return denied;
  }
  const cfg = ctx.config.twilio;
  const form = new URLSearchParams(rawBody);
  const to = form.get('To');
  const from = form.get('From');
  const serviceSid = form.get('MessagingServiceSid');
  const body = form.get('Body');
  const statusCallback = form.get('StatusCallback');

  // Transient refusals first: they say nothing about the message itself.
  if (Math.random() < cfg.rateLimitedRate) return refuse(ctx, 429, 20429, 'Too Many Requests');
  if (Math.random() < cfg.serverErrorRate) return refuse(ctx, 500, 20500, 'Internal Server Error');

  if (!to) return refuse(ctx, 400, 21604, "A 'To' phone number is required.");
  if (!from && !serviceSid)
    return refuse(ctx, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
  if (!body && !form.get('MediaUrl')) return refuse(ctx, 400, 21602, 'Message body is required.');
  if (!E164.test(to) || ctx.sets.invalidNumbers.has(to)) {
    return refuse(ctx, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
  }
  if (cfg.disabledRegionPrefixes.some((prefix) => to.startsWith(prefix))) {
    return refuse(
      ctx,
      400,
      21408,
      `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}`,
    );
  }
  if (ctx.sets.unsubscribedNumbers.has(to)) return refuse(ctx, 400, 21610, 'Attempt to send to unsubscribed recipient');

  const now = Date.now();
  if (cfg.senderMps !== null && !ctx.rates.take(`twilio:${serviceSid ?? from}`, cfg.senderMps, now).allowed) {
    return refuse(ctx, 429, 20429, 'Too Many Requests');
  }

  const record: SimRecord = {
    channel: 'sms',
    mid: midOf(statusCallback),
    statusCallback,
    carrierId: `SM${randomUUID().replace(/-/g, '')}`,
    to,
    from,
    messagingServiceSid: serviceSid,
    body,
    segments: smsSegments(body ?? '').segments,
    status: 'queued',
    errorCode: null,
    acceptedAt: now,
    sentAt: now,
    updatedAt: now,
  };
  ctx.state.accept(record, ctx.config.maxRecords);
  // Answer with the state at acceptance: a zero-delay callback may move the record on at once.
  const response = json(201, messageJson(record, ctx.twilio.accountSid));
  scheduleStatus(ctx, record, statusCallback);
  return response;
}

function scheduleStatus(ctx: SimContext, record: SimRecord, statusCallback: string | null): void {
  const cfg = ctx.config;
  const outcome = pickWeighted(cfg.twilio.outcomes);
  const errorCode =
    outcome === 'delivered' || cfg.twilio.errorCodes.length === 0
      ? null
      : cfg.twilio.errorCodes[Math.floor(Math.random() * cfg.twilio.errorCodes.length)];
  const settle = () => {
    record.status = outcome;
    record.errorCode = errorCode;
    record.updatedAt = Date.now();
  };
  if (!cfg.callbacks.enabled || !statusCallback) {
    settle(); // nobody to tell: the message is simply done
    return;
  }
  const post = (status: string, code: number | null, onSettled?: () => void) => {
    const params: Record<string, string> = {
      AccountSid: ctx.twilio.accountSid,
      ApiVersion: API,
      MessageSid: record.carrierId,
      MessageStatus: status,
      SmsSid: record.carrierId,
      SmsStatus: status,
      To: record.to,
    };
    if (record.from) params.From = record.from;
    if (record.messagingServiceSid) params.MessagingServiceSid = record.messagingServiceSid;
    if (code !== null) params.ErrorCode = String(code);
    // Twilio signs (and requests) the URL without the fragment, its connection overrides.
    const signedUrl = statusCallback.split('#')[0];
    const { policy, readTimeoutMs } = twilioRetry(statusCallback, () => ctx.config.callbacks);
    ctx.webhooks.push({
      url: statusCallback,
      body: new URLSearchParams(params).toString(),
      headers: () => ({
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Twilio-Signature': getExpectedTwilioSignature(ctx.twilio.authToken, signedUrl, params),
      }),
      onSettled,
      retry: policy,
      readTimeoutMs,
    });
  };
  ctx.scheduledCallbacks += 1;
  ctx.later(sampleLatency(cfg.callbacks.delay), () => {
    ctx.scheduledCallbacks -= 1;
    if (cfg.callbacks.intermediate) {
      record.status = 'sent';
      // The final status leaves only once "sent" is settled, so the receiver sees them in order.
      post('sent', null, () => {
        settle();
        post(outcome, errorCode);
      });
    } else {
      settle();
      post(outcome, errorCode);
    }
  });
}

export function fetchMessage(
  ctx: SimContext,
  pathSid: string,
  messageSid: string,
  authorization: string | undefined,
): SimResponse {
  const denied = authorised(ctx, authorization, pathSid);
  if (denied) return denied;
  const record = ctx.state.bySid.get(messageSid);
  if (!record) {
    return twilioError(
      404,
      20404,
      `The requested resource /${API}/Accounts/${pathSid}/Messages/${messageSid}.json was not found`,
    );
  }
  return json(200, messageJson(record, ctx.twilio.accountSid));
}

/** List, newest first, filtered by To, From, DateSent (same UTC day), DateSent< and DateSent>. */
export function listMessages(
  ctx: SimContext,
  pathSid: string,
  authorization: string | undefined,
  query: string,
): SimResponse {
  const denied = authorised(ctx, authorization, pathSid);
  if (denied) return denied;
  const q = new URLSearchParams(query);
  const to = q.get('To');
  const from = q.get('From');
  const sentOn = q.get('DateSent')?.slice(0, 10);
  const before = q.get('DateSent<');
  const after = q.get('DateSent>');
  const beforeMs = before ? Date.parse(before) : null;
  const afterMs = after ? Date.parse(after) : null;
  const pageSize = Math.min(1000, Math.max(1, Number(q.get('PageSize') ?? 50) || 50));
  const page = Math.max(0, Number(q.get('Page') ?? 0) || 0);

  const matches: SimRecord[] = [];
  const all = ctx.state.records;
  for (let i = all.length - 1; i >= 0; i -= 1) {
    const r = all[i];
    if (r.channel !== 'sms' || (to && r.to !== to) || (from && r.from !== from)) continue;
    const sent = r.sentAt ?? r.acceptedAt;
    if (sentOn && new Date(sent).toISOString().slice(0, 10) !== sentOn) continue;
    if (beforeMs !== null && !(sent < beforeMs)) continue;
    if (afterMs !== null && !(sent > afterMs)) continue;
    matches.push(r);
  }
  const start = page * pageSize;
  const slice = matches.slice(start, start + pageSize);
  const base = `/${API}/Accounts/${pathSid}/Messages.json`;
  const pageUri = (n: number) => {
    const p = new URLSearchParams(q);
    p.delete('PageToken');
    p.set('PageSize', String(pageSize));
    p.set('Page', String(n));
    return `${base}?${p.toString()}`;
  };
  return json(200, {
    messages: slice.map((r) => messageJson(r, ctx.twilio.accountSid)),
    end: start + Math.max(0, slice.length - 1),
    first_page_uri: pageUri(0),
    next_page_uri: start + pageSize < matches.length ? pageUri(page + 1) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? pageUri(page - 1) : null,
    start,
    uri: pageUri(page),
  });
}
