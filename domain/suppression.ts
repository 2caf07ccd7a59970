// Suppression lists (ToS 6.1: the User sends only to recipients who consented): where an entry
// comes from, and what the customer may lift. No I/O.

export const SUPPRESSION_SOURCES = ['stop', 'unsubscribe', 'bounce', 'complaint', 'manual', 'import'] as const;
export type SuppressionSource = (typeof SUPPRESSION_SOURCES)[number];

/** Sources the customer writes through the API; the others come from recipients and carriers. */
export type CustomerSource = Extract<SuppressionSource, 'manual' | 'import'>;

/**
 * A STOP reply is the recipient's own withdrawal of consent: only their START lifts it (the
 * Twilio inbound webhook), never the customer. Every other entry the customer may remove.
 */
export function customerMayRemove(source: SuppressionSource): boolean {
  return source !== 'stop';
}
