import {
  FRANCE_OPT_OUT_POLICY,
  finalSmsText,
  needsOptOutMention,
  optOutMention,
  classifyInbound,
  parseInboundKeyword,
  withOptOutMention,
} from '../../domain/opt-out';
import { smsSegments } from '../../domain/sms-segments';

describe('opt-out mention', () => {
  it('When the stop number is configured, then the mention uses it', () => {
    expect(optOutMention('36180')).toBe('STOP au 36180');
    expect(optOutMention('38200')).toBe('STOP au 38200');
  });

  it('When a body is given, then the mention is appended on its own line after trailing spaces are removed', () => {
    expect(withOptOutMention('Soldes -20% ce week-end  ', 'STOP au 36180')).toBe(
      'Soldes -20% ce week-end\nSTOP au 36180',
    );
  });

  it('When the body already ends with the mention (any case), then it is not added twice', () => {
    expect(withOptOutMention('Promo\nstop au 36180', 'STOP au 36180')).toBe('Promo\nstop au 36180');
  });

  it('When a 146-character GSM body gets the mention, then the final text is 160 septets: one segment; one more character makes two', () => {
    const mention = optOutMention('36180'); // 13 characters + 1 newline = 14 septets
    const fits = finalSmsText({ body: 'a'.repeat(146), purpose: 'marketing', country: 'FR' }, FRANCE_OPT_OUT_POLICY);
    expect(fits.text.endsWith(`\n${mention}`)).toBe(true);
    expect(fits).toMatchObject({ encoding: 'GSM-7', units: 160, segments: 1 });
    const over = finalSmsText({ body: 'a'.repeat(147), purpose: 'marketing', country: 'FR' }, FRANCE_OPT_OUT_POLICY);
    expect(over).toMatchObject({ units: 161, segments: 2 });
    expect(smsSegments('a'.repeat(147)).segments).toBe(1); // the body alone would have been one
  });

  it('When the message is transactional or to a non-French number, then the text is unchanged', () => {
    expect(
      finalSmsText({ body: 'Code 1234', purpose: 'transactional', country: 'FR' }, FRANCE_OPT_OUT_POLICY).text,
    ).toBe('Code 1234');
    expect(finalSmsText({ body: 'Promo', purpose: 'marketing', country: 'BE' }, FRANCE_OPT_OUT_POLICY).text).toBe(
      'Promo',
    );
  });

  it.each([
    [{ purpose: 'marketing', channel: 'sms', country: 'FR' }, true],
    [{ purpose: 'marketing', channel: 'email', country: 'FR' }, false],
    [{ purpose: 'transactional', channel: 'sms', country: 'FR' }, false],
    [{ purpose: 'marketing', channel: 'sms', country: 'DE' }, false],
  ] as const)('When the message is %j, then the mention is needed: %s', (message, expected) => {
    expect(needsOptOutMention(message, FRANCE_OPT_OUT_POLICY)).toBe(expected);
  });
});

describe('parseInboundKeyword', () => {
  it.each(['STOP', 'stop', '  Stop ', 'STOP SMS', 'stop   sms', 'ARRET', 'Arrêt', 'UNSUBSCRIBE', 'Stop.', 'STOP!'])(
    'When the reply is %j, then it is stop',
    (body) => expect(parseInboundKeyword(body)).toBe('stop'),
  );

  it.each(['START', 'start', ' Unstop '])('When the reply is %j, then it is start', (body) => {
    expect(parseInboundKeyword(body)).toBe('start');
  });

  it.each(['', 'STOPPER', 'please stop', 'stop it now', 'merci', 'STARTING'])(
    'When the reply is %j, then it is no keyword',
    (body) => expect(parseInboundKeyword(body)).toBeNull(),
  );
});

describe('classifyInbound', () => {
  it.each([
    ['STOP', 'stop'],
    ['Arrêt.', 'stop'],
    ['unstop', 'start'],
    ['HELP', 'help'],
    [' aide ', 'help'],
    ['Info!', 'help'],
    ['help me please', 'other'],
    ['merci', 'other'],
    ['', 'other'],
  ])('When the reply is %j, then it is classified %s', (body, expected) => {
    expect(classifyInbound(body)).toBe(expected);
  });
});
