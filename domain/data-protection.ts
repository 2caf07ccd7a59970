// The Annex's data-protection registers, as data, in one place: the sub-processors (Annex 2.2,
// 2.5) and the record of the processing carried out for each User (Annex 1; GDPR art. 30(2)).
// GET /v1/sub-processors and GET /v1/account/processing-record answer with this content; the
// page that documents it is docs/data-protection.md. No I/O.

export interface SubProcessor {
  name: string;
  service: string;
  /** Where the data is processed (ISO 3166-1 alpha-2). */
  country: string;
  /** Annex 2.2: the safeguard of a transfer outside the EU/EEA, or none needed. */
  transferBasis: string;
  /** The channels whose messages it processes; [] = every channel (hosting). */
  channels: ('sms' | 'email')[];
}

const SCC = 'Standard Contractual Clauses (Commission Decision (EU) 2021/914, GDPR art. 46(2)(c)), Annex 2.2';

export const SUB_PROCESSORS: readonly SubProcessor[] = Object.freeze([
  {
    name: 'Twilio Inc.',
    service: 'SMS delivery (carrier API, delivery reports, inbound replies)',
    country: 'US',
    transferBasis: SCC,
    channels: ['sms'],
  },
  {
    name: 'Twilio SendGrid (Twilio Inc.)',
    service: 'E-mail delivery (API, delivery events)',
    country: 'US',
    transferBasis: SCC,
    channels: ['email'],
  },
  {
    name: 'ISO 27001 certified data host (Appendix 1)',
    service: 'Hosting of the platform: application servers, PostgreSQL database, backups',
    country: 'FR',
    transferBasis: 'None: processed within the European Union',
    channels: [],
  },
]);

/** Annex 1, "Description of Processing", with the retention that the terms and the platform apply. */
export const PROCESSING_RECORD = Object.freeze({
  role: 'The User is the data controller; the platform processes on its documented instructions (Annex 2.1.1)',
  purposes: ['Sending e-mail, SMS or other messages on behalf of the User (Annex 1)'],
  operations: ['recording', 'storage', 'organisation', 'modification', 'communication', 'deletion'],
  dataCategories: [
    'Identification data of message recipients: surname, first name, telephone number, e-mail address (Annex 1)',
    'Message content and per-recipient template variables supplied by the User',
    'Delivery status and history of each message, carrier error codes',
    'Replies received from recipients (inbound SMS) and the suppression lists (STOP, unsubscribe, bounce, complaint)',
  ],
  dataSubjects: [
    'Customers, prospects, partners, suppliers and employees of customers, prospects, partners, ' +
      'prospective suppliers or partners of the User (Annex 1)',
  ],
  retention: [
    'For the duration of the contract, as the User keeps them (messages, campaigns, suppressions, replies)',
    'After termination: the User may ask for its data within the data-return period of its terms (10.2); ' +
      'the returned copy can be collected for 30 days, then deleted, and destruction is confirmed in writing ' +
      '(Annex 2.4)',
    'Invoices and accounting records: kept as the law requires (Annex 2.4: unless a copy must be kept by law)',
  ],
  security: [
    'Hosting by an ISO 27001 certified data host (Appendix 1)',
    'Staff access with two-factor authentication, every access audit-logged with its reason (Appendix 1)',
    'Encrypted transmissions; continuous and secure backups (Appendix 1)',
  ],
  breachNotification: 'Within 36 hours of awareness, by e-mail (Annex 2.3.3)',
});
