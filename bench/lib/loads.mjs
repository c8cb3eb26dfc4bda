/**
 * The loading check: which files a command loads, from a module log (module-log.mjs). Issue 9
 * asks that validate, schema, catalog, cost and --help never load cdktf or a provider package,
 * and that synth load only the target cloud's provider submodules, never a package index.
 */
import { existsSync, readFileSync } from "node:fs";
import { PACKAGES, bindingOf } from "./floor.mjs";

/** mlplat's cloud names → the Terraform type prefix of their provider. */
const TF_PREFIX = { aws: "aws", gcp: "google", azure: "azurerm" };
// From node_modules, or the minified copies the bundle ships (dist/vendor, scripts/bundle.mjs).
const PROVIDER = /(?:node_modules|dist\/vendor)\/@cdktf\/(provider-[a-z]+)\/(.*)$/;

export function readModuleLog(file) {
  return existsSync(file) ? [...new Set(readFileSync(file, "utf8").split("\n").filter(Boolean))] : [];
}

/** Submodules (`provider-aws/s3-bucket`) the stack JSON needs: its resources, data sources, providers. */
export function neededSubmodules(stackJson) {
  const json = JSON.parse(readFileSync(stackJson, "utf8"));
  const out = new Set();
  const add = (type, kind) => {
    const b = bindingOf(type, kind);
    if (b) out.add(`${b.pkg.replace("@cdktf/", "")}/${b.submodule}`);
  };
  for (const type of Object.keys(json.provider ?? {})) add(type, "provider");
  for (const type of Object.keys(json.resource ?? {})) add(type, "resource");
  for (const type of Object.keys(json.data ?? {})) add(type, "data");
  return out;
}

/**
 * `{ files, packages, cdktf, providerIndex, otherClouds, submodules, unused, problems }` for one
 * command. `cloud` is the target cloud of a synth (undefined for commands that must load none).
 */
export function analyzeLoads(files, { cloud, stackJson } = {}) {
  const packages = new Set();
  const submodules = new Set();
  const providerPackages = new Set();
  let providerIndex = false;
  for (const f of files) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1];
    if (pkg) packages.add(pkg);
    const m = PROVIDER.exec(f);
    if (m) {
      providerPackages.add(m[1]);
      if (m[2] === "lib/index.js" || m[2] === "index.js") providerIndex = true;
      const sub = /^lib\/([^/]+)\/index\.js$/.exec(m[2]);
      if (sub) submodules.add(`${m[1]}/${sub[1]}`);
    }
  }
  const cdktf = packages.has("cdktf");
  const own = cloud ? PACKAGES[TF_PREFIX[cloud]].replace("@cdktf/", "") : undefined;
  const otherClouds = [...providerPackages].filter((p) => p !== own);
  const needed = stackJson ? neededSubmodules(stackJson) : new Set();
  const unused = [...submodules].filter((s) => !needed.has(s)).sort();
  const problems = [];
  if (!cloud) {
    if (cdktf) problems.push("loads cdktf");
    if (providerPackages.size) problems.push(`loads ${[...providerPackages].join(", ")}`);
  } else {
    if (providerIndex) problems.push("loads a provider package index");
    if (otherClouds.length) problems.push(`loads other clouds' providers: ${otherClouds.join(", ")}`);
  }
  return { files: files.length, packages: [...packages].sort(), cdktf, providerIndex, otherClouds, submodules: [...submodules].sort(), needed: needed.size, unused, problems };
}
