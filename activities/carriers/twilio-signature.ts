// Verifies X-Twilio-Signature on our Twilio webhooks (status callbacks, inbound SMS) with
// twilio-node's own algorithm: HMAC-SHA1 of the full URL the carrier called, followed by the
// POST parameters sorted by name, keyed by the account's auth token.
import { timingSafeEqual } from 'node:crypto';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';

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
  return validateRequest(authToken, signature, url, params);
}
