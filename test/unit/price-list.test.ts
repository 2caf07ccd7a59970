import {
  amountForQuantity,
  PriceListError,
  PriceNotFoundError,
  unitPrice,
  type PriceEntry,
  type PriceList,
} from '../../domain/price-list';
import { prng } from '../support/prng';

const at = (iso: string): Date => new Date(iso);

const LIST: PriceList = {
  version: 'pl-2026-03',
  entries: [
    { channel: 'sms', country: '*', priceE4: 800, effectiveFrom: at('2025-01-01T00:00:00Z') },
    { channel: 'sms', country: 'FR', priceE4: 450, effectiveFrom: at('2026-01-01T00:00:00Z') },
    { channel: 'sms', country: 'FR', priceE4: 470, effectiveFrom: at('2026-03-01T00:00:00Z') },
    { channel: 'sms', country: 'DE', priceE4: 600, effectiveFrom: at('2026-06-01T00:00:00Z') },
    { channel: 'email', country: '*', priceE4: 10, effectiveFrom: at('2025-01-01T00:00:00Z') },
  ],
};

describe('unitPrice', () => {
  it('When a country has several entries in force, then the newest one with effectiveFrom <= at is used', () => {
    expect(unitPrice(LIST, 'sms', 'FR', at('2026-02-15T12:00:00Z'))).toEqual({
      priceListVersion: 'pl-2026-03',
      channel: 'sms',
      country: 'FR',
      matchedCountry: 'FR',
      priceE4: 450,
      effectiveFrom: at('2026-01-01T00:00:00Z'),
    });
  });

  it('When asked exactly at a new entry’s effectiveFrom, then the new price applies; 1 ms before, the previous one', () => {
    expect(unitPrice(LIST, 'sms', 'FR', at('2026-03-01T00:00:00.000Z')).priceE4).toBe(470);
    expect(unitPrice(LIST, 'sms', 'FR', at('2026-02-28T23:59:59.999Z')).priceE4).toBe(450);
  });

  it('When the country’s only entry is not yet in force, then the default (*) applies, until it takes effect', () => {
    expect(unitPrice(LIST, 'sms', 'DE', at('2026-05-31T23:59:59.999Z'))).toMatchObject({
      matchedCountry: '*',
      priceE4: 800,
    });
    expect(unitPrice(LIST, 'sms', 'DE', at('2026-06-01T00:00:00Z'))).toMatchObject({
      matchedCountry: 'DE',
      priceE4: 600,
    });
  });

  it('When the country has no entry, then the default applies; lower case is normalized', () => {
    expect(unitPrice(LIST, 'sms', 'US', at('2026-02-01T00:00:00Z'))).toMatchObject({
      country: 'US',
      matchedCountry: '*',
      priceE4: 800,
    });
    expect(unitPrice(LIST, 'sms', 'fr', at('2026-02-01T00:00:00Z'))).toMatchObject({ country: 'FR', priceE4: 450 });
    expect(unitPrice(LIST, 'email', 'FR', at('2026-02-01T00:00:00Z'))).toMatchObject({
      matchedCountry: '*',
      priceE4: 10,
    });
  });

  it('When neither the country nor a default is in force, then a typed error names channel, country and instant', () => {
    const when = at('2024-12-31T23:59:59.999Z');
    expect(() => unitPrice(LIST, 'sms', 'FR', when)).toThrow(PriceNotFoundError);
    try {
      unitPrice(LIST, 'sms', 'FR', when);
    } catch (e) {
      expect(e).toMatchObject({ channel: 'sms', country: 'FR', at: when });
    }
    expect(() => unitPrice({ version: 'v', entries: [] }, 'email', 'FR', at('2026-01-01T00:00:00Z'))).toThrow(
      PriceNotFoundError,
    );
  });

  it('When the list has two entries for the same channel, country and instant, or a bad price or country, then it is rejected', () => {
    const dup: PriceEntry[] = [
      ...LIST.entries,
      { channel: 'sms', country: 'fr', priceE4: 1, effectiveFrom: at('2026-01-01T00:00:00Z') },
    ];
    expect(() => unitPrice({ version: 'v', entries: dup }, 'sms', 'FR', at('2026-02-01T00:00:00Z'))).toThrow(
      PriceListError,
    );
    const frac: PriceEntry[] = [
      { channel: 'sms', country: 'FR', priceE4: 4.5, effectiveFrom: at('2026-01-01T00:00:00Z') },
    ];
    expect(() => unitPrice({ version: 'v', entries: frac }, 'sms', 'FR', at('2026-02-01T00:00:00Z'))).toThrow(
      PriceListError,
    );
    const badCountry: PriceEntry[] = [
      { channel: 'sms', country: 'FRA', priceE4: 1, effectiveFrom: at('2026-01-01T00:00:00Z') },
    ];
    expect(() => unitPrice({ version: 'v', entries: badCountry }, 'sms', 'FR', at('2026-02-01T00:00:00Z'))).toThrow(
      PriceListError,
    );
    expect(() => unitPrice(LIST, 'sms', 'France', at('2026-02-01T00:00:00Z'))).toThrow(PriceListError);
  });

  it('When random lists are queried, then the result is in force, no newer same-country entry is in force, and the default is used only if the country has none', () => {
    const r = prng(99);
    const countries = ['FR', 'DE', 'BE', '*'];
    const base = Date.UTC(2025, 0, 1);
    for (let i = 0; i < 500; i++) {
      const entries: PriceEntry[] = [];
      const used = new Set<string>();
      for (let j = 0; j < 1 + Math.floor(r() * 10); j++) {
        const e: PriceEntry = {
          channel: r() < 0.7 ? 'sms' : 'email',
          country: countries[Math.floor(r() * countries.length)],
          priceE4: Math.floor(r() * 2000),
          effectiveFrom: new Date(base + Math.floor(r() * 365) * 86_400_000),
        };
        const k = `${e.channel}${e.country}${e.effectiveFrom.getTime()}`;
        if (!used.has(k)) {
          entries.push(e);
          used.add(k);
        }
      }
      const list = { version: 'v', entries };
      const when = new Date(base + Math.floor(r() * 400) * 86_400_000);
      const country = countries[Math.floor(r() * 3)];
      const inForce = (c: string) =>
        entries.filter((e) => e.channel === 'sms' && e.country === c && e.effectiveFrom <= when);
      let q;
      try {
        q = unitPrice(list, 'sms', country, when);
      } catch (e) {
        expect(e).toBeInstanceOf(PriceNotFoundError);
        expect(inForce(country)).toHaveLength(0);
        expect(inForce('*')).toHaveLength(0);
        continue;
      }
      expect(q.matchedCountry).toBe(inForce(country).length > 0 ? country : '*');
      const candidates = inForce(q.matchedCountry);
      expect(q.effectiveFrom.getTime()).toBe(Math.max(...candidates.map((e) => e.effectiveFrom.getTime())));
      expect(candidates.find((e) => e.effectiveFrom.getTime() === q.effectiveFrom.getTime())!.priceE4).toBe(q.priceE4);
    }
  });
});

describe('amountForQuantity', () => {
  it.each([
    [1, 450, 5], // 4.5 cents → 5
    [3, 455, 14], // 13.65 → 14
    [1000, 450, 4500],
    [7, 449, 31], // 31.43 → 31
    [-1, 450, -5], // symmetric
    [0, 450, 0],
  ])('When %p units at %p e4 are ordered, then the Order amount is %p cents', (q, p, expected) => {
    expect(amountForQuantity(q, p)).toBe(expected);
  });

  it('When the quantity is fractional, then it throws', () => {
    expect(() => amountForQuantity(1.5, 450)).toThrow(PriceListError);
  });
});
