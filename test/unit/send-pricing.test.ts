import { MissingPriceError, e4ToCentsHalfUp, unitPriceE4, type PriceTable } from '../../domain/send-pricing';

const prices: PriceTable = {
  sms: { FR: 450, BE: 725, DE: 333 },
  email: { '*': 9 },
};

describe('send pricing', () => {
  it('When a country has its own price, then it is used; otherwise the default (*), upper-cased first', () => {
    expect(unitPriceE4(prices, 'sms', 'fr')).toBe(450);
    expect(unitPriceE4(prices, 'email', 'FR')).toBe(9);
  });

  it('When amounts are converted to cents, then half a cent rounds up and below half rounds down', () => {
    expect(e4ToCentsHalfUp(49)).toBe(0);
    expect(e4ToCentsHalfUp(50)).toBe(1);
    expect(e4ToCentsHalfUp(149)).toBe(1);
    expect(e4ToCentsHalfUp(150)).toBe(2);
    expect(e4ToCentsHalfUp(0)).toBe(0);
  });

  it('When a country has no SMS price and no default, then a typed MissingPriceError names it', () => {
    let error: unknown;
    try {
      unitPriceE4(prices, 'sms', 'US');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingPriceError);
    expect(error).toMatchObject({ code: 'missing_price', channel: 'sms', country: 'US' });
  });
});
