import {
  checkVatNumber,
  CountryCodeError,
  formatRateBp,
  frenchVatKey,
  frenchVatNumberFromSiren,
  isEuMemberState,
  isValidSiren,
  isValidVatNumber,
  OUTSIDE_EU_MENTION,
  REVERSE_CHARGE_MENTION,
  standardVatRate,
  vatTreatment,
  VatRateUnavailableError,
  type VatRateHistory,
} from '../../domain/vat';
import { prng } from '../support/prng';

const ON = new Date('2026-03-15T10:00:00Z');

describe('standardVatRate', () => {
  it('When invoicing in France in 2026, then the standard rate is 20 % (2000 bp)', () => {
    expect(standardVatRate('FR', ON)).toEqual({ key: 'FR-S-2000', category: 'S', rateBp: 2000, exemptionReason: null });
  });

  it('When the instant is 1 ms before 1 January 2014 in Paris, then no rate is configured (explicit error)', () => {
    const lastMsOf2013InParis = new Date('2013-12-31T22:59:59.999Z');
    expect(() => standardVatRate('FR', lastMsOf2013InParis)).toThrow(VatRateUnavailableError);
    try {
      standardVatRate('FR', lastMsOf2013InParis);
    } catch (e) {
      expect((e as VatRateUnavailableError).date).toBe('2013-12-31');
      expect((e as VatRateUnavailableError).country).toBe('FR');
    }
  });

  it('When the instant is 00:00 Paris on 1 January 2014 (23:00 UTC the day before), then 20 % applies', () => {
    expect(standardVatRate('FR', new Date('2013-12-31T23:00:00Z')).rateBp).toBe(2000);
  });

  it('When the history has a later change, then the rate in force on the Paris date is picked, whatever the entry order', () => {
    const history: VatRateHistory = {
      FR: [
        { from: '2027-01-01', standardRateBp: 2100 },
        { from: '2014-01-01', standardRateBp: 2000 },
      ],
    };
    expect(standardVatRate('FR', new Date('2026-12-31T22:59:59.999Z'), history).rateBp).toBe(2000);
    expect(standardVatRate('FR', new Date('2026-12-31T23:00:00Z'), history)).toMatchObject({
      rateBp: 2100,
      key: 'FR-S-2100',
    });
  });

  it('When the country has no history, then it is an explicit error', () => {
    expect(() => standardVatRate('DE', ON)).toThrow(VatRateUnavailableError);
  });
});

describe('vatTreatment', () => {
  it('When the buyer is in France, then French VAT at 20 % applies with no mention, VAT number or not', () => {
    for (const buyerVatNumber of [undefined, null, 'FR44732829320']) {
      expect(vatTreatment({ buyerCountry: 'FR', buyerVatNumber, on: ON })).toEqual({
        kind: 'french_vat',
        reason: 'buyer_in_france',
        rate: { key: 'FR-S-2000', category: 'S', rateBp: 2000, exemptionReason: null },
        mention: null,
      });
    }
  });

  it('When the buyer is in Monaco, then it is treated as France (French VAT territory)', () => {
    expect(vatTreatment({ buyerCountry: 'MC', on: ON })).toMatchObject({
      kind: 'french_vat',
      reason: 'buyer_in_france',
    });
  });

  it('When the buyer is in Germany with a valid VAT number, then it is reverse charged at 0 % with the legal mention', () => {
    const t = vatTreatment({ buyerCountry: 'DE', buyerVatNumber: 'DE 123 456 789', on: ON });
    expect(t.kind).toBe('reverse_charge');
    expect(t.reason).toBe('eu_buyer_with_vat_number');
    expect(t.rate).toEqual({ key: 'AE-0', category: 'AE', rateBp: 0, exemptionReason: REVERSE_CHARGE_MENTION });
    expect(t.mention).toBe('Autoliquidation — article 283-2 du CGI / article 196 de la directive 2006/112/CE');
  });

  it('When the buyer is in Greece with an EL number, then it is reverse charged (EL prefix = GR)', () => {
    expect(vatTreatment({ buyerCountry: 'GR', buyerVatNumber: 'EL123456789', on: ON }).kind).toBe('reverse_charge');
  });

  it('When an EU buyer has no VAT number, then French VAT applies', () => {
    for (const buyerVatNumber of [undefined, null, '', '   ']) {
      expect(vatTreatment({ buyerCountry: 'IT', buyerVatNumber, on: ON })).toMatchObject({
        kind: 'french_vat',
        reason: 'eu_buyer_without_vat_number',
        rate: { rateBp: 2000 },
        mention: null,
      });
    }
  });

  it("When an EU buyer's VAT number is malformed or from another country, then French VAT applies and the reason says so", () => {
    for (const buyerVatNumber of ['DE12345', 'FR44732829320', 'XX123456789']) {
      expect(vatTreatment({ buyerCountry: 'DE', buyerVatNumber, on: ON })).toMatchObject({
        kind: 'french_vat',
        reason: 'eu_buyer_vat_number_invalid',
      });
    }
  });

  it.each(['US', 'GB', 'CH', 'NO', 'MA'])(
    'When the buyer is in %s (outside the EU), then no French VAT applies, with the 259-1 mention',
    (country) => {
      const t = vatTreatment({ buyerCountry: country, buyerVatNumber: 'GB123456789', on: ON });
      expect(t).toEqual({
        kind: 'outside_scope',
        reason: 'buyer_outside_eu',
        rate: { key: 'O-0', category: 'O', rateBp: 0, exemptionReason: OUTSIDE_EU_MENTION },
        mention: 'TVA non applicable, article 259-1 du CGI',
      });
    },
  );

  it('When invoicing a French buyer on a date before the rate history, then it throws rather than guess', () => {
    expect(() => vatTreatment({ buyerCountry: 'FR', on: new Date('2010-06-01T00:00:00Z') })).toThrow(
      VatRateUnavailableError,
    );
  });

  it('When the country is lower case, then it is normalized; when it is not alpha-2, then it throws', () => {
    expect(vatTreatment({ buyerCountry: 'fr', on: ON }).kind).toBe('french_vat');
    expect(() => vatTreatment({ buyerCountry: 'France', on: ON })).toThrow(CountryCodeError);
  });

  it('When checking EU membership, then the 27 member states are in and the United Kingdom is out', () => {
    expect(isEuMemberState('fr')).toBe(true);
    expect(isEuMemberState('HR')).toBe(true);
    expect(isEuMemberState('GB')).toBe(false);
  });
});

