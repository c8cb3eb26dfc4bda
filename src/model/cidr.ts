import { MlplatError } from "../util/errors.js";

/** Minimal IPv4 CIDR arithmetic shared by the rules and the cloud targets: parsing, RFC 1918 checks, overlap. */
export interface Cidr {
  /** Network address as an unsigned 32-bit integer (host bits cleared). */
  readonly base: number;
  readonly prefix: number;
}

export function parseCidr(s: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(s.trim());
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const ip = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  return { base: (ip & mask(prefix)) >>> 0, prefix };
}

const mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);

export function formatCidr(c: Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

const PRIVATE = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((s) => parseCidr(s)!);

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && ((inner.base & mask(outer.prefix)) >>> 0) === outer.base;
}

export function isPrivateCidr(c: Cidr): boolean {
  return PRIVATE.some((p) => contains(p, c));
}

/** Whether two blocks share an address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + 2 ** (32 - b.prefix) && b.base < a.base + 2 ** (32 - a.prefix);
}

/** An address as dotted quad. */
export function formatIp(ip: number): string {
  return formatCidr({ base: ip >>> 0, prefix: 0 }).replace(/\/0$/, "");
}

/**
 * For the cloud targets, which receive validated models: a CIDR that does not parse there is a
 * bug, reported with the target's code.
 */
export function requireCidr(s: string, code: string): Cidr {
  const c = parseCidr(s);
  if (!c) throw new MlplatError(code, `network.cidr ${s} is not an IPv4 CIDR.`, { hint: "use a CIDR such as 10.40.0.0/16." });
  return c;
}
