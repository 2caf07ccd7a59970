import { normalisePhone } from '../../domain/phone';

describe('normalisePhone', () => {
  it.each([
    ['06 12 34 56 78', 'FR', '+33612345678', 'FR'],
    ['06.12.34.56.78', 'fr', '+33612345678', 'FR'],
    ['0033 6 12 34 56 78', 'FR', '+33612345678', 'FR'],
    ['+33 (0)6 12 34 56 78', undefined, '+33612345678', 'FR'],
    ['  +33612345678 ', undefined, '+33612345678', 'FR'],
    ['+262 692 12 34 56', undefined, '+262692123456', 'RE'],
    ['+44 7400 123456', 'FR', '+447400123456', 'GB'],
    ['+1 415 555 2671', undefined, '+14155552671', 'US'],
  ])('When %j (default %s) is given, then it is %s in %s', (input, country, e164, dest) => {
    expect(normalisePhone(input, country)).toEqual({ ok: true, e164, country: dest });
  });

  it.each([
    ['0612345678', undefined, 'a national number without a default country'],
    ['+3361234567', undefined, 'a French number one digit short'],
    ['+336123456789', undefined, 'a French number one digit long'],
    ['06 12 34 AB 78', 'FR', 'letters'],
    ['call 0612345678', 'FR', 'free text around a number'],
    ['+800 1234 5678', undefined, 'a non-geographic number (no country)'],
    ['', 'FR', 'an empty string'],
    ['++33612345678', undefined, 'two plus signs'],
  ] as Array<[string, string | undefined, string]>)(
    'When %j (default %s) is %s, then it is rejected as invalid_phone',
    (input, country) => {
      expect(normalisePhone(input, country)).toEqual({ ok: false, reason: 'invalid_phone', input });
    },
  );
});
