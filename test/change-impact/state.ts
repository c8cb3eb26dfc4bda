import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mockApplyTestFile, realisticValue } from "./mock-defaults.js";
import { diagnostics, terraform } from "./terraform.js";

/**
 * A deployed v1 without a cloud: `terraform test` applies the synthesized stack with
 * `mock_provider "aws"` (the real provider's schema, no API call), and `-json -verbose` prints
 * the applied state as a `test_state` message (`terraform show -json`'s format). `toTfState`
 * turns that into a version-4 state file the real provider then plans edits against.
 */

export interface ShownResource {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly schema_version: number;
  values: Record<string, unknown>;
}

/** A state file, version 4, as terraform writes it. */
export interface TfState {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, unknown>;
  resources: {
    mode: string;
    type: string;
    name: string;
    provider: string;
    instances: { index_key?: string | number; schema_version: number; attributes: Record<string, unknown>; sensitive_attributes: unknown[] }[];
  }[];
}

let computedArnTypes: Promise<ReadonlySet<string>> | undefined;

/** Resource types of hashicorp/aws with a computed `arn` (from `terraform providers schema -json`, once per run). */
function typesWithComputedArn(initializedDir: string): Promise<ReadonlySet<string>> {
  return (computedArnTypes ??= terraform(initializedDir, ["providers", "schema", "-json"]).then(({ stdout }) => {
    const schemas = JSON.parse(stdout) as {
      provider_schemas: Record<string, { resource_schemas: Record<string, { block: { attributes?: Record<string, { computed?: boolean }> } }> }>;
    };
    const aws = Object.entries(schemas.provider_schemas).find(([k]) => k.endsWith("hashicorp/aws"))?.[1];
    const out = new Set<string>();
    for (const [type, s] of Object.entries(aws?.resource_schemas ?? {})) if (s.block.attributes?.arn?.computed) out.add(type);
    return out;
  }));
}

/**
 * Mock-applies the stack in `stackDir` (a synthesized `cdk.tf.json`) inside `work` and returns
 * the applied resources. The teardown that `terraform test` attempts afterwards fails on
 * `prevent_destroy` (buckets, keys); that is expected and ignored once the state was printed.
 */
export async function mockApply(stackDir: string, work: string): Promise<ShownResource[]> {
  mkdirSync(join(work, "stack"), { recursive: true });
  cpSync(join(stackDir, "cdk.tf.json"), join(work, "stack", "cdk.tf.json"));
  writeFileSync(
    join(work, "main.tf.json"),
    JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } } } }),
  );
  await terraform(work, ["init", "-input=false", "-no-color"]);
  const withArn = await typesWithComputedArn(work);
  const declared = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { resource: Record<string, unknown> };
  const types = Object.keys(declared.resource).sort();
  writeFileSync(join(work, "v1.tftest.hcl"), mockApplyTestFile(types.map((t) => [t, withArn.has(t)] as [string, boolean])));
  // Again, now that the test file names the module under test (init installs it).
  await terraform(work, ["init", "-input=false", "-no-color"]);
  const { stdout } = await terraform(work, ["test", "-json", "-verbose", "-no-color"], true);
  for (const line of stdout.split("\n")) {
    if (!line.includes('"test_state"')) continue;
    const m = JSON.parse(line) as { type: string; test_state?: { root_module: { resources?: ShownResource[] }; provider_schemas?: ProviderSchemas } };
    if (m.type !== "test_state" || !m.test_state) continue;
    const resources = m.test_state.root_module.resources ?? [];
    const aws = Object.entries(m.test_state.provider_schemas ?? {}).find(([k]) => k.endsWith("hashicorp/aws"))?.[1];
    for (const r of resources) {
      const block = aws?.resource_schemas[r.type]?.block;
      if (block) r.values = scrubInvented(r.values, block, r.type) as Record<string, unknown>;
    }
    return resources;
  }
  throw new Error(`terraform test printed no applied state for ${stackDir}:\n${diagnostics(stdout)}`);
}

interface Block {
  attributes?: Record<string, { optional?: boolean; computed?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; block: Block }>;
}
type ProviderSchemas = Record<string, { resource_schemas: Record<string, { block: Block }> }>;

/** The mock's invented strings: eight lower-case letters and digits. */
const INVENTED = /^[a-z0-9]{8}$/;

/**
 * Optional+computed attributes the configuration leaves unset get an invented string from the
 * mock (`log_group_class = "v1xy4pc7"`), which the real provider then rejects (an enum) or, for
 * a ForceNew one, plans to replace. Where a real apply would have stored the cloud's default,
 * that default is written instead (`REALISTIC`, by resource type and attribute path); values
 * the configuration sets or references stay as the mock made them.
 */
function scrubInvented(values: unknown, block: Block, type: string, path = ""): unknown {
  if (!values || typeof values !== "object" || Array.isArray(values)) return values;
  const out: Record<string, unknown> = { ...(values as Record<string, unknown>) };
  for (const [name, a] of Object.entries(block.attributes ?? {})) {
    const at = path + name;
    if (!(a.optional && a.computed && typeof out[name] === "string" && INVENTED.test(out[name] as string))) continue;
    const real = realisticValue(type, at);
    if (real !== undefined) out[name] = real;
  }
  for (const [name, b] of Object.entries(block.block_types ?? {})) {
    const v = out[name];
    if (Array.isArray(v)) out[name] = v.map((x) => scrubInvented(x, b.block, type, `${path}${name}.`));
    else if (v && typeof v === "object") out[name] = scrubInvented(v, b.block, type, `${path}${name}.`);
  }
  return out;
}

/** The shown resources as a version-4 state file (instances grouped by resource, index keys kept). */
export function toTfState(resources: readonly ShownResource[], serial = 1): TfState {
  const byResource = new Map<string, TfState["resources"][number]>();
  for (const r of resources) {
    const key = `${r.mode}.${r.type}.${r.name}`;
    let entry = byResource.get(key);
    if (!entry) {
      entry = { mode: r.mode, type: r.type, name: r.name, provider: `provider["${r.provider_name}"]`, instances: [] };
      byResource.set(key, entry);
    }
    entry.instances.push({
      ...(r.index !== undefined ? { index_key: r.index } : {}),
      schema_version: r.schema_version,
      attributes: r.values,
      sensitive_attributes: [],
    });
  }
  return {
    version: 4,
    terraform_version: "1.11.4",
    serial,
    lineage: "6d6c706c-6174-4000-8000-6368616e6765",
    outputs: {},
    resources: [...byResource.values()],
  };
}
