// Opt-out for marketing SMS (ToS 6.1, 10.3): French marketing SMS carry a "STOP" mention, and inbound
// STOP/START keywords change the recipient's consent. No I/O and no Node built-ins.
import { smsSegments, type SmsSegmentation } from './sms-segments';

export interface OptOutPolicy {
  /** Destination countries (ISO alpha-2) whose marketing SMS carry the mention. */
  countries: readonly string[];
  /** Short number that receives the STOP replies. */
  stopNumber: string;
}

export const FRANCE_OPT_OUT_POLICY: OptOutPolicy = Object.freeze({
  countries: ['FR'],
  stopNumber: '36180',
});

export function optOutMention(stopNumber: string): string {
  return `STOP au ${stopNumber}`;
}

export function needsOptOutMention(
  message: { purpose: string; channel: 'sms' | 'email'; country: string | null },
  policy: OptOutPolicy,
): boolean {
  return (
    message.purpose === 'marketing' &&
    message.channel === 'sms' &&
    message.country !== null &&
    policy.countries.includes(message.country.toUpperCase())
  );
}

/** Body followed by the mention on its own line; a body already ending with it is unchanged. */
export function withOptOutMention(body: string, mention: string): string {
  const trimmed = body.trimEnd();
  if (trimmed.toLowerCase().endsWith(mention.toLowerCase())) return trimmed;
  return trimmed.length === 0 ? mention : `${trimmed}\n${mention}`;
}

/**
 * The text actually sent and its segments: the mention is added when the policy asks for it,
 * and segments are counted on that final text (it is what the carrier bills).
 */
export function finalSmsText(
  message: { body: string; purpose: string; country: string | null },
  policy: OptOutPolicy,
): { text: string } & SmsSegmentation {
  const text = needsOptOutMention({ ...message, channel: 'sms' }, policy)
    ? withOptOutMention(message.body, optOutMention(policy.stopNumber))
    : message.body;
  return { text, ...smsSegments(text) };
}

export type InboundKeyword = 'stop' | 'start';
/** How an inbound SMS is kept (GET /v1/inbound-messages): only stop and start act on consent. */
export type InboundClass = InboundKeyword | 'help' | 'other';

const STOP_KEYWORDS: readonly string[] = ['STOP', 'STOP SMS', 'ARRET', 'UNSUBSCRIBE'];
const START_KEYWORDS: readonly string[] = ['START', 'UNSTOP'];
const HELP_KEYWORDS: readonly string[] = ['HELP', 'AIDE', 'INFO'];

/**
 * Keyword of an inbound SMS, or null for any other text. The whole message must be the keyword
 * (as carriers match it): case, surrounding spaces, repeated inner spaces, accents ("ARRÊT") and
 * trailing "." or "!" are ignored.
 */
export function parseInboundKeyword(body: string): InboundKeyword | null {
  const c = classifyInbound(body);
  return c === 'stop' || c === 'start' ? c : null;
}

/** The class of an inbound SMS by the same matching as parseInboundKeyword; HELP is kept, not acted on. */
export function classifyInbound(body: string): InboundClass {
  const normalised = body
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .replace(/[.!]+$/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toUpperCase();
  if (STOP_KEYWORDS.includes(normalised)) return 'stop';
  if (START_KEYWORDS.includes(normalised)) return 'start';
  if (HELP_KEYWORDS.includes(normalised)) return 'help';
  return 'other';
}
