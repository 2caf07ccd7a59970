import type { Running } from '../../scripts/infra';

export default async function globalTeardown(): Promise<void> {
  const running = (globalThis as { __tentacleInfra?: Running[] }).__tentacleInfra ?? [];
  await Promise.all(running.map((r) => r.stop().catch(() => undefined)));
}
