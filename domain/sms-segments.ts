// SMS length rules (3GPP TS 23.038 / 23.040), as carriers bill them.
// No I/O and no Node built-ins: workflows import this module.
//
// - GSM-7 when every character is in the basic set or the extension table; an extension
//   character is sent as ESC + char, so it costs 2 septets. 160 septets in a single SMS,
//   153 per part once concatenated (the UDH takes the rest).
// - Otherwise UCS-2, counted in UTF-16 code units (an emoji outside the BMP = 2 units).
//   70 units single, 67 per part.
// - A part never splits an ESC pair or a surrogate pair: a 2-unit character that does not fit
//   in the remaining room of a part starts the next part.

type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegmentation {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  units: number;
  /** Messages billed: 1 for a text that fits in one SMS (an empty text is still one SMS). */
  segments: number;
}

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** Cost of each character in the encoding's units, or null when the text is not GSM-7. */
function gsm7Costs(text: string): number[] | null {
  const costs: number[] = [];
  for (const ch of text) {
    if (BASIC.has(ch)) costs.push(1);
    else if (EXTENSION.has(ch)) costs.push(2);
    else return null;
  }
  return costs;
}

function ucs2Costs(text: string): number[] {
  const costs: number[] = [];
  // for…of walks code points: a surrogate pair comes as one 2-unit item.
  for (const ch of text) costs.push(ch.length);
  return costs;
}

function countParts(costs: number[], partSize: number): number {
  let parts = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > partSize) {
      parts += 1;
      used = 0;
    }
    used += cost;
  }
  return parts;
}

export function smsSegments(text: string): SmsSegmentation {
  const gsm = gsm7Costs(text);
  const encoding: SmsEncoding = gsm ? 'GSM-7' : 'UCS-2';
  const costs = gsm ?? ucs2Costs(text);
  const units = costs.reduce((sum, c) => sum + c, 0);
  const limits = LIMITS[encoding];
  const segments = units <= limits.single ? 1 : countParts(costs, limits.part);
  return { encoding, units, segments };
}

/** True when every character of the text can be sent in GSM-7. */
export function isGsm7(text: string): boolean {
  return gsm7Costs(text) !== null;
}
