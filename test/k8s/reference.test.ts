import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { kubernetesManifests } from "../../src/k8s/manifests.js";
import { kubernetesPlatform } from "../../src/k8s/platforms/index.js";
import { TARGETS } from "../../src/targets/index.js";
import { documents, validateObject } from "./kube.js";

/**
 * Every reference blueprint, in every environment it defines: the manifests it would get are
 * valid Kubernetes objects, and each `runtime: kubernetes` endpoint gets its file. (Resolution
 * only; the blueprints' own tests run the full synth.)
 */
const root = new URL("../../", import.meta.url).pathname;
const blueprints = readdirSync(join(root, "blueprints")).filter((f) => f.endsWith(".yaml"));
const cases = blueprints.flatMap((f) => {
  const file = join(root, "blueprints", f);
  const envs = loadBlueprint(file, { vars: {} }).environments;
  return ["default", ...envs].map((env) => [f, env] as const);
});

let endpointFiles = 0;

describe("reference blueprints", () => {
  it("are found", () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  afterAll(() => {
    // Some reference blueprints serve on Kubernetes, so the check above is not vacuous.
    expect(endpointFiles).toBeGreaterThan(0);
  });

  it.each(cases)("%s (%s) gets valid manifests", (f, env) => {
    // No developer variables: the blueprints' fallbacks, as in the golden tests.
    const { model, diagnostics } = loadBlueprint(join(root, "blueprints", f), { env, vars: {} });
    expect(model, diagnostics.map((d) => d.message).join("\n")).toBeDefined();
    const props = TARGETS[model!.cloud].resolve(model!, { offline: true, localStatePath: "state.tfstate" });
    const files = model!.cluster ? kubernetesManifests(model!, kubernetesPlatform(model!, props)) : {};
    const kubernetesEndpoints = model!.endpoints.filter((x) => x.runtime === "kubernetes");
    for (const e of kubernetesEndpoints) expect(Object.keys(files)).toContain(`k8s/${e.name}.yaml`);
    endpointFiles += kubernetesEndpoints.length;
    for (const [path, text] of Object.entries(files)) {
      if (path === "k8s/kustomization.yaml") continue;
      for (const doc of documents(text)) expect(() => validateObject(doc), `${path}: ${doc.kind}`).not.toThrow();
    }
  });
});
