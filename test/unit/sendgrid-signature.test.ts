import { generateKeyPairSync, sign } from 'node:crypto';
import { createSendGridVerifier, verifySendGridSignature } from '../../activities/carriers/sendgrid-signature';

// A key pair made here, so the verifier is tested independently of the simulator.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const publicKeyBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const payload = '[{"email":"a@example.com","event":"delivered","mid":"m1"}]\r\n';
const timestamp = '1750000000';
const signature = sign('sha256', Buffer.from(timestamp + payload), privateKey).toString('base64');

describe('SendGrid Event Webhook signature', () => {
  it('When payload, timestamp and signature are as signed, then it verifies (string or raw bytes)', () => {
    expect(verifySendGridSignature(publicKeyBase64, { payload, signature, timestamp })).toBe(true);
    expect(verifySendGridSignature(publicKeyBase64, { payload: Buffer.from(payload), signature, timestamp })).toBe(
      true,
    );
  });

  it('When one byte of the payload changes (even trailing whitespace), then it fails', () => {
    expect(verifySendGridSignature(publicKeyBase64, { payload: payload.trimEnd(), signature, timestamp })).toBe(false);
    expect(
      verifySendGridSignature(publicKeyBase64, { payload: payload.replace('m1', 'm2'), signature, timestamp }),
    ).toBe(false);
  });

  it('When the timestamp, signature or key differ, or a header is missing, then it fails without throwing', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .publicKey.export({ type: 'spki', format: 'der' })
      .toString('base64');
    expect(verifySendGridSignature(publicKeyBase64, { payload, signature, timestamp: '1750000001' })).toBe(false);
    expect(verifySendGridSignature(other, { payload, signature, timestamp })).toBe(false);
    expect(verifySendGridSignature(publicKeyBase64, { payload, signature: 'bm90IGEgc2lnbmF0dXJl', timestamp })).toBe(
      false,
    );
    expect(verifySendGridSignature(publicKeyBase64, { payload, signature: undefined, timestamp })).toBe(false);
    expect(verifySendGridSignature(publicKeyBase64, { payload, signature, timestamp: undefined })).toBe(false);
  });

  it('When a maximum age is set, then a signature older or newer than that is refused at the boundary', () => {
    const verify = createSendGridVerifier(publicKeyBase64, 300);
    const signedAt = Number(timestamp) * 1000;
    expect(verify({ payload, signature, timestamp }, new Date(signedAt + 300_000))).toBe(true);
    expect(verify({ payload, signature, timestamp }, new Date(signedAt + 301_000))).toBe(false);
    expect(verify({ payload, signature, timestamp }, new Date(signedAt - 301_000))).toBe(false);
  });
});
