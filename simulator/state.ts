// What the simulator saw: every accepted message, counted per our message id (mid) so tests and
// benchmarks can prove nothing was lost or sent twice.

export interface SimRecord {
  channel: 'sms' | 'email';
  /** Our message id (StatusCallback ?mid= for Twilio, custom_args.mid for SendGrid). */
  mid: string | null;
  /** Twilio StatusCallback as given (listed by GET as the non-standard `status_callback`). */
  statusCallback?: string | null;
  /** Twilio message SID, or SendGrid X-Message-Id (shared by the request's recipients). */
  carrierId: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  /** SMS body, or e-mail subject. */
  body: string | null;
  segments: number;
  status: string;
  errorCode: number | null;
  acceptedAt: number;
  sentAt: number | null;
  updatedAt: number;
}

export interface SimulatorStats {
  requests: { twilio: number; sendgrid: number };
  accepted: { sms: number; email: number };
  /** Refusals by "carrier:code", e.g. "twilio:20429", "sendgrid:429". */
  rejected: Record<string, number>;
  mids: {
    /** Distinct mids accepted. */
    unique: number;
    /** Mids accepted more than once. */
    duplicated: number;
    /** Acceptances beyond the first, summed over mids. */
    extraAcceptances: number;
  };
  /** Up to 100 duplicated mids, to investigate. */
  duplicateMids: string[];
  /** `retried`: re-posts scheduled (after a non-2xx or no answer), as the carrier's policy allows. */
  callbacks: { queued: number; delivered: number; failed: number; dropped: number; retried: number; pending: number };
  records: { kept: number; notKept: number };
}

export class SimulatorState {
  readonly records: SimRecord[] = [];
  readonly bySid = new Map<string, SimRecord>();
  private readonly midCounts = new Map<string, number>();
  private readonly duplicates = new Set<string>();
  requests = { twilio: 0, sendgrid: 0 };
  accepted = { sms: 0, email: 0 };
  rejected: Record<string, number> = {};
  extraAcceptances = 0;
  notKept = 0;

  reject(key: string): void {
    this.rejected[key] = (this.rejected[key] ?? 0) + 1;
  }

  accept(record: SimRecord, maxRecords: number): void {
    this.accepted[record.channel] += 1;
    if (record.mid !== null) {
      const count = (this.midCounts.get(record.mid) ?? 0) + 1;
      this.midCounts.set(record.mid, count);
      if (count > 1) {
        this.extraAcceptances += 1;
        this.duplicates.add(record.mid);
      }
    }
    if (this.records.length < maxRecords) {
      this.records.push(record);
      if (record.channel === 'sms') this.bySid.set(record.carrierId, record);
    } else {
      this.notKept += 1;
    }
  }

  acceptedCount(mid: string): number {
    return this.midCounts.get(mid) ?? 0;
  }

  duplicateMids(): string[] {
    return [...this.duplicates];
  }

  snapshot(callbacks: SimulatorStats['callbacks']): SimulatorStats {
    return {
      requests: { ...this.requests },
      accepted: { ...this.accepted },
      rejected: { ...this.rejected },
      mids: { unique: this.midCounts.size, duplicated: this.duplicates.size, extraAcceptances: this.extraAcceptances },
      duplicateMids: [...this.duplicates].slice(0, 100),
      callbacks,
      records: { kept: this.records.length, notKept: this.notKept },
    };
  }
}
