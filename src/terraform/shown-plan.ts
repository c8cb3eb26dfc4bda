import { z } from "zod";
import { MlplatError } from "../util/errors.js";
import { compareResourceAddrs, type ChangeAction, type PlannedChange, type PlannedChanges } from "./plan-stream.js";

/**
 * What a saved plan changes, read from `terraform show -json <planfile>` instead of the plan's
 * UI stream: a remote run (HCP Terraform / Terraform Enterprise, `spec.state.backend: hcp`)
 * plans on the remote engine, and what the CLI prints of it is the engine's rendering, not
 * terraform's machine-readable stream. `terraform show -json` of the saved cloud plan fetches
 * the run's JSON plan (terraform internal/command/show.go → cloud.ShowPlanForRun), in the same
 * format as a local plan's: https://developer.hashicorp.com/terraform/internals/json-format.
 *
 * The result is what `parsePlanStream` returns for the same plan (test/terraform/shown-plan
 * checks both on plans made by the real terraform): the changed instances in terraform's
 * address order, unchanged ones left out unless moved or imported, and the outputs' actions.
 */
const Actions = z.array(z.enum(["no-op", "create", "read", "update", "delete", "forget"])).min(1);

const ResourceChange = z.object({
  address: z.string(),
  module_address: z.string().optional(),
  mode: z.enum(["managed", "data"]),
  type: z.string(),
  name: z.string(),
  index: z.union([z.string(), z.number()]).optional(),
  previous_address: z.string().optional(),
  change: z.object({ actions: Actions, importing: z.unknown().optional() }),
});

const ShownPlan = z.object({
  format_version: z.string(),
  resource_changes: z.array(ResourceChange).default([]),
  output_changes: z.record(z.string(), z.object({ actions: Actions })).default({}),
});

export function parseShownPlan(json: unknown, source: string): PlannedChanges {
  const r = ShownPlan.safeParse(json);
  if (!r.success) throw shapeError(source, z.prettifyError(r.error));
  if (!/^1\./.test(r.data.format_version)) throw shapeError(source, `JSON format version ${r.data.format_version}; mlplat reads version 1.x.`);
  const changed = r.data.resource_changes
    .map((c) => ({ c, action: actionOf(c.change.actions, c, source) }))
    .filter(({ action }) => action !== "noop")
    .sort((x, y) => compareResourceAddrs(addr(x.c), addr(y.c)));
  const resources: PlannedChange[] = changed.map(({ c, action }) => ({ address: c.address, mode: c.mode, type: c.type, name: c.name, action }));
  const outputs: Record<string, ChangeAction> = {};
  for (const [name, o] of Object.entries(r.data.output_changes)) outputs[name] = actionOf(o.actions, {}, source);
  return { resources, outputs };
}

function actionOf(actions: readonly string[], c: { previous_address?: string; change?: { importing?: unknown } }, source: string): ChangeAction {
  const key = actions.join(",");
  switch (key) {
    case "no-op":
      return c.previous_address ? "move" : c.change?.importing ? "import" : "noop";
    case "create":
    case "read":
    case "update":
    case "delete":
      return key;
    case "delete,create":
    case "create,delete":
      return "replace";
    case "forget":
      return "remove";
  }
  throw shapeError(source, `a change with actions [${key}], which mlplat does not know; it refuses rather than under-report what the plan does.`);
}

function addr(c: z.infer<typeof ResourceChange>) {
  return { addr: c.address, module: c.module_address ?? "", resource_type: c.type, resource_name: c.name, resource_key: c.index ?? null };
}

function shapeError(source: string, details: string): MlplatError {
  return new MlplatError("MLP_TERRAFORM_JSON", `terraform's plan JSON from ${source} has an unexpected shape.`, {
    exitCode: 3,
    details,
    hint: "mlplat reads terraform's JSON plan format v1 (`terraform show -json`); check `terraform version` (1.5 or later is supported).",
  });
}
