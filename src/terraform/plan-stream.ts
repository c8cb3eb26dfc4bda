import { z } from "zod";
import { MlplatError } from "../util/errors.js";
import { parseAddress } from "./addresses.js";

/**
 * The parts of `terraform plan -json`'s machine-readable UI stream that mlplat reads: one JSON
 * message per line, of which `planned_change` (one per resource instance that changes),
 * `change_summary` and `outputs` describe the saved plan. Reading them replaces a
 * `terraform show -json <planfile>` after the plan, which re-loads every provider schema and
 * renders every attribute of every resource (seconds of CPU on a cloud stack) for what is
 * only the address and action of each change. Other message types (`resource_drift`,
 * `refresh_*`, `apply_*`, `deferred_change`…) are ignored; unknown keys are dropped.
 * https://developer.hashicorp.com/terraform/internals/machine-readable-ui
 */

/**
 * A planned change's action. `replace` covers both orders (create before destroy, and
 * destroy then create); `remove` is a `removed` block forgetting an object; `move` and
 * `import` are moves and imports with nothing else to change.
 */
const ChangeAction = z.enum(["noop", "create", "read", "update", "replace", "delete", "move", "remove", "import"]);
export type ChangeAction = z.infer<typeof ChangeAction>;

const ResourceAddr = z.object({
  addr: z.string(),
  module: z.string().default(""),
  resource_type: z.string(),
  resource_name: z.string(),
  resource_key: z.union([z.string(), z.number()]).nullable().default(null),
});

const PlannedChangeMessage = z.object({
  type: z.literal("planned_change"),
  change: z.object({ resource: ResourceAddr, action: ChangeAction }),
});
export type PlannedChangeMessage = z.infer<typeof PlannedChangeMessage>;

const ChangeSummaryMessage = z.object({
  type: z.literal("change_summary"),
  changes: z.object({ add: z.number(), change: z.number(), remove: z.number() }),
});

const OutputsMessage = z.object({
  type: z.literal("outputs"),
  outputs: z.record(z.string(), z.object({ action: z.enum(["noop", "create", "update", "delete"]).optional() })),
});

const VersionMessage = z.object({ type: z.literal("version"), ui: z.string() });

export interface PlannedChange {
  /** `aws_s3_bucket.storage_datasets`, with module path and instance key when it has them. */
  readonly address: string;
  readonly mode: "managed" | "data";
  /** Resource type, e.g. `aws_s3_bucket`. */
  readonly type: string;
  /** Resource name (the logical id), without any instance key. */
  readonly name: string;
  readonly action: ChangeAction;
}

/** What a saved plan changes: its resource instances in stream order, and its root outputs. */
export interface PlannedChanges {
  readonly resources: readonly PlannedChange[];
  /** Root module output name → action (`outputs` lists them all, unchanged ones as `noop`). */
  readonly outputs: Readonly<Record<string, ChangeAction>>;
}

/**
 * Reads the messages of a successful `terraform plan -json` (each line already JSON-parsed).
 * Fails (exit 3) rather than under-report: on a stream of another major UI version, on one
 * that ends before its `change_summary` (terraform prints it after every planned change), and
 * on one whose summary counts more destructions than its planned changes list.
 */
export function parsePlanStream(messages: readonly unknown[], source: string): PlannedChanges {
  const resources: PlannedChange[] = [];
  const outputs: Record<string, ChangeAction> = {};
  let summary: z.infer<typeof ChangeSummaryMessage>["changes"] | undefined;
  for (const message of messages) {
    switch ((message as { type?: unknown } | null)?.type) {
      case "version": {
        const { ui } = parseWith(VersionMessage, message, source);
        if (!/^1\./.test(ui)) throw shapeError(source, `machine-readable UI version ${ui}; mlplat reads version 1.x.`);
        break;
      }
      case "planned_change": {
        const { resource, action } = parseWith(PlannedChangeMessage, message, source).change;
        const mode = parseAddress(resource.addr)?.mode ?? (/(^|\.)data\./.test(resource.addr) ? "data" : "managed");
        resources.push({ address: resource.addr, mode, type: resource.resource_type, name: resource.resource_name, action });
        break;
      }
      case "change_summary":
        summary = parseWith(ChangeSummaryMessage, message, source).changes;
        break;
      case "outputs":
        for (const [name, o] of Object.entries(parseWith(OutputsMessage, message, source).outputs)) outputs[name] = o.action ?? "noop";
        break;
    }
  }
  if (!summary) throw shapeError(source, "the stream has no change_summary message: terraform's output ended early.");
  // Terraform counts a replace as one removal and one addition; data sources never count.
  const removals = resources.filter((r) => r.mode === "managed" && (r.action === "delete" || r.action === "replace")).length;
  if (summary.remove > removals) {
    throw shapeError(source, `its change_summary counts ${summary.remove} to destroy, but only ${removals} planned deletions or replacements are listed.`);
  }
  return { resources, outputs };
}

/**
 * Terraform's own order of resource instances, which `terraform show -json` lists them in:
 * module path, data before managed, type, name, then instance key (numbers before strings).
 * Stream messages arrive in the order the plan walk finished them, which varies between runs.
 */
export function compareResourceAddrs(a: PlannedChangeMessage["change"]["resource"], b: PlannedChangeMessage["change"]["resource"]): number {
  const dataA = /(^|\.)data\./.test(a.addr);
  const dataB = /(^|\.)data\./.test(b.addr);
  return (
    cmp(a.module.split(".").length, b.module.split(".").length) ||
    cmp(a.module, b.module) ||
    (dataA === dataB ? 0 : dataA ? -1 : 1) ||
    cmp(a.resource_type, b.resource_type) ||
    cmp(a.resource_name, b.resource_name) ||
    cmpKey(a.resource_key, b.resource_key)
  );
}

/** Sorts the `planned_change` messages of a stream into terraform's address order (stable: deposed objects keep theirs). */
export function sortPlannedChanges(messages: readonly unknown[]): unknown[] {
  const planned: { message: unknown; resource: PlannedChangeMessage["change"]["resource"] }[] = [];
  const rest: unknown[] = [];
  for (const message of messages) {
    // Malformed ones stay as they are, for parsePlanStream to refuse.
    const r = PlannedChangeMessage.safeParse(message);
    if (r.success) planned.push({ message, resource: r.data.change.resource });
    else rest.push(message);
  }
  planned.sort((x, y) => compareResourceAddrs(x.resource, y.resource));
  return [...rest, ...planned.map((p) => p.message)];
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpKey(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a !== typeof b) return typeof a === "number" ? -1 : 1;
  return cmp(a, b);
}

function parseWith<T>(schema: z.ZodType<T>, message: unknown, source: string): T {
  const r = schema.safeParse(message);
  if (r.success) return r.data;
  throw shapeError(source, z.prettifyError(r.error));
}

function shapeError(source: string, details: string): MlplatError {
  return new MlplatError("MLP_TERRAFORM_JSON", `terraform's plan JSON from ${source} has an unexpected shape.`, {
    exitCode: 3,
    details,
    hint: "mlplat reads terraform's machine-readable UI v1 (`terraform plan -json`); check `terraform version` (1.5 or later is supported).",
  });
}
