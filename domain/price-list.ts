// Versioned price lists per channel and destination country (ToS 7.1). No I/O, no Node built-ins.
//
// Written-down rules:
// - An entry applies from its `effectiveFrom` instant (inclusive) until a newer entry of the same
//   channel and country takes effect.
// - unitPrice(list, channel, country, at): the newest entry for (channel, country) with
//   effectiveFrom <= at; if the country has none in force at `at`, the newest '*' (default)
//   entry in force; if neither, PriceNotFoundError. An entry that takes effect later never
//   applies early (at = effectiveFrom - 1 ms falls back to the previous one).
// - Prices are integer ten-thousandths of a euro (priceE4: 0.0450 € = 450). The amount of an
//   Order of N units is round(N × priceE4 / 100) to the cent, half away from zero, once per Order.
// - Two entries with the same channel, country and effectiveFrom make the list ambiguous:
//   validatePriceList rejects it (unitPrice validates the list it is given).
import { mulDivRoundHalfUp, type Cents, type PriceE4 } from './money';

export type Channel = 'sms' | 'email';
const DEFAULT_COUNTRY = '*';

export interface PriceEntry {
  channel: Channel;
  /** ISO 3166-1 alpha-2 destination country, or '*' for the default price. */
  country: string;
  priceE4: PriceE4;
  effectiveFrom: Date;
}

export interface PriceList {
  /** Identifies the list version an Order's quote came from. */
  version: string;
  entries: readonly PriceEntry[];
}

/** What an Order stores: the price it was placed at and where it came from. */
export interface Quote {
  priceListVersion: string;
  channel: Channel;
  /** The destination asked for. */
  country: string;
  /** The entry's country: the destination itself, or '*' when the default applied. */
  matchedCountry: string;
  priceE4: PriceE4;
  effectiveFrom: Date;
}

export class PriceNotFoundError extends Error {
  override name = 'PriceNotFoundError';
  constructor(
    readonly channel: Channel,
    readonly country: string,
    readonly at: Date,
  ) {
    super(`no ${channel} price for ${country} (nor a default) in force at ${at.toISOString()}`);
  }
}

export class PriceListError extends RangeError {
  override name = 'PriceListError';
}

function normalizeCountry(country: string): string {
  if (country === DEFAULT_COUNTRY) return country;
  const c = country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(c)) throw new PriceListError(`not an ISO alpha-2 country or '*': ${JSON.stringify(country)}`);
  return c;
}

function validatePriceList(list: PriceList): void {
  const seen = new Set<string>();
  list.entries.forEach((e, i) => {
    if (e.channel !== 'sms' && e.channel !== 'email')
      throw new PriceListError(`entry #${i}: unknown channel ${String(e.channel)}`);
    const country = normalizeCountry(e.country);
    if (!Number.isSafeInteger(e.priceE4) || e.priceE4 < 0)
      throw new PriceListError(`entry #${i}: priceE4 must be a non-negative integer`);
    if (!(e.effectiveFrom instanceof Date) || Number.isNaN(e.effectiveFrom.getTime())) {
      throw new PriceListError(`entry #${i}: effectiveFrom must be a valid Date`);
    }
    const k = `${e.channel}|${country}|${e.effectiveFrom.getTime()}`;
    if (seen.has(k))
      throw new PriceListError(`entry #${i}: duplicate ${e.channel} ${country} from ${e.effectiveFrom.toISOString()}`);
    seen.add(k);
  });
}

function newestInForce(list: PriceList, channel: Channel, country: string, at: number): PriceEntry | undefined {
  let best: PriceEntry | undefined;
  for (const e of list.entries) {
    if (e.channel !== channel || normalizeCountry(e.country) !== country) continue;
    const t = e.effectiveFrom.getTime();
    if (t <= at && (!best || t > best.effectiveFrom.getTime())) best = e;
  }
  return best;
}

export function unitPrice(list: PriceList, channel: Channel, country: string, at: Date): Quote {
  validatePriceList(list);
  if (Number.isNaN(at.getTime())) throw new PriceListError('at must be a valid Date');
  const c = normalizeCountry(country);
  const t = at.getTime();
  const entry =
    newestInForce(list, channel, c, t) ??
    (c === DEFAULT_COUNTRY ? undefined : newestInForce(list, channel, DEFAULT_COUNTRY, t));
  if (!entry) throw new PriceNotFoundError(channel, c, at);
  return {
    priceListVersion: list.version,
    channel,
    country: c,
    matchedCountry: normalizeCountry(entry.country),
    priceE4: entry.priceE4,
    effectiveFrom: entry.effectiveFrom,
  };
}

/**
 * round(quantity × priceE4 / 100) cents, half away from zero: an invoice line at a unit price in
 * e4. Not what an Order charges: the ledger reserves and consumes the exact e4 amount.
 */
export function amountForQuantity(quantity: number, priceE4: PriceE4): Cents {
  if (!Number.isSafeInteger(quantity)) throw new PriceListError(`quantity must be an integer, got ${quantity}`);
  return mulDivRoundHalfUp(quantity, priceE4, 100);
}
