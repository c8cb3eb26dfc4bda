import { diag, type Diagnostic } from "../diagnostics.js";
import { closest } from "../did-you-mean.js";
import { RESERVED_ENDPOINT_NAMES } from "../../k8s/conventions.js";
import type { Rule } from "./rule.js";

/** Names unique within their list: buckets, image repositories, node pools, endpoints. */
export const uniqueNames: Rule = ({ bp }) => {
  const lists: [string, readonly { name: string }[], (string | number)[]][] = [
    ["bucket", bp.spec.storage.buckets, ["spec", "storage", "buckets"]],
    ["image repository", bp.spec.registry.images, ["spec", "registry", "images"]],
    ["node pool", bp.spec.cluster?.nodePools ?? [], ["spec", "cluster", "nodePools"]],
    ["endpoint", bp.spec.serving.endpoints, ["spec", "serving", "endpoints"]],
  ];
  const out: Diagnostic[] = [];
  for (const [what, items, path] of lists) {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const first = seen.get(item.name);
      if (first !== undefined) {
        out.push(diag({ code: "MLP_DUPLICATE_NAME", message: `${what} name \`${item.name}\` is used twice (also at ${path.join(".")}[${first}]).`, path: [...path, i, "name"], found: item.name, hint: `give each ${what} its own name.` }));
      } else seen.set(item.name, i);
    });
  }
  return out;
};

/** An endpoint's image names a declared repository (or is a full URI); its model bucket is declared. */
export const endpointReferences: Rule = ({ bp }) => {
  const out: Diagnostic[] = [];
  const repos = bp.spec.registry.images.map((r) => r.name);
  const buckets = bp.spec.storage.buckets.map((b) => b.name);
  bp.spec.serving.endpoints.forEach((e, i) => {
    const path = ["spec", "serving", "endpoints", i];
    const ref = parseImage(e.image);
    if (ref.kind === "repository") {
      if (!repos.includes(ref.repository)) {
        const guess = closest(ref.repository, repos);
        out.push(
          diag({
            code: "MLP_IMAGE_UNKNOWN_REPOSITORY",
            message: `image \`${e.image}\` names repository \`${ref.repository}\`, which spec.registry.images does not declare.`,
            path: [...path, "image"],
            found: ref.repository,
            allowed: repos.length ? repos.join(", ") : "none declared",
            hint: guess ? `did you mean \`${guess}:${ref.tag || "<tag>"}\`?` : `declare it under spec.registry.images, or give a full image URI (registry.example.com/team/image:tag).`,
          }),
        );
      } else if (!ref.tag) {
        out.push(diag({ code: "MLP_IMAGE_TAG_MISSING", message: `image \`${e.image}\` has no tag; repositories have immutable tags, so name the one to serve.`, path: [...path, "image"], found: e.image, allowed: "<repository>:<tag>", hint: `write \`${ref.repository}:1.0.0\`.` }));
      }
    }
    if (e.model && !buckets.includes(e.model.bucket)) {
      const guess = closest(e.model.bucket, buckets);
      out.push(
        diag({
          code: "MLP_MODEL_BUCKET_UNKNOWN",
          message: `model bucket \`${e.model.bucket}\` is not declared in spec.storage.buckets.`,
          path: [...path, "model", "bucket"],
          found: e.model.bucket,
          allowed: buckets.length ? buckets.join(", ") : "none declared",
          hint: guess ? `did you mean \`${guess}\`?` : "declare the bucket under spec.storage.buckets.",
        }),
      );
    }
  });
  return out;
};

/** `repo:tag` names a declared repository; anything with a registry host or path is a full URI. */
export function parseImage(image: string): { kind: "repository"; repository: string; tag: string } | { kind: "uri"; uri: string } {
  if (image.includes("/")) return { kind: "uri", uri: image };
  const at = image.indexOf(":");
  return at < 0 ? { kind: "repository", repository: image, tag: "" } : { kind: "repository", repository: image.slice(0, at), tag: image.slice(at + 1) };
}

/** min <= max for node pools, the system pool and endpoint autoscaling. */
export const minNotAboveMax: Rule = ({ bp }) => {
  const out: Diagnostic[] = [];
  const check = (min: number | undefined, max: number | undefined, path: (string | number)[]) => {
    if (min !== undefined && max !== undefined && min > max) {
      out.push(diag({ code: "MLP_MIN_ABOVE_MAX", message: `min (${min}) is greater than max (${max}).`, path: [...path, "min"], found: `min ${min}, max ${max}`, allowed: "min <= max", hint: `lower min to ${max} or raise max to ${min}.` }));
    }
  };
  const c = bp.spec.cluster;
  if (c) {
    check(c.systemPool.min, c.systemPool.max, ["spec", "cluster", "systemPool"]);
    c.nodePools.forEach((p, i) => check(p.min, p.max, ["spec", "cluster", "nodePools", i]));
  }
  bp.spec.serving.endpoints.forEach((e, i) => check(e.autoscaling.min, e.autoscaling.max, ["spec", "serving", "endpoints", i, "autoscaling"]));
  return out;
};

/** A node pool has exactly one of `gpu` and `instanceType`. */
export const poolCompute: Rule = ({ bp }) =>
  (bp.spec.cluster?.nodePools ?? []).flatMap((p, i) => {
    if (!!p.gpu === !!p.instanceType) {
      return [
        diag({
          code: "MLP_POOL_COMPUTE",
          message: p.gpu ? "give either `gpu` or `instanceType`, not both." : "a node pool needs `gpu` or `instanceType`.",
          path: ["spec", "cluster", "nodePools", i, p.gpu ? "instanceType" : "name"],
          hint: p.gpu ? "remove one of them." : "add `gpu: { type: L4, count: 1 }` or `instanceType: m6i.xlarge`.",
        }),
      ];
    }
    return [];
  });

/** `runtime: kubernetes` endpoints become `k8s/<name>.yaml`; two names are mlplat's own files. */
export const reservedEndpointNames: Rule = ({ bp }) =>
  bp.spec.serving.endpoints.flatMap((e, i) =>
    e.runtime === "kubernetes" && (RESERVED_ENDPOINT_NAMES as readonly string[]).includes(e.name)
      ? [
          diag({
            code: "MLP_ENDPOINT_NAME_RESERVED",
            message: `a kubernetes endpoint can't be named \`${e.name}\`: its manifest would overwrite k8s/${e.name}.yaml, which mlplat writes itself.`,
            path: ["spec", "serving", "endpoints", i, "name"],
            found: e.name,
            hint: `rename it, e.g. \`${e.name}-api\`.`,
          }),
        ]
      : [],
  );
