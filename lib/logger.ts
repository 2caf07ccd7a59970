import pino from 'pino';

// Secrets and credentials are redacted wherever they appear in a logged object.
const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'req.headers["tentacle-signature"]',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-email-event-webhook-signature"]',
  'res.headers["set-cookie"]',
  'authToken',
  '*.authToken',
  'totpSecret',
  '*.totpSecret',
];

const CENSOR = '[redacted]';
// Query parameters that carry a credential: a notice's acknowledgment token, a key, a signature…
const SECRET_PARAM = /token|key|secret|passw|signature|^sig$|auth|credential|otp/i;
// Our own credentials, wherever they are pasted in a URL: API keys, member and staff sessions.
const CREDENTIAL = /\b(?:tk|ts|ss)_[A-Za-z0-9_-]{20,}/g;

/** The URL with the values of secret-named query parameters and any of our credentials redacted. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(CREDENTIAL, CENSOR);
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        /* keep it raw */
      }
      return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=${CENSOR}` : pair.replace(CREDENTIAL, CENSOR);
    });
  return `${path}?${query.join('&')}`;
}

function redactQuery(query: unknown): unknown {
  if (!query || typeof query !== 'object') return query;
  return Object.fromEntries(
    Object.entries(query).map(([k, v]) => [
      k,
      SECRET_PARAM.test(k) ? CENSOR : typeof v === 'string' ? v.replace(CREDENTIAL, CENSOR) : v,
    ]),
  );
}

/** pino-http's request serializer (after the standard one): no secret in the URL or query. */
export function redactRequest<R extends { url?: string; query?: unknown }>(req: R): R {
  return { ...req, url: req.url === undefined ? undefined : redactUrl(req.url), query: redactQuery(req.query) };
}

export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
) {
  const options = { name, level, redact: { paths: REDACT_PATHS, censor: CENSOR } };
  return destination ? pino(options, destination) : pino(options);
}

export type Logger = ReturnType<typeof createLogger>;
