// Price of messages and of an Order (ToS 6.2, 7.1). No I/O and no Node built-ins.
//
// Money rules: unit prices are integer ten-thousandths of a euro ("e4": 0.0450 € = 450) so
// per-message amounts are exact; an order total is converted to integer cents once, rounding
// half up, for the whole order (never per message or per country, which would drift).
import { smsSegments } from './sms-segments';

export type Channel = 'sms' | 'email';

/** Unit prices in e4 per channel and destination country (ISO alpha-2); '*' = any country. */
export interface PriceTable {
  sms: Readonly<Record<string, number>>;
  email: Readonly<Record<string, number>>;
}

export class MissingPriceError extends Error {
  readonly code = 'missing_price';
  constructor(
    readonly channel: Channel,
    readonly country: string,
  ) {
    super(`no ${channel} price for country ${country}`);
    this.name = 'MissingPriceError';
  }
}

/**
 * Where unit prices come from: a plain table, or a resolver (e.g. over the versioned price list:
 * `(ch, c) => unitPrice(list, ch, c, at).priceE4`) that throws when it has no price.
 */
export type PriceSource = PriceTable | ((channel: Channel, country: string) => number);

export function unitPriceE4(prices: PriceSource, channel: Channel, country: string): number {
  let price: number | undefined;
  if (typeof prices === 'function') {
    price = prices(channel, country.toUpperCase());
  } else {
    const table = prices[channel];
    price = table[country.toUpperCase()] ?? table['*'];
  }
  if (price === undefined) throw new MissingPriceError(channel, country);
  if (!Number.isSafeInteger(price) || price < 0) {
    throw new RangeError(`${channel} price for ${country} must be a non-negative integer e4`);
  }
  return price;
}

/** Billable units of one message: its segments for an SMS, 1 for an e-mail. */
export function billableUnits(channel: Channel, text: string): number {
  return channel === 'sms' ? smsSegments(text).segments : 1;
}

export function messagePriceE4(
  prices: PriceSource,
  message: { channel: Channel; country: string; units: number },
): number {
  return message.units * unitPriceE4(prices, message.channel, message.country);
}

/** One message, or several of the same channel and country already summed. */
export interface QuoteLine {
  channel: Channel;
  country: string;
  /** Billable units (segments for SMS; one per e-mail). */
  units: number;
  /** Messages the line stands for; 1 when omitted. */
  messages?: number;
}

interface QuoteBreakdown {
  channel: Channel;
  country: string;
  messages: number;
  units: number;
  unitPriceE4: number;
  amountE4: number;
}

export interface OrderQuote {
  lines: QuoteBreakdown[];
  messages: number;
  units: number;
  totalE4: number;
  /** totalE4 in cents, rounded half up once. */
  totalCents: number;
}

/** e4 → cents, half up: 0.0050 € (50 e4) is 1 cent, 0.0049 € is 0. */
export function e4ToCentsHalfUp(amountE4: number): number {
  if (!Number.isSafeInteger(amountE4) || amountE4 < 0) {
    throw new RangeError('amount must be a non-negative integer e4');
  }
  return Math.floor((amountE4 + 50) / 100);
}

export function quoteOrder(lines: readonly QuoteLine[], prices: PriceSource): OrderQuote {
  const byKey = new Map<string, QuoteBreakdown>();
  for (const line of lines) {
    const messages = line.messages ?? 1;
    if (!Number.isSafeInteger(line.units) || line.units < 0 || !Number.isSafeInteger(messages) || messages < 0) {
      throw new RangeError('units and messages must be non-negative integers');
    }
    const country = line.country.toUpperCase();
    const key = `${line.channel}|${country}`;
    let entry = byKey.get(key);
    if (!entry) {
      const price = unitPriceE4(prices, line.channel, country);
      entry = { channel: line.channel, country, messages: 0, units: 0, unitPriceE4: price, amountE4: 0 };
      byKey.set(key, entry);
    }
    entry.messages += messages;
    entry.units += line.units;
    entry.amountE4 += line.units * entry.unitPriceE4;
  }
  const breakdown = [...byKey.values()].sort(
    (a, b) => a.channel.localeCompare(b.channel) || a.country.localeCompare(b.country),
  );
  const totalE4 = breakdown.reduce((sum, l) => sum + l.amountE4, 0);
  return {
    lines: breakdown,
    messages: breakdown.reduce((sum, l) => sum + l.messages, 0),
    units: breakdown.reduce((sum, l) => sum + l.units, 0),
    totalE4,
    totalCents: e4ToCentsHalfUp(totalE4),
  };
}
