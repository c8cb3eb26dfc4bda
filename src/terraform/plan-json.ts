import { z } from "zod";
import { MlplatError } from "../util/errors.js";

/**
 * The parts of `terraform show -json` (the current state, without a plan file) that mlplat
 * reads, and nothing more: the state format grows with every terraform release, so unknown
 * keys are dropped rather than rejected. Plans are read from `terraform plan -json` instead
 * (src/terraform/plan-stream.ts).
 * https://developer.hashicorp.com/terraform/internals/json-format
 */
interface StateModuleShape {
  resources?: StateResource[];
  child_modules?: StateModuleShape[];
}
const StateResourceSchema = z.object({
  address: z.string(),
  mode: z.enum(["managed", "data"]),
  type: z.string(),
  name: z.string(),
  depends_on: z.array(z.string()).default([]),
});
export type StateResource = z.infer<typeof StateResourceSchema>;
const StateModule: z.ZodType<StateModuleShape> = z.lazy(() =>
  z.object({
    resources: z.array(StateResourceSchema).optional(),
    child_modules: z.array(StateModule).optional(),
  }),
);

/** `terraform show -json` without a plan file: the current state (no `values` when it is empty). */
export const StateJson = z.object({
  format_version: z.string(),
  values: z.object({ root_module: StateModule }).optional(),
});
export type StateJson = z.infer<typeof StateJson>;

/** Every resource in a state, child modules included. */
export function stateResources(state: StateJson): StateResource[] {
  const out: StateResource[] = [];
  const walk = (m: StateModuleShape | undefined) => {
    if (!m) return;
    out.push(...(m.resources ?? []));
    for (const c of m.child_modules ?? []) walk(c);
  };
  walk(state.values?.root_module);
  return out;
}

export function parseStateJson(json: unknown, source: string): StateJson {
  return parseWith(StateJson, json, source, "state");
}

function parseWith<T>(schema: z.ZodType<T>, json: unknown, source: string, what: string): T {
  const r = schema.safeParse(json);
  if (r.success) return r.data;
  throw new MlplatError("MLP_TERRAFORM_JSON", `terraform's ${what} JSON from ${source} has an unexpected shape.`, {
    exitCode: 3,
    details: z.prettifyError(r.error),
    hint: "mlplat reads terraform's JSON format v1; check `terraform version` (1.5 or later is supported).",
  });
}
