// Runs the carrier simulator as its own process:
//   node dist/simulator/main.js --port 4010 [--host 127.0.0.1] [--config '{"latency":{"fixedMs":50}}']
// or with SIM_PORT, SIM_HOST, SIM_CONFIG, SIM_ACCOUNT_SID, SIM_AUTH_TOKEN, SIM_SENDGRID_API_KEY.
// When ready it prints one JSON line: { url, port, twilio: {...}, sendgrid: {...} }.
// Drive it over HTTP under /_sim (stats, records, accepted-counts, config, inbound, reset, idle, info).
import { startCarrierSimulator, type SimulatorConfigPatch } from './index';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? process.env.SIM_PORT ?? 0);
  const configText = arg('config') ?? process.env.SIM_CONFIG;
  const simulator = await startCarrierSimulator({
    port,
    host: arg('host') ?? process.env.SIM_HOST,
    accountSid: process.env.SIM_ACCOUNT_SID,
    authToken: process.env.SIM_AUTH_TOKEN,
    sendgridApiKey: process.env.SIM_SENDGRID_API_KEY,
    config: configText ? (JSON.parse(configText) as SimulatorConfigPatch) : undefined,
  });
  const { url, twilio, sendgrid } = simulator;
  process.stdout.write(`${JSON.stringify({ url, port: simulator.port, twilio, sendgrid })}\n`);
  const shutdown = () => {
    simulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
