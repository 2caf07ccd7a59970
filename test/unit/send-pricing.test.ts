import {
  MissingPriceError,
  billableUnits,
  e4ToCentsHalfUp,
  messagePriceE4,
  quoteOrder,
  type PriceTable,
} from '../../domain/send-pricing';

const prices: PriceTable = {
  sms: { FR: 450, BE: 725, DE: 333 },
  email: { '*': 9 },
};

describe('send pricing', () => {
  it('When an SMS has 3 segments to France, then it costs 3 × 450 e4', () => {
    const units = billableUnits('sms', 'a'.repeat(307));
    expect(units).toBe(3);
    expect(messagePriceE4(prices, { channel: 'sms', country: 'FR', units })).toBe(1350);
  });

  it('When an e-mail is long, then it is still one unit at the e-mail price', () => {
    expect(billableUnits('email', 'x'.repeat(100_000))).toBe(1);
    expect(messagePriceE4(prices, { channel: 'email', country: 'FR', units: 1 })).toBe(9);
  });

  it('When amounts are converted to cents, then half a cent rounds up and below half rounds down', () => {
    expect(e4ToCentsHalfUp(49)).toBe(0);
    expect(e4ToCentsHalfUp(50)).toBe(1);
    expect(e4ToCentsHalfUp(149)).toBe(1);
    expect(e4ToCentsHalfUp(150)).toBe(2);
    expect(e4ToCentsHalfUp(0)).toBe(0);
  });

  it('When an order has many messages of fractional-cent price, then the total is rounded once, not per message', () => {
    // 3 SMS to Germany at 0.0333 €: 0.0999 € → 10 cents; rounding each to 3 cents would give 9.
    const quote = quoteOrder(
      [1, 2, 3].map(() => ({ channel: 'sms' as const, country: 'DE', units: 1 })),
      prices,
    );
    expect(quote.totalE4).toBe(999);
    expect(quote.totalCents).toBe(10);
  });

  it('When lines span countries and channels, then the breakdown sums per country and the total is exact', () => {
    const quote = quoteOrder(
      [
        { channel: 'sms', country: 'fr', units: 2 },
        { channel: 'sms', country: 'FR', units: 5, messages: 4 },
        { channel: 'sms', country: 'BE', units: 1 },
        { channel: 'email', country: 'FR', units: 1000, messages: 1000 },
      ],
      prices,
    );
    expect(quote.lines).toEqual([
      { channel: 'email', country: 'FR', messages: 1000, units: 1000, unitPriceE4: 9, amountE4: 9000 },
      { channel: 'sms', country: 'BE', messages: 1, units: 1, unitPriceE4: 725, amountE4: 725 },
      { channel: 'sms', country: 'FR', messages: 5, units: 7, unitPriceE4: 450, amountE4: 3150 },
    ]);
    expect(quote.messages).toBe(1006);
    expect(quote.units).toBe(1008);
    expect(quote.totalE4).toBe(12875);
    expect(quote.totalCents).toBe(129); // 1.2875 € → 1.29 €
  });

  it('When the total is exactly half a cent above a cent, then it rounds up; one e4 less rounds down', () => {
    expect(quoteOrder([{ channel: 'sms', country: 'XX', units: 1 }], { sms: { XX: 1250 }, email: {} }).totalCents).toBe(13);
    expect(quoteOrder([{ channel: 'sms', country: 'XX', units: 1 }], { sms: { XX: 1249 }, email: {} }).totalCents).toBe(12);
  });

  it('When a country has no SMS price and no default, then a typed MissingPriceError names it', () => {
    let error: unknown;
    try {
      quoteOrder([{ channel: 'sms', country: 'US', units: 1 }], prices);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingPriceError);
    expect(error).toMatchObject({ code: 'missing_price', channel: 'sms', country: 'US' });
  });

  it('When prices come from a resolver, then it is asked once per channel and country with the upper-cased country', () => {
    const asked: string[] = [];
    const quote = quoteOrder(
      [
        { channel: 'sms', country: 'fr', units: 2 },
        { channel: 'sms', country: 'FR', units: 1 },
      ],
      (channel, country) => {
        asked.push(`${channel}:${country}`);
        return 333;
      },
    );
    expect(asked).toEqual(['sms:FR']);
    expect(quote.totalE4).toBe(999);
  });

  it('When an order is empty, then it costs nothing', () => {
    expect(quoteOrder([], prices)).toEqual({ lines: [], messages: 0, units: 0, totalE4: 0, totalCents: 0 });
  });

  it('When units are not whole numbers, then the quote is refused', () => {
    expect(() => quoteOrder([{ channel: 'sms', country: 'FR', units: 1.5 }], prices)).toThrow(RangeError);
  });
});
