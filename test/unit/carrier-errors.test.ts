// The two carrier-error classifiers the page activities run (6.3.1: refusals retried, message
// errors never, configuration errors fail the page, no answer is ambiguous): the same status does
// not mean the same at Twilio and SendGrid.
import { classifySendGridError, classifyTwilioError } from '../../activities/sending/carrier-errors';

describe('classifyTwilioError', () => {
  test('429 and 5xx are refusals, with Twilio’s code when it gave one', () => {
    expect(classifyTwilioError({ status: 429, code: 20429 })).toEqual({ kind: 'refused', code: '20429' });
    expect(classifyTwilioError({ status: 500 })).toEqual({ kind: 'refused', code: '500' });
    expect(classifyTwilioError({ status: 499 })).toEqual({ kind: 'permanent', code: '499' });
  });
  test('401, 403 and 404 are our configuration; any other 4xx is about the message', () => {
    expect(classifyTwilioError({ status: 401, code: 20003 })).toEqual({ kind: 'fatal', code: '20003' });
    expect(classifyTwilioError({ status: 404 })).toEqual({ kind: 'fatal', code: '404' });
    expect(classifyTwilioError({ status: 400, code: 21211 })).toEqual({ kind: 'permanent', code: '21211' });
  });
  test('no HTTP status is ambiguous, named by the network error', () => {
    expect(classifyTwilioError(Object.assign(new Error('socket hang up'), { name: 'ECONNRESET' }))).toEqual({
      kind: 'ambiguous',
      code: 'ECONNRESET',
    });
  });
});

describe('classifySendGridError', () => {
  test('401 and 403 are our configuration; a 404 rejects the batch (not fatal as at Twilio)', () => {
    expect(classifySendGridError({ code: 401 })).toEqual({ kind: 'fatal', code: '401' });
    expect(classifySendGridError({ code: 403 })).toEqual({ kind: 'fatal', code: '403' });
    expect(classifySendGridError({ code: 404 })).toEqual({ kind: 'permanent', code: '404' });
    expect(classifySendGridError({ code: 400 })).toEqual({ kind: 'permanent', code: '400' });
  });
  test('429, 5xx and any other answered status are refusals', () => {
    expect(classifySendGridError({ code: 429 })).toEqual({ kind: 'refused', code: '429' });
    expect(classifySendGridError({ code: 503 })).toEqual({ kind: 'refused', code: '503' });
    expect(classifySendGridError({ code: 302 })).toEqual({ kind: 'refused', code: '302' });
  });
  test('no HTTP status is ambiguous, named by the error’s own code, else its message', () => {
    expect(classifySendGridError({ code: 'ETIMEDOUT', message: 'timeout' })).toEqual({
      kind: 'ambiguous',
      code: 'ETIMEDOUT',
    });
    expect(classifySendGridError(new Error('socket hang up'))).toEqual({ kind: 'ambiguous', code: 'socket hang up' });
  });
});
