/**
 * The synth floor: a bare cdktf program that creates exactly the resources of a synthesized
 * stack with the provider classes and no blueprint work (no YAML, no schema, no catalog, no
 * model, no names). It is generated from the `cdk.tf.json` mlplat wrote, so it renders the same
 * Terraform (checked by `compareStacks`), and it is what a cdktf user who already knew every
 * value would write.
 *
 * Each resource is the provider's typed class for its type, imported by submodule
 * (`@cdktf/provider-aws/lib/s3-bucket/index.js`, the same files mlplat's stacks load), built with
 * an empty config and given its attributes through `addOverride`: turning Terraform's snake_case
 * JSON back into each class's camelCase props is not reversible in general (map keys such as
 * tags, jsii renames), whereas overrides render byte-for-byte the same attributes. Types with no
 * prebuilt bindings (azapi) use cdktf's generic TerraformResource / TerraformProvider, exactly as
 * mlplat's stacks do. See bench/README.md for why this is the fair floor.
 */
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";

/** Terraform type prefix → the prebuilt cdktf provider package. */
export const PACKAGES = { aws: "@cdktf/provider-aws", google: "@cdktf/provider-google", azurerm: "@cdktf/provider-azurerm" };

const kebab = (s) => s.replace(/_/g, "-");

/** `aws_s3_bucket` → `{ pkg, submodule: "s3-bucket" }`; data sources get the `data-` submodules. */
export function bindingOf(type, kind) {
  const prefix = type.split("_")[0];
  const pkg = PACKAGES[prefix];
  if (!pkg) return undefined;
  if (kind === "provider") return { pkg, submodule: "provider" };
  const rest = type.slice(prefix.length + 1);
  return { pkg, submodule: kind === "data" ? `data-${kebab(type)}` : kebab(rest) };
}

/**
 * Finds the exported class of a submodule whose `tfResourceType` is `type`. Done once at
 * generation time, so the generated program imports classes by name like a hand-written one.
 */
async function className(projectRequire, spec, type) {
  let mod;
  try {
    mod = await import(projectRequire.resolve(spec));
  } catch (err) {
    if (err.code === "MODULE_NOT_FOUND" || err.code === "ERR_MODULE_NOT_FOUND") return undefined; // no prebuilt binding (e.g. a google-beta type)
    throw err;
  }
  for (const [name, value] of Object.entries(mod)) {
    if (typeof value === "function" && value.tfResourceType === type) return name;
  }
  return undefined;
}

/**
 * Writes `<dir>/floor.mjs` for the stack JSON at `stackJsonPath`. `dir` must be inside the
 * project (bare specifiers resolve through its node_modules, as in any cdktf project).
 * Other files beside cdk.tf.json (k8s manifests) are written by the program too, as literals,
 * so the floor produces the same output mlplat does.
 * `genericOnly`: every element is cdktf's generic TerraformResource / TerraformDataSource /
 * TerraformProvider (no provider package loaded at all): the lower floor issue 19 asks for.
 * `noTokenStacks`: the program skips cdktf's stack trace per token as mlplat's synth does
 * (stacks/app.ts), so that saving is not counted as mlplat's lead over the floor.
 * Returns `{ program, resources, generic }`.
 */
