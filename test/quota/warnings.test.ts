import { describe, expect, it } from "vitest";
import { renderDiagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";

const quotaWarnings = (file: string, env?: string) =>
  loadBlueprint(file, { env, today: "2026-11-25", vars: {} })
    .diagnostics.filter((d) => d.code === "MLP_QUOTA_ZERO_ON_NEW_ACCOUNTS")
    .map((d) => renderDiagnostic(d));

describe("validate warns about quotas new accounts do not have", () => {
  it("AWS P instances on spot: located at the pool's GPU type, with the quota code and the vCPUs to ask for", () => {
    expect(quotaWarnings("blueprints/batch-training.yaml")[0]).toBe(
      [
        "blueprints/batch-training.yaml:48:22 warning MLP_QUOTA_ZERO_ON_NEW_ACCOUNTS spec.cluster.nodePools[0].gpu.type",
        "  node pool a100 needs All P4, P3 and P2 Spot Instance Requests (L-7212CCBC, us-east-1), which new AWS accounts have at 0: its nodes never come until the quota is raised.",
        "  48 |         gpu: { type: A100-80GB, count: 8 }",
        "     |                      ^",
        "  found: p4de.24xlarge",
        "  hint: request 192 vCPUs of L-7212CCBC before deploying; `mlplat quota` lists every quota with the console page and command.",
      ].join("\n"),
    );
  });

  it("an Azure A100 pool set by an environment overlay is reported at the overlay's line", () => {
    const [w] = quotaWarnings("blueprints/llm-serving.yaml", "azure");
    expect(w).toMatch(/^blueprints\/llm-serving\.yaml:\d+:\d+ warning MLP_QUOTA_ZERO_ON_NEW_ACCOUNTS spec\.cluster\.nodePools\[0\]\.gpu\.type/);
    expect(w).toContain("needs Standard NCADS_A100_v4 Family vCPUs (standardNCADSA100v4Family, eastus), which new Azure subscriptions have at 0");
    expect(w).toContain("- { name: llm, gpu: { type: A100-80GB, count: 1 } }");
  });

  it("names only the quotas at 0: on GCP the project-wide GPUs (all regions), not T4 or L4; none for AWS G and VT spot", () => {
    const gcp = quotaWarnings("blueprints/gcp-gke-t4-l4.yaml");
    expect(gcp).toHaveLength(2);
    for (const w of gcp) {
      expect(w).toContain("needs GPUs (all regions) (GPUS_ALL_REGIONS, global), which new GCP projects have at 0");
      expect(w).not.toMatch(/NVIDIA_(T4|L4)_GPUS/);
    }
    expect(quotaWarnings("blueprints/multi-env-platform.yaml")).toEqual([]);
  });
});
