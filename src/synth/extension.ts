import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readBlueprintBytes } from "../blueprint/read-file.js";
import { MlplatError } from "../util/errors.js";

/**
 * `--extension FILE` (issue 15, item 13): a Terraform JSON file merged into the synthesized
 * stack, so a team can add a resource (a dashboard) or override an attribute and still go
 * through plan/deploy/destroy with the summary, the data-loss and disruption guards. Only the
 * command line names one: a blueprint can never bring code.
 *
 * What it may hold: `resource`, `data`, `output` and `locals` blocks, of resource types from
 * the providers the stack already uses (no `external`, `local`, `null`, `http` provider: they
 * run programs, touch the machine or call out). Not `terraform` (backend, providers), `provider`
 * (credentials, account), `module` (downloads code), `variable`, and no `provisioner` or
 * `connection` anywhere. The merge is Terraform's override idea on JSON: objects merge key by
 * key, anything else (strings, lists) replaces what the stack had.
 *
 * The guards run on the FINAL JSON: the escaping sink's backstop (`unsafeExpressions`,
 * stacks/common/terraform-literals.ts) refuses any `${…}` that is not a reference or an allowed
 * call (`file()`, `templatefile()`… are not), and the plan of the merged stack is what the
 * data-loss and disruption guards read.
 */
export interface Extension {
  /** As given on the command line, for messages. */
  readonly file: string;
  readonly json: Record<string, unknown>;
}

const ALLOWED_BLOCKS = new Set(["resource", "data", "output", "locals"]);
const FORBIDDEN_KEYS = new Set(["provisioner", "connection"]);
/** Resource type prefixes per provider name in the stack's required_providers. */
const PREFIX: Record<string, string> = { aws: "aws_", google: "google_", "google-beta": "google_", azurerm: "azurerm_", azuread: "azuread_", random: "random_", time: "time_", tls: "tls_", azapi: "azapi_" };

function refuse(file: string, message: string, hint: string, details?: string): MlplatError {
  return new MlplatError("MLP_EXTENSION_INVALID", `--extension ${file}: ${message}`, { hint, details });
}

/** Reads and checks the file's shape (not yet its resource types: that needs the stack). */
export function readExtension(file: string): Extension {
  if (!/\.json$/i.test(file)) throw refuse(file, "an extension is a Terraform JSON file (.json or .tf.json).", "write the blocks to add or override as JSON, e.g. extension.tf.json.");
  const read = readBlueprintBytes(file);
  if (!read.ok) throw refuse(file, read.message, read.hint);
  let json: unknown;
  try {
    json = JSON.parse(read.bytes.toString("utf8"));
  } catch (e) {
    throw refuse(file, `not valid JSON (${(e as Error).message}).`, "check the file with `node -e 'JSON.parse(require(\"fs\").readFileSync(process.argv[1]))' FILE`.");
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw refuse(file, "the file must hold a JSON object of Terraform blocks.", 'e.g. { "resource": { … }, "output": { … } }.');
  const blocks = Object.keys(json);
  const bad = blocks.filter((k) => !ALLOWED_BLOCKS.has(k));
  if (bad.length > 0) {
    throw refuse(
      file,
      `${bad.map((b) => `\`${b}\``).join(", ")} ${bad.length === 1 ? "is" : "are"} not allowed; an extension holds resource, data, output and locals blocks only.`,
      "the backend, providers and credentials come from the blueprint (spec.state, spec.<cloud>); modules and variables are not supported.",
    );
  }
  const forbidden: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (FORBIDDEN_KEYS.has(k)) forbidden.push(`${path}.${k}`);
        walk(x, path ? `${path}.${k}` : k);
      }
    }
  };
  walk(json, "");
  if (forbidden.length > 0) throw refuse(file, `provisioners run commands on this machine and are not allowed (${forbidden.join(", ")}).`, "remove them; run such steps in your pipeline instead.");
  return { file, json: json as Record<string, unknown> };
}

/** Objects merged key by key; anything else replaces. The result is a new object. */
export function mergeJson(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeJson(base[k], v) : v;
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Merges the extension into `<stackDir>/cdk.tf.json` (synth's temporary output, before it is
 * swapped in: a refused extension leaves the previous output as it was) and checks the result.
 */
export async function applyExtension(stackDir: string, ext: Extension): Promise<void> {
  const path = join(stackDir, "cdk.tf.json");
  const stack = JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;
  const providers = Object.keys(stack.terraform?.required_providers ?? {});
  const prefixes = providers.map((p) => PREFIX[p] ?? `${p}_`);
  const foreign: string[] = [];
  for (const block of ["resource", "data"] as const) {
    for (const type of Object.keys((ext.json[block] as Record<string, unknown> | undefined) ?? {})) {
      if (!prefixes.some((p) => type.startsWith(p))) foreign.push(`${block === "data" ? "data." : ""}${type}`);
    }
  }
  if (foreign.length > 0) {
    throw refuse(
      ext.file,
      `${foreign.join(", ")}: not a type of the stack's providers (${providers.join(", ")}).`,
      "an extension adds resources of the providers the platform already uses; a new provider (external, local, null, http…) is not allowed.",
    );
  }
  const merged = mergeJson(stack, ext.json);
  const { unsafeExpressions } = await import("../../stacks/common/terraform-literals.js");
  const problems = unsafeExpressions(merged);
  if (problems.length > 0) {
    throw refuse(
      ext.file,
      `${problems.length} Terraform expression${problems.length === 1 ? "" : "s"} mlplat does not allow; nothing was written.`,
      "an extension may reference resources (`${aws_sagemaker_endpoint.serving_chat.name}`) and call the functions mlplat's own stacks use; " +
        "functions that read files or the environment are not allowed. For a literal `${`, write `$${`.",
      problems.map((p) => `  - ${p.path}: ${JSON.stringify(p.expression)} (${p.reason})`).join("\n"),
    );
  }
  const tmp = `${path}.ext.tmp`;
  writeFileSync(tmp, JSON.stringify(merged, null, 2));
  renameSync(tmp, path);
}