export async function writeFloorProgram({ stackJsonPath, stackName, dir, projectRequire, genericOnly = false, noTokenStacks = false }) {
  const json = JSON.parse(readFileSync(stackJsonPath, "utf8"));
  const imports = new Map(); // spec → Set(class names)
  const generic = new Set();
  const use = (spec, cls) => {
    if (!imports.has(spec)) imports.set(spec, new Set());
    imports.get(spec).add(cls);
    return cls;
  };
  const strip = (attrs) => {
    const { "//": _meta, ...rest } = attrs;
    return rest;
  };

  const lines = [];
  let n = 0;
  const element = async (kind, type, name, attrs) => {
    const b = bindingOf(type, kind);
    const spec = b && `${b.pkg}/lib/${b.submodule}/index.js`;
    const cls = spec && !genericOnly && (await className(projectRequire, spec, type));
    const id = JSON.stringify(`e${n++}`);
    const a = JSON.stringify(strip(attrs));
    if (cls) {
      use(spec, cls);
      lines.push(`el(new ${cls}(stack, ${id}, {}), ${JSON.stringify(name)}, ${a});`);
    } else {
      generic.add(type);
      const base = kind === "provider" ? "GenericProvider" : kind === "data" ? "GenericData" : "GenericResource";
      lines.push(`el(new ${base}(stack, ${id}, ${JSON.stringify(type)}), ${JSON.stringify(name)}, ${a});`);
    }
  };

  let resources = 0;
  for (const [type, list] of Object.entries(json.provider ?? {})) {
    for (const attrs of list) await element("provider", type, null, attrs);
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, attrs] of Object.entries(byName)) await element("data", type, name, attrs);
  }
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, attrs] of Object.entries(byName)) {
      await element("resource", type, name, attrs);
      resources++;
    }
  }
  for (const [name, out] of Object.entries(json.output ?? {})) {
    const { value, ...rest } = out;
    lines.push(`el(new TerraformOutput(stack, ${JSON.stringify(`o${n++}`)}, { value: ${JSON.stringify(value)} }), ${JSON.stringify(name)}, ${JSON.stringify(rest)});`);
  }
  // The terraform block (backend, required_providers) exactly as rendered.
  for (const [name, attrs] of Object.entries(json.terraform?.backend ?? {})) lines.push(`new Backend(stack, ${JSON.stringify(name)}, ${JSON.stringify(attrs)});`);
  // Other top-level blocks (removed, moved, import, locals, …) exactly as rendered.
  for (const [key, value] of Object.entries(json)) {
    if (!["provider", "data", "resource", "output", "terraform", "//"].includes(key)) lines.push(`stack.addOverride(${JSON.stringify(key)}, ${JSON.stringify(value)});`);
  }
  if (json.terraform?.required_providers) lines.push(`stack.addOverride("terraform.required_providers", ${JSON.stringify(json.terraform.required_providers)});`);

  const stackDir = join(stackJsonPath, "..");
  const extra = listFiles(stackDir).filter((f) => f !== "cdk.tf.json" && !f.startsWith(".terraform") && !f.endsWith(".tfplan") && f !== "terraform.log");
  const extraFiles = Object.fromEntries(extra.map((f) => [f, readFileSync(join(stackDir, f), "utf8")]));

  // CommonJS, as `cdktf init --template typescript` projects compile: require() is the fastest way
  // Node loads cdktf and the (CommonJS) providers; an ESM import would add Node's CJS export
  // lexer and format detection over every provider file (~120 ms), which mlplat's bundle avoids.
  const importLines = [...imports].map(([spec, set]) => `const { ${[...set].sort().join(", ")} } = require(${JSON.stringify(spec)});`);
  const program = `// Generated by bench/lib/floor.mjs from ${relative(process.cwd(), stackJsonPath)}: the bare cdktf floor${genericOnly ? " (generic classes only)" : ""}.
"use strict";${noTokenStacks ? `
// What mlplat does (stacks/app.ts skipTokenCreationStacks): no full stack trace per token.
require("cdktf/lib/tokens/private/stack-trace.js").captureStackTrace = () => [];` : ""}
const { mkdirSync, writeFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { App, TerraformStack, TerraformOutput, TerraformResource, TerraformDataSource, TerraformProvider, TerraformBackend } = require("cdktf");
${importLines.join("\n")}

class GenericResource extends TerraformResource {
  constructor(scope, id, type) { super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: type.split("_")[0] } }); }
}
class GenericData extends TerraformDataSource {
  constructor(scope, id, type) { super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: type.split("_")[0] } }); }
}
class GenericProvider extends TerraformProvider {
  constructor(scope, id, type) { super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: type } }); }
}
// A backend element, so cdktf does not add its default local backend beside it.
class Backend extends TerraformBackend {
  constructor(scope, name, attrs) { super(scope, "backend", name); this.attrs = attrs; }
  synthesizeAttributes() { return this.attrs; }
}
function el(e, name, attrs) {
  if (name !== null) e.overrideLogicalId(name);
  for (const k of Object.keys(attrs)) e.addOverride(k, attrs[k]);
}

const outdir = process.argv[2];
const app = new App({ outdir, stackTraces: false, hclOutput: false });
const stack = new TerraformStack(app, ${JSON.stringify(stackName)});
${lines.join("\n")}
app.synth();
const extra = ${JSON.stringify(extraFiles)};
for (const [f, text] of Object.entries(extra)) {
  const p = join(outdir, "stacks", ${JSON.stringify(stackName)}, f);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}
`;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `floor${genericOnly ? "-generic" : ""}${noTokenStacks ? "-no-token-stacks" : ""}.cjs`);
  writeFileSync(file, program);
  return { program: file, resources, generic: [...generic], classes: [...imports.values()].reduce((s, x) => s + x.size, 0), extraFiles: extra.length };
}

function listFiles(dir, prefix = "") {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== ".terraform") out.push(...listFiles(p, `${prefix}${name}/`));
    } else out.push(prefix + name);
  }
  return out;
}

/** Drops cdktf's `//` metadata (construct paths differ by design) and sorts keys. */
function normalize(v) {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .filter((k) => k !== "//")
        .sort()
        .map((k) => [k, normalize(v[k])]),
    );
  }
  return v;
}

/** First difference between two stack JSONs (ignoring `//` metadata), or undefined if equal. */
export function compareStacks(aPath, bPath) {
  const a = normalize(JSON.parse(readFileSync(aPath, "utf8")));
  const b = normalize(JSON.parse(readFileSync(bPath, "utf8")));
  return firstDiff(a, b, "");
}

function firstDiff(a, b, path) {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b)) return `${path || "/"}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
  if (a && typeof a === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      if (!(k in a)) return `${path}/${k}: missing in mlplat's output`;
      if (!(k in b)) return `${path}/${k}: missing in the floor's output`;
      const d = firstDiff(a[k], b[k], `${path}/${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
}
