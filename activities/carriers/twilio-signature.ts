// Verifies X-Twilio-Signature on our Twilio webhooks (status callbacks, inbound SMS) with
// twilio-node's own algorithm: HMAC-SHA1 of the full URL the carrier called, followed by the
// POST parameters sorted by name, keyed by the account's auth token.
import { timingSafeEqual } from 'node:crypto';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';

/**
 * Twilio's connection overrides (a URL fragment it reads and never sends): up to 5 retries
 * (`rc`, the maximum) when our answer is a 5xx or the connection or the read times out (`rp`; a
 * 4xx — a forged or invalid report — is not retried), 2 s to connect, 5 s to read, 15 s in all
 * (`tt`, the maximum). Without them Twilio does not retry a status callback answered 5xx.
 * What no retry brings, the status reconciliation fetches (workflows/status-reconciliation.ts).
 */
const TWILIO_CALLBACK_OVERRIDES = 'rc=5&rp=5xx,ct,rt&ct=2000&rt=5000&tt=15000';

/** The StatusCallback of message `mid`: our status webhook on the public URL, with the overrides. */
export function twilioStatusCallback(publicBaseUrl: string | undefined, mid: string): string {
  const base = (publicBaseUrl ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  return `${base}/webhooks/twilio/status?mid=${mid}#${TWILIO_CALLBACK_OVERRIDES}`;
}

/** A URL without its fragment (Twilio signs and requests the URL without it). */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/**
 * @param url the public URL Twilio called, query string included (as configured in
 *   StatusCallback, not as rebuilt behind a proxy)
 * @param params the form-encoded POST parameters
 */
export function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string | string[]>,
): boolean {
  if (!signature) return false;
  // The URL exactly as configured is what Twilio signs in practice: one HMAC. validateRequest
  // then tries its variants (with / without the port, legacy query encoding), up to four more.
  const expected = Buffer.from(getExpectedTwilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  if (expected.length === given.length && timingSafeEqual(expected, given)) return true;
  // Twilio signs the URL without the fragment, which never reaches us anyway; should it sign the
  // URL as given in StatusCallback, that is the same URL with our overrides appended.
  return (
    validateRequest(authToken, signature, url, params) ||
    (!url.includes('#') && validateRequest(authToken, signature, `${url}#${TWILIO_CALLBACK_OVERRIDES}`, params))
  );
}
