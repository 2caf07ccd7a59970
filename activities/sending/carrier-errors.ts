// What a failed carrier call means for the messages it carried, one classifier per carrier (their
// status codes do not mean the same: a 404 is our configuration at Twilio, a bad request at
// SendGrid). 6.3.1: Octopush transmits the messages to the Routers by an obligation of means, so a
// refusal (429 / 5xx) is retried with backoff, an error about the message itself is never retried,
// an error in our configuration fails the page, and a call without an answer is ambiguous (the
// carrier may have accepted it: reconcile before resending).

/**
 * - `permanent`: about the message itself, never retried (rejected_by_carrier);
 * - `refused`: not accepted, retry with backoff;
 * - `ambiguous`: no answer, the carrier may have accepted it;
 * - `fatal`: our configuration (credentials, account), the page fails.
 */
export type CarrierErrorKind = 'permanent' | 'refused' | 'ambiguous' | 'fatal';

/**
 * Twilio (SMS): 429 / 5xx are refusals (not accepted, retry); 401 / 403 / 404 are our configuration
 * (fail the page); any other 4xx is about the message itself (21211 invalid number, 21610
 * unsubscribed, 21408 region…) and is never retried; no answer at all (timeout, reset) is ambiguous.
 * `code` is Twilio's error code when it gave one, else the HTTP status, else the network error's name.
 */
export function classifyTwilioError(err: unknown): { kind: CarrierErrorKind; code: string } {
  const e = err as { status?: number; code?: number | string; name?: string };
  if (typeof e.status === 'number') {
    if (e.status === 429 || e.status >= 500) return { kind: 'refused', code: String(e.code ?? e.status) };
    if (e.status === 401 || e.status === 403 || e.status === 404) {
      return { kind: 'fatal', code: String(e.code ?? e.status) };
    }
    return { kind: 'permanent', code: String(e.code ?? e.status) };
  }
  // No HTTP answer (timeout, reset): the carrier may have accepted it.
  return { kind: 'ambiguous', code: e.name ?? 'network' };
}

/**
 * SendGrid (e-mail, one request per page): 401 / 403 are our configuration (fail the page); any
 * other 4xx but 429 rejects the whole batch; 429, 5xx and any other answered status are refusals;
 * no HTTP status at all (timeout, reset) is ambiguous. `code` is the HTTP status when there is one,
 * else the error's own code or message.
 */
export function classifySendGridError(err: unknown): { kind: CarrierErrorKind; code: string } {
  const e = err as { code?: unknown; message?: unknown };
  const status = e.code;
  if (typeof status !== 'number') return { kind: 'ambiguous', code: String(status ?? e.message) };
  if (status >= 400 && status < 500 && status !== 429) {
    return { kind: status === 401 || status === 403 ? 'fatal' : 'permanent', code: String(status) };
  }
  return { kind: 'refused', code: String(status) };
}
