import { redactRequest, redactUrl } from '../../lib/logger';

const key = `tk_${'A1b2_C3d4-'.repeat(4)}`;

describe('secrets in logged URLs (lib/logger.ts)', () => {
  test('When a query parameter is named like a credential, then its value is redacted and the rest kept', () => {
    expect(redactUrl('/v1/notices/42/acknowledge?token=abc_DEF-123')).toBe(
      '/v1/notices/42/acknowledge?token=[redacted]',
    );
    expect(redactUrl('/x?api_key=1&Signature=2&client_secret=3&password=4&sig=5&X-Amz-Credential=6&state=open')).toBe(
      '/x?api_key=[redacted]&Signature=[redacted]&client_secret=[redacted]&password=[redacted]&sig=[redacted]&X-Amz-Credential=[redacted]&state=open',
    );
    expect(redactUrl('/x?%74oken=1')).toBe('/x?%74oken=[redacted]'); // percent-encoded name
    expect(redactUrl('/v1/staff/deadlines?kind=formal_notice_cure&limit=10')).toBe(
      '/v1/staff/deadlines?kind=formal_notice_cure&limit=10',
    );
  });

  test('When one of our credentials is pasted anywhere in a URL, then it is redacted', () => {
    expect(redactUrl(`/v1/account/${key}?q=${key}`)).toBe('/v1/account/[redacted]?q=[redacted]');
    expect(redactUrl('/v1/account')).toBe('/v1/account');
  });

  test('When pino-http serializes a request, then its url and query are redacted', () => {
    const out = redactRequest({
      method: 'GET',
      url: '/a?token=s3cret&x=1',
      query: { token: 's3cret', x: '1', y: key },
    });
    expect(out).toEqual({
      method: 'GET',
      url: '/a?token=[redacted]&x=1',
      query: { token: '[redacted]', x: '1', y: '[redacted]' },
    });
  });
});
