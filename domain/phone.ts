// Phone numbers: validated and normalised to E.164, with the destination country that prices
// and regulates the message. No I/O and no Node built-ins.
// The "max" metadata validates against each country's real number ranges, not only lengths.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

type PhoneRejection = 'invalid_phone';

export type PhoneResult =
  | { ok: true; e164: string; country: string }
  | { ok: false; reason: PhoneRejection; input: string };

// Digits, one leading +, and the usual separators. Anything else (letters, extensions) is refused
// rather than letting the parser extract a number from free text.
const PHONE_CHARS = /^\+?[\d\s().\-/]+$/;

/**
 * Validate and normalise a phone number. A national number ("06 12 34 56 78", "0033…") needs
 * `defaultCountry` (ISO alpha-2); an international one ("+33 6…") does not.
 */
export function normalisePhone(input: string, defaultCountry?: string): PhoneResult {
  const text = input.trim();
  const reject = (): PhoneResult => ({ ok: false, reason: 'invalid_phone', input });
  if (!PHONE_CHARS.test(text)) return reject();
  const number = parsePhoneNumberFromString(text, {
    defaultCountry: defaultCountry?.toUpperCase() as CountryCode | undefined,
  });
  // Non-geographic numbers (+800…) have no country: they cannot be priced or regulated.
  if (!number || !number.isValid() || !number.country) return reject();
  return { ok: true, e164: number.number, country: number.country };
}
