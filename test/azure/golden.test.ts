import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { casesOn, expectGolden, goldenName, isolateGoldenEnv, ROOT, type GoldenCase } from "../helpers/golden.js";
import { Template } from "../helpers/template.js";

/**
 * Golden tier: each Azure golden case (test/helpers/golden.ts) synthesized through the real loader
 * and synth, compared with the committed cdk.tf.json. Regenerate with `npm run goldens`.
 * The output and state folders sit side by side in one temp folder, so the local backend's
 * relative state path is the same on every machine.
 */
const CASES = casesOn("azure");
const work = mkdtempSync(join(tmpdir(), "mlplat-azure-golden-"));
isolateGoldenEnv();
afterAll(() => rmSync(work, { recursive: true, force: true }));
let runs = 0;

async function synth(g: GoldenCase): Promise<{ json: string; stacks: string[] }> {
  const root = join(work, `run-${runs++}`);
  const result = await synthesizeBlueprint(join(ROOT, g.blueprint), {
    outDir: join(root, "cdktf.out"),
    stateDir: join(root, "state"),
    offline: g.offline,
    strict: g.strict,
    env: g.env === "default" ? undefined : g.env,
  });
  expect(result.model.cloud).toBe("azure");
  const dir = result.stacks[0]!.dir;
  return { json: readFileSync(join(dir, "cdk.tf.json"), "utf8"), stacks: result.stacks.map((s) => s.name) };
}

const synthesized = new Map<string, Promise<Template>>();

/** Synthesizes a case once per file, compared with its golden. */
function golden(blueprint: string, env = "default"): Promise<Template> {
  const g = CASES.find((x) => x.blueprint === blueprint && x.env === env);
  if (!g) throw new Error(`${blueprint} --env ${env} is not an Azure golden case in test/helpers/golden.ts`);
  if (!synthesized.has(goldenName(g))) {
    synthesized.set(
      goldenName(g),
      synth(g).then(({ json, stacks }) => {
        expect(stacks).toHaveLength(1);
        expectGolden(g, json);
        return Template.fromJson(json);
      }),
    );
  }
  return synthesized.get(goldenName(g))!;
}

describe("golden Azure stacks", () => {
  it.each(CASES.map((g) => [goldenName(g), g] as const))("%s synthesizes the same cdk.tf.json as the committed golden file", async (_name, g) => {
    const t = await golden(g.blueprint, g.env);
    expect(t.resourceTypes()).toContain("azurerm_resource_group");
  }, 60_000);

  it("is deterministic across synths", async () => {
    const g = CASES.find((x) => x.blueprint === "blueprints/azure-aks-ml.yaml")!;
    expect((await synth(g)).json).toBe((await synth(g)).json);
  }, 60_000);
});

describe("golden files", () => {
  it("keep the spec example's state local when synthesized offline, beside the output", async () => {
    const t = await golden("blueprints/azure-platform.yaml");
    expect(t.backend()).toEqual({ local: { path: "../../../state/fraud-default.tfstate" } });
  });

  it("give the AKS + Azure ML blueprint a spot T4 pool, an ML workspace and a Container Apps T4 endpoint", async () => {
    const t = await golden("blueprints/azure-aks-ml.yaml");
    t.hasResourceWithProperties("azurerm_kubernetes_cluster_node_pool", {
      name: "t4spot",
      vm_size: "Standard_NC4as_T4_v3",
      priority: "Spot",
      gpu_driver: "Install",
      node_taints: ["nvidia.com/gpu=present:NoSchedule", "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"],
    });
    t.resourceCountIs("azurerm_machine_learning_workspace", 1);
    t.hasResourceWithProperties("azapi_resource", {
      body: { properties: { workloadProfiles: [{ name: "Consumption" }, { workloadProfileType: "Consumption-GPU-NC8as-T4" }] } },
    });
    t.hasResourceWithProperties("azurerm_container_app", { workload_profile_name: "gpu-nc8as-t4", template: { min_replicas: 0, max_replicas: 4 } });
  });

  it("use the blueprint's 10.60.0.0/20 carve for the AKS + Azure ML platform", async () => {
    const t = await golden("blueprints/azure-aks-ml.yaml");
    const prefixes = Object.fromEntries(Object.entries(t.resources("azurerm_subnet")).map(([id, s]) => [id, s.address_prefixes[0]]));
    expect(prefixes).toEqual({
      network_nodes: "10.60.0.0/21",
      network_apps: "10.60.8.0/23",
      network_endpoints: "10.60.10.0/24",
      network_apiserver: "10.60.11.0/28",
    });
  });
});

describe("reference blueprints", () => {
  it.each(["blueprints/azure-platform.yaml", "blueprints/azure-aks-ml.yaml"])("%s validates cleanly in strict mode", async (blueprint) => {
    const { loadBlueprintOrThrow } = await import("../../src/blueprint/load.js");
    const { model, warnings } = loadBlueprintOrThrow(join(ROOT, blueprint), { strict: true });
    // The zero-quota warning is a fact about new subscriptions (GPU quotas start at 0), which
    // --strict leaves a warning by design (src/quota/warnings.ts); anything else must not appear.
    expect(warnings.filter((w) => w.code !== "MLP_QUOTA_ZERO_ON_NEW_ACCOUNTS")).toEqual([]);
    expect(model.cloud).toBe("azure");
  });
});

describe("environments", () => {
  it("synthesizes the spec example's dev overlay as its own stack with the train pool capped", async () => {
    const t = await golden("blueprints/azure-platform.yaml", "dev");
    expect(t.resource("azurerm_kubernetes_cluster_node_pool", "cluster_train")).toMatchObject({ max_count: 1, priority: "Spot" });
    expect(t.resource("azurerm_resource_group", "resource-group").name).toBe("fraud-dev");
  });

  it("moves the prod overlay to westus3 with its own globally unique names", async () => {
    const prod = await golden("blueprints/azure-platform.yaml", "prod");
    const def = await golden("blueprints/azure-platform.yaml");
    expect(prod.resource("azurerm_resource_group", "resource-group").location).toBe("westus3");
    expect(prod.resource("azurerm_storage_account", "storage").name).not.toBe(def.resource("azurerm_storage_account", "storage").name);
    expect(prod.resource("azurerm_key_vault", "kms").name).toMatch(/^fraud-prod-kv-[a-z0-9]{6}$/);
  });
});
