// The HTTP side of the metrics: the bearer check of GET /metrics (METRICS_TOKEN), the API's
// request histogram and the webhook report counter (Express middleware).
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { httpRequestSeconds, webhookReports, type Carrier } from './definitions';

/** No token configured: anyone who reaches the port; else `Authorization: Bearer <token>`. */
export function metricsAuthorized(token: string | undefined, req: IncomingMessage): boolean {
  if (!token) return true;
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/** The route's pattern, never the path itself (ids would make a series per message). */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (Array.isArray(path)) return path.map((p) => req.baseUrl + String(p)).join(',');
  return typeof path === 'string' ? req.baseUrl + path : 'unmatched';
}

/** First middleware of the API: every request's duration by method, route and status class. */
export const httpMetrics: RequestHandler = (req, res, next) => {
  const end = httpRequestSeconds.startTimer();
  res.once('finish', () => end({ method: req.method, route: routeOf(req), status_class: statusClass(res.statusCode) }));
  next();
};

const REPORT_ROUTES: Record<string, Carrier> = {
  '/webhooks/twilio/status': 'twilio',
  '/webhooks/sendgrid/events': 'sendgrid',
};

/**
 * Delivery report webhooks by carrier and result, from the answer: 2xx applied, 5xx failed (not
 * applied: the carrier retries, or reconciliation asks later), any other refused.
 */
export const webhookReportMetrics: RequestHandler = (req, res, next) => {
  const carrier = req.method === 'POST' ? REPORT_ROUTES[req.path] : undefined;
  if (carrier) {
    res.once('finish', () => {
      const s = res.statusCode;
      webhookReports.labels(carrier, s < 300 ? 'applied' : s >= 500 ? 'failed' : 'refused').inc();
    });
  }
  next();
};
