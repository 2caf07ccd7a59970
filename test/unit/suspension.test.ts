import { suspensionNotice } from '../../domain/suspension';

describe('what a suspension tells the User (6.3.4, 7.3, 10.3)', () => {
  it('When the account is suspended for late payment, then nothing is sent (7.3: without notice)', () => {
    expect(suspensionNotice('late_payment', 'invoice F-1 unpaid at its due date (7.3)')).toBeNull();
  });
  it('When suspended for a breach or by staff, then the User is informed at once under 6.3.4, with the reason', () => {
    for (const kind of ['breach', 'staff']) {
      expect(suspensionNotice(kind, 'Unpaid sender registration')).toEqual({
        clause: '6.3.4',
        subject: 'Your access to the platform is suspended',
        text:
          'Your access to the Platform and the Services is suspended with immediate effect (article 6.3.4). ' +
          'Reason: Unpaid sender registration',
      });
    }
  });
  it('When suspended for prohibited behaviour, then the information cites 10.3 as well', () => {
    expect(suspensionNotice('prohibited_use', 'Phishing')?.text).toContain('(article 6.3.4, 10.3). Reason: Phishing');
  });
});
