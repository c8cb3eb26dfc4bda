import { isMap, isScalar, parseDocument, type Document } from "yaml";
import { MetadataSchema } from "../blueprint/schema.js";
import { CLOUDS, type Cloud } from "../model/platform.js";
import { MlplatError } from "../util/errors.js";
import { bakeEnvironment, cloudEnvironments, removeEnvironments } from "./bake.js";

/** Where a template goes when `--cloud` names a cloud it has no overlay for. */
export const DEFAULT_REGION: Readonly<Record<Cloud, string>> = { aws: "us-east-1", gcp: "us-central1", azure: "eastus" };

/** Account blocks added when the template has none for the chosen cloud; placeholders overridable from the environment. */
const ACCOUNT_PLACEHOLDER: Readonly<Record<Cloud, Record<string, string>>> = {
  aws: { accountId: "${env:AWS_ACCOUNT_ID:-123456789012}" },
  gcp: { project: "${env:GCP_PROJECT:-my-ml-project}" },
  azure: { subscriptionId: "${env:AZURE_SUBSCRIPTION_ID:-00000000-0000-0000-0000-000000000000}" },
};

export interface StarterOptions {
  /** Template name, for the header note. */
  readonly template: string;
  /** `--cloud`: the cloud the starter targets. */
  readonly cloud?: Cloud;
  /** `--name`: metadata.name. */
  readonly name?: string;
}

export interface Starter {
  readonly text: string;
  /** The cloud the written blueprint's base targets. */
  readonly cloud: Cloud;
  /** The template environment baked into the base (`--cloud` with a matching overlay). */
  readonly baked?: string;
  /** Environments dropped because they port the platform to another cloud. */
  readonly removed: readonly string[];
  /** `--cloud` named a cloud the template has no overlay for: cloud/region/account were set by hand. */
  readonly retargeted: boolean;
}

/**
 * A template's text → the starter blueprint's text. Without options it is the template,
 * byte for byte (its formatting is curated). With `--cloud C`:
 *  - the template's environment for C (the one named C, else any that sets `spec.cloud: C`) is
 *    baked into the base, so the file *is* that port, no `--env` needed;
 *  - every environment that switches `cloud` is removed: they were written against the old
 *    base and would no longer port correctly (dev/prod-style overlays stay);
 *  - with no overlay for C, `cloud` is set, `region` moves to C's default region, and a
 *    placeholder account block is added: the caller validates and shows what still needs editing.
 * Edits go through the yaml Document API, so comments survive.
 */
export function renderStarter(templateText: string, opts: StarterOptions): Starter {
  if (opts.name !== undefined) {
    const r = MetadataSchema.shape.name.safeParse(opts.name);
    if (!r.success) {
      throw new MlplatError("MLP_INIT_NAME", `--name ${JSON.stringify(opts.name)} ${r.error.issues[0]?.message ?? "is not a valid platform name"}.`, {
        hint: "use 3-20 characters: lowercase letters, digits and '-', starting with a letter (it prefixes every resource name).",
      });
    }
  }
  const doc = parseDocument(templateText, { keepSourceTokens: false });
  if (doc.errors.length) throw new MlplatError("MLP_INIT_TEMPLATE", `the template ${opts.template} does not parse: ${doc.errors[0]!.message}`);
  const base = doc.getIn(["spec", "cloud"]);
  const baseCloud = (CLOUDS as readonly string[]).includes(String(base)) ? (base as Cloud) : "aws";
  if (!opts.cloud && opts.name === undefined) return { text: templateText, cloud: baseCloud, removed: [], retargeted: false };

  if (opts.name !== undefined) doc.setIn(["metadata", "name"], opts.name);
  let cloud = baseCloud;
  let baked: string | undefined;
  let removed: string[] = [];
  let retargeted = false;
  if (opts.cloud) {
    cloud = opts.cloud;
    const ports = cloudEnvironments(doc);
    const overlay = ports.find((e) => e.name === opts.cloud && e.cloud === opts.cloud) ?? ports.find((e) => e.cloud === opts.cloud);
    if (overlay) {
      bakeEnvironment(doc, overlay.name);
      baked = overlay.name;
    } else if (opts.cloud !== baseCloud) {
      retarget(doc, opts.cloud);
      retargeted = true;
    }
    removed = ports.map((e) => e.name);
    removeEnvironments(doc, removed);
    rewriteHeader(doc, opts, baked, retargeted);
  }
  return { text: doc.toString({ lineWidth: 0 }), cloud, baked, removed, retargeted };
}

function retarget(doc: Document, cloud: Cloud): void {
  doc.setIn(["spec", "cloud"], cloud);
  doc.setIn(["spec", "region"], DEFAULT_REGION[cloud]);
  if (!doc.hasIn(["spec", cloud])) {
    const block = doc.createNode(ACCOUNT_PLACEHOLDER[cloud]);
    block.flow = true;
    // Right after `region`, where the reference blueprints keep their account blocks.
    const spec = doc.get("spec", true);
    if (isMap(spec)) {
      const at = spec.items.findIndex((p) => isScalar(p.key) && p.key.value === "region");
      spec.items.splice(at + 1, 0, doc.createPair(cloud, block) as never);
    }
  }
}

/**
 * The header describes the template and its ports; after `--cloud` the ports are gone and the
 * cost figures are another cloud's. Replace those lines with how this file was made.
 */
function rewriteHeader(doc: Document, opts: StarterOptions, baked: string | undefined, retargeted: boolean): void {
  const holder = headerHolder(doc);
  if (!holder) return;
  const lines = (holder.commentBefore ?? "").split("\n");
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s*Ports to /.test(l)) continue;
    if (/^\s*Monthly cost/.test(l)) {
      while (i + 1 < lines.length && /^\s{3}/.test(lines[i + 1]!)) i++;
      continue;
    }
    kept.push(l);
  }
  const how = baked
    ? `the template's \`${baked}\` environment baked into the base`
    : retargeted
      ? `cloud, region and account changed by hand: check GPU types and endpoints against \`mlplat validate\``
      : `its ${opts.cloud} base`;
  kept.push(` Written by \`mlplat init --template ${opts.template} --cloud ${opts.cloud}\`: ${how}.`);
  kept.push(" `mlplat cost platform.yaml` estimates its monthly cost.");
  holder.commentBefore = kept.join("\n");
}

/** The node whose leading comment is the file header (the `$schema` modeline and what follows). */
function headerHolder(doc: Document): { commentBefore?: string | null } | undefined {
  if (doc.commentBefore) return doc as { commentBefore?: string | null };
  const root = doc.contents;
  if (isMap(root)) {
    if (root.commentBefore) return root;
    const first = root.items[0]?.key;
    if (first && typeof first === "object" && "commentBefore" in (first as object)) return first as { commentBefore?: string | null };
  }
  return undefined;
}
