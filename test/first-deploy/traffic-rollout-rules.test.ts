import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import type { PlatformModel } from "../../src/model/platform.js";
import { azureTarget } from "../../src/targets/azure/index.js";
import { gcpTarget } from "../../src/targets/gcp/index.js";
import { AzurePlatformStack } from "../../stacks/azure/index.js";
import { GcpPlatformStack } from "../../stacks/gcp/index.js";
import { AZURE_RULES } from "./azure-rules.js";
import { synthCtx } from "./cases.js";
import { GCP_RULES } from "./gcp-rules.js";
import { runRules, type SynthJson } from "./rule.js";
import { AZURE_TRAFFIC_RULES, GCP_TRAFFIC_RULES } from "./traffic-rollout-rules.js";

/** llm-serving's managed endpoint `embed` with a canary rollout passes the traffic rules on gcp and azure; each rule fires on what the service refuses. */
function model(env: "gcp" | "azure"): PlatformModel {
  const m = loadBlueprintOrThrow("blueprints/llm-serving.yaml", { env, vars: {} }).model;
  return { ...m, endpoints: m.endpoints.map((e) => (e.name === "embed" ? { ...e, rollout: { strategy: "canary", canaryPercent: 10, stepPercent: 25, bakeMinutes: 10, rollbackOnAlarms: false } } : e)) };
}
const gcp = (): SynthJson => {
  const m = model("gcp");
  return JSON.parse(Testing.synth(new GcpPlatformStack(Testing.app(), m.stackName, gcpTarget.resolve(m, synthCtx))));
};
const azure = (): SynthJson => {
  const m = model("azure");
  return JSON.parse(Testing.synth(new AzurePlatformStack(Testing.app(), m.stackName, azureTarget.resolve(m, synthCtx))));
};
const ctx = (env: "gcp" | "azure") => ({ blueprint: "llm-serving.yaml", env, model: model(env) });

describe("first-deploy rules of stepped traffic rollouts", () => {
  it("are part of the GCP and Azure tables, and an endpoint with a canary rollout passes them", () => {
    for (const r of GCP_TRAFFIC_RULES) expect(GCP_RULES).toContain(r);
    for (const r of AZURE_TRAFFIC_RULES) expect(AZURE_RULES).toContain(r);
    expect(runRules(GCP_TRAFFIC_RULES, gcp(), ctx("gcp"))).toEqual([]);
    expect(runRules(AZURE_TRAFFIC_RULES, azure(), ctx("azure"))).toEqual([]);
  });

  it("fires on a Cloud Run revision name without the service prefix, too long, or not given all traffic by default", () => {
    const j = gcp();
    const [name, svc] = Object.entries(j.resource.google_cloud_run_v2_service as Record<string, any>)[0]!;
    svc.template.revision = `other-${"x".repeat(60)}`;
    expect(runRules(GCP_TRAFFIC_RULES, j, ctx("gcp"))).toEqual([
      `gcp-cloud-run-pinned-revision-name: google_cloud_run_v2_service.${name} revision ${svc.template.revision} does not start with the service name ${svc.name}-`,
      `gcp-cloud-run-pinned-revision-name: google_cloud_run_v2_service.${name} revision ${svc.template.revision} is not a DNS label of at most 63 characters`,
      `gcp-cloud-run-pinned-revision-name: google_cloud_run_v2_service.${name} traffic default does not send 100% to the pinned revision ${svc.template.revision}`,
    ]);
  });

  it("fires on a Container App in Multiple mode whose new revision is not the latest in the traffic weights, or with a bad suffix", () => {
    const j = azure();
    const [name, app] = Object.entries(j.resource.azurerm_container_app as Record<string, any>).find(([, a]) => a.revision_mode === "Multiple")!;
    app.ingress.dynamic.traffic_weight.content.latest_revision = false;
    app.template.revision_suffix = "9Bad";
    expect(runRules(AZURE_TRAFFIC_RULES, j, ctx("azure"))).toEqual([
      `azure-container-app-latest-revision-on-create: azurerm_container_app.${name} does not mark its pinned revision 9Bad as latest_revision in the traffic weights`,
      `azure-container-app-latest-revision-on-create: azurerm_container_app.${name} traffic default does not send 100% to the pinned revision 9Bad`,
      `azure-container-app-revision-suffix: azurerm_container_app.${name} revision_suffix 9Bad is not lowercase letters, digits and hyphens starting with a letter`,
    ]);
  });
});
