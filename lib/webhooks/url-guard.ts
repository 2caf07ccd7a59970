// SSRF guard of customer webhook URLs: at registration (the URL and every address its host resolves
// to) and at delivery (the address actually connected to: a DNS lookup hook, so a name that
// resolves elsewhere later — DNS rebinding — is refused too). Loopback, private, link-local,
// carrier-grade NAT, multicast, reserved and cloud metadata addresses are refused; loopback is
// allowed only with WEBHOOK_ALLOW_LOOPBACK (development, tests), and plain http only there or in
// development.
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

const METADATA = new BlockList();
METADATA.addAddress('169.254.169.254', 'ipv4'); // AWS, GCP, Azure, …
METADATA.addAddress('100.100.100.200', 'ipv4'); // Alibaba
METADATA.addAddress('fd00:ec2::254', 'ipv6'); // AWS IPv6

const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv6');

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d, or its hex form) as the IPv4 address it is. */
function unmap(addr: string): string {
  const m = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(addr);
  if (!m) return addr;
  if (m[1]) return m[1];
  const hi = parseInt(m[2], 16);
  const lo = parseInt(m[3], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Why an address may not be a webhook target, or null when it may. */
export function addressRefusal(address: string, allowLoopback: boolean): string | null {
  const a = unmap(address.replace(/^\[|\]$/g, ''));
  const family = isIP(a) === 6 ? 'ipv6' : 'ipv4';
  if (isIP(a) === 0) return 'not an IP address';
  if (LOOPBACK.check(a, family)) return allowLoopback ? null : 'loopback address';
  if (METADATA.check(a, family)) return 'metadata address';
  if (INTERNAL.check(a, family)) return 'private, link-local or reserved address';
  return null;
}

export interface UrlPolicy {
  allowLoopback: boolean;
  /** Plain http allowed for any host (development). */
  development: boolean;
}

export class WebhookUrlError extends Error {
  constructor(
    readonly code: 'webhook_url_invalid' | 'webhook_url_insecure' | 'webhook_url_forbidden',
    message: string,
  ) {
    super(message);
  }
}

const lookupAll = (host: string) =>
  new Promise<LookupAddress[]>((resolve, reject) =>
    dnsLookup(host, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/** Checks a URL at registration: syntax, scheme, and every address of its host. */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError('webhook_url_invalid', 'not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new WebhookUrlError('webhook_url_invalid', 'the scheme must be https');
  if (url.username || url.password) throw new WebhookUrlError('webhook_url_invalid', 'credentials in the URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses =
    isIP(host) !== 0
      ? [host]
      : host === 'localhost' || host.endsWith('.localhost')
        ? ['127.0.0.1']
        : await lookupAll(host).then(
            (l) => l.map((x) => x.address),
            () => {
              throw new WebhookUrlError('webhook_url_invalid', `the host ${host} does not resolve`);
            },
          );
  for (const a of addresses) {
    const why = addressRefusal(a, policy.allowLoopback);
    if (why) throw new WebhookUrlError('webhook_url_forbidden', `the host resolves to a ${why}`);
  }
  const loopback = addresses.every((a) => addressRefusal(a, false) === 'loopback address');
  if (url.protocol === 'http:' && !policy.development && !(policy.allowLoopback && loopback))
    throw new WebhookUrlError('webhook_url_insecure', 'https is required');
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for the delivery's sockets: resolves as usual, then refuses a forbidden address, so
 * that what is checked is what is connected to.
 */
export function guardedLookup(allowLoopback: boolean) {
  return (hostname: string, options: { all?: boolean }, cb: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return cb(err, []);
      const bad = addresses.map((a) => addressRefusal(a.address, allowLoopback)).find(Boolean);
      if (bad) return cb(Object.assign(new Error(`webhook target refused: ${bad}`), { code: 'ESSRF' }), []);
      if (options.all) return cb(null, addresses);
      cb(null, addresses[0].address, addresses[0].family);
    });
  };
}
