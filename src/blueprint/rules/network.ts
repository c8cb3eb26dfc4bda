import { diag, type Diagnostic } from "../diagnostics.js";
import { formatCidr, isPrivateCidr, parseCidr } from "../../model/cidr.js";
import type { Rule } from "./rule.js";

/** network.cidr: a valid RFC 1918 network address, /16 to /24. */
export const networkCidr: Rule = ({ bp }) => {
  const raw = bp.spec.network.cidr;
  const path = ["spec", "network", "cidr"];
  const c = parseCidr(raw);
  if (!c) return [diag({ code: "MLP_CIDR_INVALID", message: `\`${raw}\` is not an IPv4 CIDR.`, path, found: raw, allowed: "a.b.c.d/n", hint: "write it like 10.40.0.0/16." })];
  const out: Diagnostic[] = [];
  if (!isPrivateCidr(c)) {
    out.push(diag({ code: "MLP_CIDR_NOT_PRIVATE", message: `${raw} is not in private (RFC 1918) address space.`, path, found: raw, allowed: "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16", hint: "use a range such as 10.40.0.0/16." }));
  }
  if (c.prefix < 16 || c.prefix > 24) {
    out.push(diag({ code: "MLP_CIDR_SIZE", message: `/${c.prefix} is outside the sizes mlplat carves subnets from.`, path, found: `/${c.prefix}`, allowed: "/16 to /24", hint: `use /16 (room for large clusters) up to /24.` }));
  }
  if (formatCidr(c) !== raw) {
    out.push(diag({ code: "MLP_CIDR_HOST_BITS", message: `${raw} has host bits set; the network address is ${formatCidr(c)}.`, path, found: raw, hint: `write ${formatCidr(c)}.` }));
  }
  return out;
};

/** adminCidrs: valid, never the whole internet; required (and warned about) for a public cluster. */
export const adminAccess: Rule = ({ bp }) => {
  const n = bp.spec.network;
  const out: Diagnostic[] = [];
  n.adminCidrs.forEach((raw, i) => {
    const path = ["spec", "network", "adminCidrs", i];
    const c = parseCidr(raw);
    if (!c) out.push(diag({ code: "MLP_CIDR_INVALID", message: `\`${raw}\` is not an IPv4 CIDR.`, path, found: raw, allowed: "a.b.c.d/n", hint: "write your office or VPN range, like 203.0.113.0/24." }));
    else if (c.prefix === 0) out.push(diag({ code: "MLP_ADMIN_CIDR_OPEN", message: "0.0.0.0/0 would open the cluster API and firewalls to the whole internet.", path, found: raw, hint: "list the public ranges of your office or VPN instead, or keep privateCluster: true." }));
    else if (formatCidr(c) !== raw) out.push(diag({ code: "MLP_CIDR_HOST_BITS", message: `${raw} has host bits set; the network address is ${formatCidr(c)}.`, path, found: raw, hint: `write ${formatCidr(c)}.` }));
  });
  if (!n.privateCluster) {
    if (n.adminCidrs.length === 0) {
      out.push(diag({ code: "MLP_PUBLIC_CLUSTER_NEEDS_ADMIN_CIDRS", message: "privateCluster: false needs adminCidrs: the public API endpoint is reachable only from them.", path: ["spec", "network", "privateCluster"], found: "adminCidrs: []", hint: "add `adminCidrs: [203.0.113.0/24]` (your office or VPN), or keep privateCluster: true." }));
    } else {
      out.push(diag({ severity: "warning", code: "MLP_PUBLIC_CLUSTER_ENDPOINT", message: `the cluster API endpoint is public, limited to ${n.adminCidrs.join(", ")}.`, path: ["spec", "network", "privateCluster"], found: "false", hint: "keep privateCluster: true and reach the API through a VPN or bastion where you can." }));
    }
  }
  return out;
};
