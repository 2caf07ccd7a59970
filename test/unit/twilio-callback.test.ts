// Our Twilio StatusCallback URL (activities/carriers/twilio-signature.ts): one builder, with the
// connection overrides that make Twilio retry; the signature check passes whether Twilio signs the
// URL without its fragment (as it does) or with our overrides, and nothing else.
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import {
  twilioStatusCallback,
  verifyTwilioSignature,
  withoutFragment,
} from '../../activities/carriers/twilio-signature';

const TOKEN = 'test-auth-token';
const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };

describe('Twilio status callback URL', () => {
  test('When it is built, then it asks for 5 retries on 5xx and timeouts (not 4xx) within 15 s', () => {
    const url = twilioStatusCallback('https://api.example/', '42');
    expect(withoutFragment(url)).toBe('https://api.example/webhooks/twilio/status?mid=42');
    const overrides = new URLSearchParams(url.split('#')[1]);
    expect(Object.fromEntries(overrides)).toEqual({ rc: '5', rp: '5xx,ct,rt', ct: '2000', rt: '5000', tt: '15000' });
  });

  test(
    'When a callback arrives (its URL without the fragment), then a signature over that URL or over the ' +
      'URL with our overrides passes, one over another fragment or another mid does not',
    () => {
      const configured = twilioStatusCallback('https://api.example', '42');
      const called = withoutFragment(configured);
      const sign = (url: string) => getExpectedTwilioSignature(TOKEN, url, params);
      expect(verifyTwilioSignature(TOKEN, sign(called), called, params)).toBe(true);
      expect(verifyTwilioSignature(TOKEN, sign(configured), called, params)).toBe(true);
      expect(verifyTwilioSignature(TOKEN, sign(`${called}#rc=1`), called, params)).toBe(false);
      expect(verifyTwilioSignature(TOKEN, sign(configured.replace('mid=42', 'mid=43')), called, params)).toBe(false);
    },
  );
});
