import { compileTemplate, createRowValidator, type RowContext } from '../../api/recipient-rows';
import { renderTemplate, TemplateError } from '../../domain/templating';
import { TokenBuckets } from '../../api/rate-limit';

const prices = { sms: { FR: 450, DE: 700, '*': 900 }, email: { '*': 10 } };
const sms = (over: Partial<RowContext> = {}) =>
  createRowValidator({
    channel: 'sms',
    purpose: 'transactional',
    template: 'Bonjour {{name}}',
    optOutMention: 'STOP au 36180',
    prices,
    defaultCountry: 'FR',
    ...over,
  });

describe('recipient row validator', () => {
  test('When an international number is given, then it is normalised to E.164 with its country, and priced per segment at that country', () => {
    expect(sms()('+49 1512 3456789', { name: 'Jo' })).toEqual({
      ok: true,
      recipient: '+4915123456789',
      country: 'DE',
      vars: { name: 'Jo' },
      segments: 1,
      priceE4: 700,
    });
  });

  test('When a national number is given, then it is read in the account country', () => {
    expect(sms()('06 12 34 56 78', { name: 'Jo' })).toMatchObject({
      ok: true,
      recipient: '+33612345678',
      country: 'FR',
    });
  });

  test('When the number is not valid, then the row is rejected as invalid_phone', () => {
    expect(sms()('+33 1', { name: 'Jo' })).toEqual({ ok: false, reason: 'invalid_phone' });
    expect(sms()('call me', { name: 'Jo' })).toEqual({ ok: false, reason: 'invalid_phone' });
  });

  test('When a template variable is absent, null or empty, then the row is rejected as missing_variable with its name', () => {
    for (const vars of [{}, { name: null }, { name: '' }]) {
      expect(sms()('+33612345678', vars)).toEqual({ ok: false, reason: 'missing_variable', missing: ['name'] });
    }
  });

  test('When the row has columns the template does not use, then only the used variables are kept', () => {
    expect(sms()('+33612345678', { name: 'Jo', city: 'Lyon' })).toMatchObject({ ok: true, vars: { name: 'Jo' } });
  });

  test('When a marketing SMS goes to France, then the opt-out mention is counted: 160 characters become 2 segments', () => {
    const body = 'x'.repeat(150);
    const marketing = sms({ purpose: 'marketing', template: body });
    expect(marketing('+33612345678', {})).toMatchObject({ segments: 2, priceE4: 900 });
    // Same text, not France or not marketing: one segment.
    expect(marketing('+4915123456789', {})).toMatchObject({ segments: 1, priceE4: 700 });
    expect(sms({ template: body })('+33612345678', {})).toMatchObject({ segments: 1, priceE4: 450 });
  });

  test('When the rendered text of a row is longer, then that row alone has more segments', () => {
    const v = sms();
    expect(v('+33612345678', { name: 'a'.repeat(152) })).toMatchObject({ segments: 1 });
    expect(v('+33612345678', { name: 'a'.repeat(153) })).toMatchObject({ segments: 2, priceE4: 900 });
  });

  test('When an e-mail address is given, then it is normalised (domain lowercased) and priced at the default e-mail price; a bad one is invalid_email', () => {
    const email = createRowValidator({
      channel: 'email',
      purpose: 'marketing',
      template: 'Hi {{name}}',
      subject: 'For {{company}}',
      optOutMention: 'STOP',
      prices,
    });
    expect(email('Jo.Doe@Example.COM', { name: 'Jo', company: 'Acme' })).toEqual({
      ok: true,
      recipient: 'Jo.Doe@example.com',
      country: null,
      vars: { name: 'Jo', company: 'Acme' },
      segments: 1,
      priceE4: 10,
    });
    expect(email('jo@', { name: 'Jo', company: 'Acme' })).toEqual({ ok: false, reason: 'invalid_email' });
    expect(email('jo@example.com', { name: 'Jo' })).toEqual({
      ok: false,
      reason: 'missing_variable',
      missing: ['company'],
    });
  });

  test('When the destination has no price and there is no default, then the row is rejected as no_price', () => {
    const v = createRowValidator({
      channel: 'sms',
      purpose: 'transactional',
      template: 'x',
      optOutMention: 'STOP',
      prices: { sms: { FR: 450 }, email: {} },
    });
    expect(v('+4915123456789', {})).toEqual({ ok: false, reason: 'no_price' });
  });
});

describe('per-account token bucket', () => {
  test('When the burst is spent, then the next request is refused with the seconds until a token, and a token returns after 1/rate s', () => {
    let now = 0;
    const b = new TokenBuckets(2, 3, () => now);
    expect([b.take('a'), b.take('a'), b.take('a')].every((r) => r.ok)).toBe(true);
    expect(b.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(b.take('b').ok).toBe(true); // another account has its own bucket
    now = 499;
    expect(b.take('a').ok).toBe(false);
    now = 500;
    expect(b.take('a').ok).toBe(true);
  });
});

describe('compiled template', () => {
  test('When a template is compiled, then it renders exactly as renderTemplate for every shape of placeholder and value', () => {
    const templates = [
      'plain',
      '{{a}}',
      'x {{ a }} y {{b}}{{a}} z',
      '{{a}}{{b}}',
      'cost: $& {{a}} $1',
      'nested {{{a}}}?',
      '',
    ];
    const values = [
      { a: 'A', b: 'B' },
      { a: '$&', b: '{{b}}' },
      { a: '', b: ' ' },
    ];
    for (const t of templates) {
      for (const v of values) expect(compileTemplate(t)(v)).toBe(renderTemplate(t, v));
    }
  });

  test('When a placeholder is malformed, then compiling throws like rendering', () => {
    expect(() => compileTemplate('Hi {{first name}}')).toThrow(TemplateError);
  });
});
