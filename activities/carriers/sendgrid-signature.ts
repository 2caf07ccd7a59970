// Verifies SendGrid's signed Event Webhook: ECDSA P-256 with SHA-256 over
// `timestamp + raw body`, signature in base64 DER; the public key is shown by SendGrid as base64
// DER (SubjectPublicKeyInfo). The raw body bytes must be used, never re-serialised JSON.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

export interface SendGridSignedRequest {
  payload: string | Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
}

export type SendGridVerifier = (request: SendGridSignedRequest, now?: Date) => boolean;

/**
 * Builds a verifier for one public key (parsed once). With `maxAgeSeconds`, a timestamp older
 * (or further in the future) than that relative to `now` is refused, which limits replays.
 */
export function createSendGridVerifier(publicKeyBase64: string, maxAgeSeconds?: number): SendGridVerifier {
  const key: KeyObject = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
  return ({ payload, signature, timestamp }, now = new Date()) => {
    if (!signature || !timestamp) return false;
    if (maxAgeSeconds !== undefined) {
      const age = now.getTime() / 1000 - Number(timestamp);
      if (!Number.isFinite(age) || Math.abs(age) > maxAgeSeconds) return false;
    }
    const signed = Buffer.concat([
      Buffer.from(timestamp, 'utf8'),
      Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8'),
    ]);
    try {
      return verify('sha256', signed, key, Buffer.from(signature, 'base64'));
    } catch {
      return false; // malformed signature
    }
  };
}

export function verifySendGridSignature(publicKeyBase64: string, request: SendGridSignedRequest): boolean {
  return createSendGridVerifier(publicKeyBase64)(request);
}
