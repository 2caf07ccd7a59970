// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
// `<webhook-id>.<webhook-timestamp>.<body>` with the secret's bytes (base64 after `whsec_`),
// sent as `webhook-signature: v1,<base64>`; during a rotation's overlap one signature per secret,
// space-separated, so that a receiver holding either verifies.
import { createHmac, randomBytes } from 'node:crypto';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function signWebhook(secret: string, id: string, timestampSec: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSec}.${body}`).digest('base64')}`;
}

/** The three headers of a delivery, signed with every secret given (current first). */
export function webhookHeaders(secrets: string[], id: string, timestampSec: number, body: string) {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': secrets.map((s) => signWebhook(s, id, timestampSec, body)).join(' '),
  };
}
