import pino from 'pino';

// Secrets and credentials are redacted wherever they appear in a logged object.
export const REDACT_PATHS = [
  'password', '*.password', 'token', '*.token', 'apiKey', '*.apiKey', 'secret', '*.secret',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-twilio-signature"]',
  'authToken', '*.authToken', 'totpSecret', '*.totpSecret',
];

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info') {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

export type Logger = ReturnType<typeof createLogger>;
