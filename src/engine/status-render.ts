import type { EndpointStatus, StatusReport, TrafficShare } from "./status.js";
import { isKnown, type Known } from "./status-sources.js";

/** `mlplat status` for people: a block per endpoint, one line per field, `unknown (reason)` where a source could not say. */
export function renderStatus(report: StatusReport): string {
  const lines = [`Stack ${report.stack} (${report.cloud}):${isKnown(report.terraform) ? "" : ` terraform state unknown (${report.terraform.unknown})`}`];
  if (report.endpoints.length === 0) lines.push("  no serving endpoints in the blueprint");
  for (const e of report.endpoints) lines.push(...endpointLines(e));
  return lines.join("\n");
}

function endpointLines(e: EndpointStatus): string[] {
  const out = [`  endpoint ${e.endpoint} (${e.runtime})${isKnown(e.resource) ? `: ${e.resource.value}` : ""}`];
  const field = (label: string, k: Known<unknown>, show: (v: never) => string) => out.push(`    ${label.padEnd(9)} ${isKnown(k) ? show(k.value as never) : `unknown (${k.unknown})`}`);
  field("declared", e.declared, (d: { config?: string; traffic?: readonly TrafficShare[] }) => [d.config, d.traffic ? split(d.traffic) : undefined].filter(Boolean).join("; ") || "-");
  field("serving", e.serving, (s: { revision?: string; config?: string; state?: string }) => [s.config ?? s.revision, s.state].filter(Boolean).join(", ") || "-");
  field("traffic", e.traffic, split);
  field("rollout", e.rollout, (r: { strategy: string; inProgress: boolean; detail: string }) => `${r.strategy}: ${r.inProgress ? "IN PROGRESS, " : ""}${r.detail}`);
  field("alarms", e.alarms, (a: readonly { name: string; state: string }[]) =>
    a.length === 0 ? (e.runtime === "kubernetes" ? "none (runtime kubernetes endpoints have no cloud alarms)" : "none") : a.map((x) => `${x.name} ${x.state}`).join(", "),
  );
  return out;
}

function split(t: readonly TrafficShare[]): string {
  return t.length === 0 ? "no traffic" : t.map((x) => `${x.percent}% ${x.revision}`).join(", ");
}
