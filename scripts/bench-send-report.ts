// The bulk-send bench's result (bench-send.ts): the headline figures (SMS and e-mail per second,
// the ratio to the raw ceiling, upload rate, send worker peak RSS, lost and duplicated messages,
// CPU per message) as one JSON object, and the human summary printed before it.
import type { CampaignRun } from './bench-send-campaign';
import type { RawResult } from './bench-send-raw';

export interface BenchRuns {
  recipients: number;
  concurrency: number;
  window: number;
  callbacks: 'on' | 'off' | 'both';
  sendWorkers: number;
  /** Date.now() at the start of the bench. */
  started: number;
  smsOn: CampaignRun | null;
  smsOff: CampaignRun | null;
  email: CampaignRun;
  emailOff: CampaignRun | null;
  rawBefore: RawResult;
  rawAfter: RawResult;
  /** The raw client with the simulator's delivery reports received by a bare sink. */
  rawCallbacks: RawResult;
  /** Peak RSS (MB) of each send worker. */
  hwms: number[];
  rssSamples: { t: number; mb: number }[];
}

/** Our processes (not the simulator) per SMS, over the raw client's CPU per SMS: holds on a noisy host. */
const OUR_PROCESSES = ['worker:send', 'api', 'postgres', 'temporal', 'worker:lifecycle'];
function overheadFactor(cpu: Record<string, number>, rawCpuMs: number): number {
  const ours = OUR_PROCESSES.reduce((n, p) => n + (cpu[p] ?? 0), 0);
  return Math.round((ours / rawCpuMs) * 100) / 100;
}

export function benchReport(b: BenchRuns) {
  const { recipients, concurrency, window, callbacks, sendWorkers, started } = b;
  const { smsOn, smsOff, email, emailOff, rawBefore, rawAfter, rawCallbacks, hwms, rssSamples } = b;
  // This machine is shared and noisy: the ceiling is the better of the two measurements, so the
  // ratio is the conservative one.
  const raw = rawBefore.perSecond >= rawAfter.perSecond ? rawBefore : rawAfter;

  const hwm = Math.max(...hwms);
  const smsRate = smsOn?.perSecond ?? smsOff!.perSecond;
  const result = {
    recipients,
    sms_per_s: Math.round(smsRate),
    ...(smsOn && smsOff ? { sms_per_s_callbacks_off: Math.round(smsOff.perSecond) } : {}),
    raw_ceiling_per_s: Math.round(raw.perSecond),
    raw_ceiling_runs_per_s: [Math.round(rawBefore.perSecond), Math.round(rawAfter.perSecond)],
    ratio: Math.round((smsRate / raw.perSecond) * 1000) / 1000,
    ...(smsOn && smsOff ? { ratio_callbacks_off: Math.round((smsOff.perSecond / raw.perSecond) * 1000) / 1000 } : {}),
    email_per_s: Math.round(email.perSecond),
    ...(emailOff ? { email_per_s_events_off: Math.round(emailOff.perSecond) } : {}),
    ...(smsOn
      ? {
          raw_ceiling_with_callbacks_per_s: Math.round(rawCallbacks.perSecond),
          ratio_callbacks: Math.round((smsOn.perSecond / rawCallbacks.perSecond) * 1000) / 1000,
          overhead_factor: overheadFactor(smsOn.cpu, raw.cpuMsPerMessage),
        }
      : {}),
    sms_cpu_ms_per_message: (smsOn ?? smsOff)!.cpu,
    raw_client_cpu_ms_per_message: raw.cpuMsPerMessage,
    raw_client_with_callbacks_cpu_ms_per_message: rawCallbacks.cpuMsPerMessage,
    upload_rows_per_s: Math.round((smsOn ?? smsOff)!.uploadRate ?? 0),
    send_worker_peak_rss_mb: Math.round(hwm),
    ...(sendWorkers > 1
      ? { send_workers: sendWorkers, send_workers_total_peak_rss_mb: Math.round(hwms.reduce((a, b) => a + b, 0)) }
      : {}),
    lost: [smsOn, smsOff, email, emailOff].reduce((n, r) => n + (r?.lost ?? 0), 0),
    duplicates: [smsOn, smsOff, email, emailOff].reduce((n, r) => n + (r?.duplicates ?? 0), 0),
    concurrency,
    window_pages: window,
    callbacks,
  };
  const third = Math.floor(rssSamples.length / 3);
  const avg = (xs: { mb: number }[]) => Math.round(xs.reduce((s, x) => s + x.mb, 0) / Math.max(1, xs.length));
  const callbacksOff = smsOn && smsOff ? ` with delivery callbacks, ${result.sms_per_s_callbacks_off}/s without` : '';
  const ratioOff = smsOn && smsOff ? ` (${result.ratio_callbacks_off} without callbacks)` : '';
  const eventsOff = emailOff ? ` with delivery events, ${result.email_per_s_events_off}/s without` : '';
  const thirds = [rssSamples.slice(0, third), rssSamples.slice(third, 2 * third), rssSamples.slice(2 * third)];
  const summary = [
    '',
    `Bulk send, ${recipients} recipients, 50 ms carrier latency, ${concurrency} requests in flight, ` +
      `${window} pages in flight, ${sendWorkers} send worker(s)`,
    `  SMS                ${result.sms_per_s}/s${callbacksOff}`,
    `  raw ceiling        ${result.raw_ceiling_per_s}/s ` +
      '(same Twilio client, concurrency and number of processes, no Temporal, no DB)',
    `  ratio              ${result.ratio}${ratioOff}`,
    ...(smsOn
      ? [
          `  raw with reports   ${result.raw_ceiling_with_callbacks_per_s}/s (delivery reports to a bare sink); ` +
            `ratio_callbacks ${result.ratio_callbacks}`,
          `  overhead factor    ${result.overhead_factor} (CPU per SMS of our processes / the raw client's)`,
        ]
      : []),
    `  e-mail             ${result.email_per_s}/s${eventsOff}`,
    `  upload (CSV, API)  ${result.upload_rows_per_s} rows/s`,
    `  send worker RSS    peak ${result.send_worker_peak_rss_mb} MB${sendWorkers > 1 ? ' per worker' : ''}; ` +
      `average by thirds of the run ${thirds.map(avg).join(' / ')} MB`,
    `  lost / duplicated  ${result.lost} / ${result.duplicates} (simulator's record by message id)`,
    `  total time         ${((Date.now() - started) / 1000).toFixed(0)} s`,
  ].join('\n');
  return { result, summary };
}
