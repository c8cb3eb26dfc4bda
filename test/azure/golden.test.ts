import { describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { Template } from "../helpers/template.js";

/**
 * Golden tier: each Azure reference blueprint synthesized through the real loader and synth,
 * compared with the committed cdk.tf.json. Regenerate with `UPDATE_GOLDEN=1 npx vitest run test/azure`.
 * The output and state folders sit side by side in one temp folder, so the local backend's
 * relative state path is the same on every machine.
 */
const GOLDEN = join(import.meta.dirname, "golden");
const CASES = [
  { blueprint: "blueprints/azure-platform.yaml", stack: "fraud-default", offline: true },
  { blueprint: "blueprints/azure-aks-ml.yaml", stack: "vision-default", offline: false },
] as const;

async function synth(blueprint: string, offline: boolean, env?: string): Promise<{ json: string; stacks: string[] }> {
  const root = mkdtempSync(join(tmpdir(), "mlplat-azure-golden-"));
  try {
    const result = await synthesizeBlueprint(blueprint, { outDir: join(root, "cdktf.out"), stateDir: join(root, "state"), offline, env });
    const dir = result.stacks[0].dir;
    return { json: readFileSync(join(dir, "cdk.tf.json"), "utf8"), stacks: result.stacks.map((s) => s.name) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe.each(CASES)("golden $blueprint", ({ blueprint, stack, offline }) => {
  it("synthesizes the same cdk.tf.json as the committed golden file", async () => {
    const { json, stacks } = await synth(blueprint, offline);
    expect(stacks).toEqual([stack]);
    const file = join(GOLDEN, `${stack}.cdk.tf.json`);
    if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
      if (process.env.UPDATE_GOLDEN !== "1" && process.env.CI) throw new Error(`missing golden file ${file}; run with UPDATE_GOLDEN=1`);
      writeFileSync(file, json);
    }
    expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(file, "utf8")));
  });

  it("is deterministic across synths", async () => {
    expect((await synth(blueprint, offline)).json).toBe((await synth(blueprint, offline)).json);
  });
});

describe("golden files", () => {
  const load = (stack: string) => Template.fromJson(readFileSync(join(GOLDEN, `${stack}.cdk.tf.json`), "utf8"));

  it("keep the spec example's state local when synthesized offline, beside the output", () => {
    expect(load("fraud-default").backend()).toEqual({ local: { path: "../../../state/fraud-default.tfstate" } });
  });

  it("give the AKS + Azure ML blueprint a spot T4 pool, an ML workspace and a Container Apps T4 endpoint", () => {
    const t = load("vision-default");
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

  it("use the blueprint's 10.60.0.0/20 carve for the AKS + Azure ML platform", () => {
    const t = load("vision-default");
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
  it.each(CASES)("$blueprint validates cleanly in strict mode", async ({ blueprint }) => {
    const { loadBlueprintOrThrow } = await import("../../src/blueprint/load.js");
    const { model, warnings } = loadBlueprintOrThrow(blueprint, { strict: true });
    expect(warnings).toEqual([]);
    expect(model.cloud).toBe("azure");
  });
});

describe("environments", () => {
  it("synthesizes the spec example's dev overlay as its own stack with the train pool capped", async () => {
    const { json, stacks } = await synth("blueprints/azure-platform.yaml", true, "dev");
    expect(stacks).toEqual(["fraud-dev"]);
    const t = Template.fromJson(json);
    expect(t.resource("azurerm_kubernetes_cluster_node_pool", "cluster_train")).toMatchObject({ max_count: 1, priority: "Spot" });
    expect(t.resource("azurerm_resource_group", "resource-group").name).toBe("fraud-dev");
  });

  it("moves the prod overlay to westus3 with its own globally unique names", async () => {
    const prod = Template.fromJson((await synth("blueprints/azure-platform.yaml", true, "prod")).json);
    const def = Template.fromJson(readFileSync(join(GOLDEN, "fraud-default.cdk.tf.json"), "utf8"));
    expect(prod.resource("azurerm_resource_group", "resource-group").location).toBe("westus3");
    expect(prod.resource("azurerm_storage_account", "storage").name).not.toBe(def.resource("azurerm_storage_account", "storage").name);
    expect(prod.resource("azurerm_key_vault", "kms").name).toMatch(/^fraud-prod-kv-[a-z0-9]{6}$/);
  });
});
