// RFC 9457 problem+json errors with a stable `code` that clients can switch on.
import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { ZodError } from 'zod';

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what = 'resource') => new Problem(404, 'not_found', 'Not found', `No such ${what}.`);
export const unauthorized = (detail = 'Authentication required.') =>
  new Problem(401, 'unauthorized', 'Unauthorized', detail, {}, { 'WWW-Authenticate': 'Bearer' });
export const forbidden = (code: string, detail: string) => new Problem(403, code, 'Forbidden', detail);
export const conflict = (code: string, detail: string, extra?: Record<string, unknown>) =>
  new Problem(409, code, 'Conflict', detail, extra);
export const unprocessable = (code: string, detail: string, extra?: Record<string, unknown>) =>
  new Problem(422, code, 'Unprocessable request', detail, extra);

function validationProblem(err: ZodError): Problem {
  const errors = err.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message }));
  return new Problem(400, 'validation_failed', 'Invalid request', 'The request does not match the expected schema.', {
    errors,
  });
}

/** Written on the bare Node response, so that handlers outside Express (webhook fast paths) share it. */
export function sendProblem(res: ServerResponse, p: Problem, instance?: string): void {
  // RFC 9457's members come last: an extension member never overrides them (a campaign's `status`
  // once replaced the HTTP status in the body).
  const body = JSON.stringify({
    ...p.extra,
    type: `https://tentacle.example/problems/${p.code}`,
    title: p.title,
    status: p.status,
    code: p.code,
    ...(p.detail ? { detail: p.detail } : {}),
    ...(instance ? { instance } : {}),
  });
  for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
  res.statusCode = p.status;
  res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

// body-parser errors carry a `type`; anything else unexpected is a 500 whose details stay in logs.
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let problem: Problem;
  if (err instanceof Problem) problem = err;
  else if (err instanceof ZodError) problem = validationProblem(err);
  else if (err?.type === 'entity.parse.failed')
    problem = new Problem(400, 'malformed_json', 'Malformed JSON', 'The request body is not valid JSON.');
  else if (err?.type === 'entity.too.large')
    problem = new Problem(413, 'payload_too_large', 'Payload too large', `The request body exceeds the limit.`);
  else if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported')
    problem = new Problem(415, 'unsupported_encoding', 'Unsupported encoding', String(err.message));
  else {
    req.log?.error({ err }, 'unhandled error');
    problem = new Problem(500, 'internal_error', 'Internal error', 'An unexpected error occurred; it has been logged.');
  }
  if (res.headersSent) return;
  sendProblem(res, problem, req.originalUrl);
};
