// Price of messages and of an Order (ToS 6.2, 7.1). No I/O and no Node built-ins.
//
// Money rules: unit prices are integer ten-thousandths of a euro ("e4": 0.0450 € = 450) so
// per-message amounts are exact; an order total is converted to integer cents once, rounding
// half up, for the whole order (never per message or per country, which would drift): lib/orders.ts
// quoteOrder and the month's overage line round with e4ToCentsHalfUp.

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

/** e4 → cents, half up: 0.0050 € (50 e4) is 1 cent, 0.0049 € is 0. */
export function e4ToCentsHalfUp(amountE4: number): number {
  if (!Number.isSafeInteger(amountE4) || amountE4 < 0) {
    throw new RangeError('amount must be a non-negative integer e4');
  }
  return Math.floor((amountE4 + 50) / 100);
}