describe('VAT number syntax', () => {
  it.each([
    'ATU12345678',
    'BE0123456789',
    'BG123456789',
    'BG1234567890',
    'CY12345678L',
    'CZ12345678',
    'CZ1234567890',
    'DE123456789',
    'DK12345678',
    'EE123456789',
    'EL123456789',
    'ESA1234567B',
    'ES12345678Z',
    'ESX1234567L',
    'FI12345678',
    'FR44732829320',
    'FRAB732829320',
    'HR12345678901',
    'HU12345678',
    'IE1234567WA',
    'IE1234567T',
    'IE1A23456T',
    'IT12345678901',
    'LT123456789',
    'LT123456789012',
    'LU12345678',
    'LV12345678901',
    'MT12345678',
    'NL123456789B01',
    'PL1234567890',
    'PT123456789',
    'RO12',
    'RO1234567890',
    'SE123456789001',
    'SI12345678',
    'SK1234567890',
  ])('When the number is %s, then its syntax is valid', (n) => {
    expect(isValidVatNumber(n)).toBe(true);
  });

  it.each([
    ['ATU1234567', 'format'],
    ['AT12345678', 'format'],
    ['BE2123456789', 'format'],
    ['CY123456789', 'format'],
    ['DE12345678', 'format'],
    ['DE1234567890', 'format'],
    ['NL123456789A01', 'format'],
    ['SE123456789012', 'format'],
    ['RO0123', 'format'],
    ['FRIO732829320', 'format'], // I and O are not used in FR keys
    ['FR4473282932', 'format'],
    ['GR123456789', 'unknown_prefix'], // Greece uses EL
    ['GB123456789', 'unknown_prefix'],
    ['', 'unknown_prefix'],
    ['FR45732829320', 'check_key'], // key off by one
    ['FR44732829321', 'check_key'], // SIREN altered
  ])('When the number is %p, then it is rejected for %p', (n, reason) => {
    expect(checkVatNumber(n)).toEqual({ ok: false, reason });
  });

  it('When the number has spaces, dots, hyphens or lower case, then it is normalized first', () => {
    expect(checkVatNumber('fr 44.732-829 320')).toEqual({ ok: true, normalized: 'FR44732829320', country: 'FR' });
    expect(checkVatNumber('el123456789')).toEqual({ ok: true, normalized: 'EL123456789', country: 'GR' });
  });

  it('When computing the French key, then it is (12 + 3 × (SIREN mod 97)) mod 97, zero-padded', () => {
    expect(frenchVatKey('732829320')).toBe(44);
    expect(frenchVatNumberFromSiren('732829320')).toBe('FR44732829320');
    // 123456782 mod 97 = 32 → (12 + 96) mod 97 = 11
    expect(frenchVatKey('123456782')).toBe(11);
    expect(frenchVatNumberFromSiren('123456782')).toBe('FR11123456782');
    expect(() => frenchVatNumberFromSiren('123456789')).toThrow(RangeError);
  });

  it('When random Luhn-valid SIRENs get their computed key, then the number checks; any other numeric key fails', () => {
    const r = prng(7);
    let checked = 0;
    while (checked < 300) {
      const siren = String(Math.floor(r() * 1e9)).padStart(9, '0');
      if (!isValidSiren(siren)) continue;
      checked++;
      const good = frenchVatNumberFromSiren(siren);
      expect(checkVatNumber(good).ok).toBe(true);
      const otherKey = String((frenchVatKey(siren) + 1 + Math.floor(r() * 96)) % 97).padStart(2, '0');
      expect(checkVatNumber(`FR${otherKey}${siren}`)).toEqual({ ok: false, reason: 'check_key' });
    }
  });
});

describe('SIREN', () => {
  it.each([
    ['732829320', true],
    ['123456782', true],
    ['356000000', true],
    ['732829321', false], // Luhn fails
    ['123456789', false],
    ['73282932', false], // 8 digits
    ['7328293200', false], // 10 digits
    ['73282932A', false],
    ['', false],
  ])('When the SIREN is %p, then validity is %p', (siren, ok) => {
    expect(isValidSiren(siren)).toBe(ok);
  });
});

describe('formatRateBp', () => {
  it.each([
    [2000, '20\u00a0%'],
    [550, '5,5\u00a0%'],
    [210, '2,1\u00a0%'],
    [0, '0\u00a0%'],
    [1960, '19,6\u00a0%'],
  ])('When the rate is %p bp, then it reads %p', (bp, text) => {
    expect(formatRateBp(bp)).toBe(text);
  });
});
