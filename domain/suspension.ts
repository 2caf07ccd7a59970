// What a User is told when the account is suspended (ToS 6.3.4, 7.3, 10.3). No I/O.
//
// 6.3.4: a breach of the T&Cs suspends "without prior notice but subject to immediate
// information": the User is informed at once (10.3, prohibited behaviour, suspends under the same
// clause). 7.3: an invoice unpaid at its due date suspends "without notice": nothing is sent.

export interface SuspensionNotice {
  clause: string;
  subject: string;
  text: string;
}

/** The information a suspension of this kind requires, or null when the clause requires none. */
export function suspensionNotice(kind: string, reason: string): SuspensionNotice | null {
  if (kind === 'late_payment') return null;
  return {
    clause: '6.3.4',
    subject: 'Your access to the platform is suspended',
    text:
      'Your access to the Platform and the Services is suspended with immediate effect ' +
      `(article 6.3.4${kind === 'prohibited_use' ? ', 10.3' : ''}). Reason: ${reason}`,
  };
}
