/** Minimal IPv4 CIDR arithmetic: parsing, RFC 1918 checks and deterministic subnet carving. */
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

/** The `index`-th subnet of size `/newPrefix` inside `c` (like Terraform's cidrsubnet). */
export function subnet(c: Cidr, newPrefix: number, index: number): Cidr {
  if (newPrefix < c.prefix || newPrefix > 32) throw new RangeError(`cannot carve /${newPrefix} from /${c.prefix}`);
  const count = 2 ** (newPrefix - c.prefix);
  if (index < 0 || index >= count) throw new RangeError(`subnet ${index} out of range: /${c.prefix} holds ${count} /${newPrefix}`);
  return { base: (c.base + index * 2 ** (32 - newPrefix)) >>> 0, prefix: newPrefix };
}

/** cidrsubnet on strings: `cidrSubnet("10.0.0.0/16", 4, 1)` → `10.0.16.0/20`. */
export function cidrSubnet(cidr: string, newBits: number, index: number): string {
  const c = parseCidr(cidr);
  if (!c) throw new RangeError(`not a CIDR: ${cidr}`);
  return formatCidr(subnet(c, c.prefix + newBits, index));
}
