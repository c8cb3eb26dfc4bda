import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { rolloutBakeMinutes, trafficSteps } from "../../src/model/rollout.js";

const today = "2026-12-07";
const ACCOUNTS = {
  aws: { region: "eu-west-1", block: 'aws: { accountId: "123456789012" }' },
  gcp: { region: "us-central1", block: "gcp: { project: demo-project, billingAccount: 012345-6789AB-CDEF01 }" },
  azure: { region: "eastus", block: "azure: { subscriptionId: 00000000-0000-0000-0000-000000000000 }" },
} as const;
type Cloud = keyof typeof ACCOUNTS;

/** One endpoint `scorer`; `extra` is indented under it (8 spaces). */
function load(cloud: Cloud, extra: string, opts: { runtime?: string; region?: string; cluster?: boolean } = {}) {
  const a = ACCOUNTS[cloud];
  const kube = opts.runtime === "kubernetes";
  const yaml = `apiVersion: mlplat/v1
kind: Platform
metadata: { name: demo, owner: ml@example.com }
spec:
  cloud: ${cloud}
  region: ${opts.region ?? a.region}
  ${a.block}
  network: { cidr: 10.40.0.0/16${kube ? ", privateCluster: false" : ""} }
  storage:
    buckets: [{ name: captures }, { name: datasets }]
  registry: { images: [{ name: server }] }
${kube ? `  cluster:\n    version: "1.35"\n    admins: ["${cloud === "aws" ? "arn:aws:iam::123456789012:role/admin" : cloud === "gcp" ? "group:admins@example.com" : "00000000-0000-0000-0000-000000000001"}"]\n    nodePools: [{ name: cpu, instanceType: ${cloud === "aws" ? "m6i.xlarge" : cloud === "gcp" ? "n2-standard-4" : "Standard_D4s_v5"}, min: 1, max: 3 }]\n` : ""}  serving:
    endpoints:
      - name: scorer
        image: server:1.0.0
        runtime: ${opts.runtime ?? "managed"}
${extra}
`;
  const dir = mkdtempSync(join(tmpdir(), "mlplat-rollout-"));
  const file = join(dir, "platform.yaml");
  writeFileSync(file, yaml);
  return loadBlueprint(file, { today });
}
const only = (ds: readonly Diagnostic[], code: string) => ds.filter((d) => d.code === code);
const one = (ds: readonly Diagnostic[], code: string) => {
  const found = only(ds, code);
  expect(found, `${code} in ${ds.map((d) => d.code).join(", ")}`).toHaveLength(1);
  return found[0]!;
};

const ALARMS = "        alarms: { latencyP99Ms: 100, errorRatePercent: 1 }\n";

describe("traffic steps", () => {
  it("are the canary then 100, linear steps up to 100, or 100 at once", () => {
    expect(trafficSteps({ strategy: "canary", canaryPercent: 10, stepPercent: 25 })).toEqual([10, 100]);
    expect(trafficSteps({ strategy: "linear", canaryPercent: 10, stepPercent: 30 })).toEqual([30, 60, 90, 100]);
    expect(trafficSteps({ strategy: "linear", canaryPercent: 10, stepPercent: 25 })).toEqual([25, 50, 75, 100]);
    expect(trafficSteps({ strategy: "allAtOnce", canaryPercent: 10, stepPercent: 25 })).toEqual([100]);
    expect(rolloutBakeMinutes({ strategy: "linear", canaryPercent: 10, stepPercent: 10, bakeMinutes: 60 })).toBe(600);
  });
});

describe("rollout rules on SageMaker (aws, managed)", () => {
  it("accepts a canary on two instances with alarms, and resolves rollbackOnAlarms to true", () => {
    const r = load("aws", `        autoscaling: { min: 2, max: 4 }\n${ALARMS}        rollout: { strategy: canary, canaryPercent: 10, bakeMinutes: 15 }`);
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.endpoints[0]!.rollout).toEqual({ strategy: "canary", canaryPercent: 10, stepPercent: 25, bakeMinutes: 15, rollbackOnAlarms: true });
  });

  it("rejects a canary on an endpoint that may run one instance, located at autoscaling.min", () => {
    const r = load("aws", `        autoscaling: { min: 1, max: 4 }\n${ALARMS}        rollout: { strategy: canary }`);
    const d = one(r.diagnostics, "MLP_ROLLOUT_NEEDS_TWO_INSTANCES");
    expect(d).toMatchObject({ severity: "error", path: ["spec", "serving", "endpoints", 0, "autoscaling", "min"], found: "autoscaling.min 1", allowed: "autoscaling.min >= 2" });
    expect(d.message).toBe("a canary rollout on SageMaker shifts traffic between instances and the canary must be at most 50% of the instances, so an endpoint that may run on one instance cannot be split.");
    expect(d.line).toBeGreaterThan(0);
    expect(r.model).toBeUndefined();
  });

  it("rejects a linear rollout on one instance with the step limits in the message, and accepts allAtOnce there", () => {
    const lin = load("aws", `${ALARMS}        rollout: { strategy: linear }`);
    expect(one(lin.diagnostics, "MLP_ROLLOUT_NEEDS_TWO_INSTANCES").message).toContain("each linear step must be 10-50% of the instances");
    expect(load("aws", `${ALARMS}        rollout: { strategy: allAtOnce, bakeMinutes: 5 }`).diagnostics).toEqual([]);
  });

  it("rejects a linear rollout whose bakes exceed the 4-hour execution timeout the provider accepts, less provisioning", () => {
    // 10 steps × 22 min = 220 > 210 (240 − 30 for provisioning the new fleet).
    const r = load("aws", `        autoscaling: { min: 2, max: 4 }\n${ALARMS}        rollout: { strategy: linear, stepPercent: 10, bakeMinutes: 22 }`);
    const d = one(r.diagnostics, "MLP_ROLLOUT_TOO_LONG");
    expect(d).toMatchObject({ path: ["spec", "serving", "endpoints", 0, "rollout", "bakeMinutes"], found: "220 minutes", allowed: "at most 210 minutes", hint: "lower bakeMinutes to 21, or raise stepPercent for fewer steps." });
    expect(d.message).toBe(
      "this rollout bakes 220 minutes (10 steps × 22); a SageMaker blue/green deployment may last at most 4 hours (the provider's limit), and 30 minutes of them are kept for provisioning the new fleet.",
    );
    expect(only(load("aws", `        autoscaling: { min: 2, max: 4 }\n${ALARMS}        rollout: { strategy: linear, stepPercent: 10, bakeMinutes: 21 }`).diagnostics, "MLP_ROLLOUT_TOO_LONG")).toEqual([]);
    // A canary bakes twice: 2 × 60 = 120 minutes fits.
    expect(only(load("aws", `        autoscaling: { min: 2, max: 4 }\n${ALARMS}        rollout: { strategy: canary, bakeMinutes: 60 }`).diagnostics, "MLP_ROLLOUT_TOO_LONG")).toEqual([]);
  });

  it("errors when rollbackOnAlarms is true and the endpoint has no alarm; warns at the default; silent when false", () => {
    const base = "        autoscaling: { min: 2, max: 4 }\n        rollout: { strategy: canary";
    const set = one(load("aws", `${base}, rollbackOnAlarms: true }`).diagnostics, "MLP_ROLLBACK_WITHOUT_ALARMS");
    expect(set).toMatchObject({ severity: "error", path: ["spec", "serving", "endpoints", 0, "rollout", "rollbackOnAlarms"] });
    expect(set.message).toBe("rollbackOnAlarms is true but endpoint `scorer` has no alarm to roll back on: SageMaker would shift all traffic without a guard.");
    const dflt = one(load("aws", `${base} }`).diagnostics, "MLP_ROLLBACK_WITHOUT_ALARMS");
    expect(dflt).toMatchObject({ severity: "warning", path: ["spec", "serving", "endpoints", 0, "rollout"] });
    expect(dflt.message).toContain("defaults to true");
    expect(load("aws", `${base}, rollbackOnAlarms: false }`).diagnostics).toEqual([]);
  });
});

describe("rollout rules where no alarm rollback exists", () => {
  it.each(["gcp", "azure"] as const)("%s managed: a warning at the default, an error when true", (cloud) => {
    const w = one(load(cloud, "        rollout: { strategy: canary }").diagnostics, "MLP_ROLLBACK_ON_ALARMS_UNSUPPORTED");
    expect(w).toMatchObject({ severity: "warning", path: ["spec", "serving", "endpoints", 0, "rollout"] });
    const name = cloud === "gcp" ? "Cloud Run" : "Container Apps";
    expect(w.message).toBe(`this rollout will not roll back when an alarm fires: ${name} (no alarm-driven rollback exists; \`mlplat rollback\` moves traffic back).`);
    const r = load(cloud, "        rollout: { strategy: canary, rollbackOnAlarms: true }");
    const e = one(r.diagnostics, "MLP_ROLLBACK_ON_ALARMS_UNSUPPORTED");
    expect(e).toMatchObject({ severity: "error", path: ["spec", "serving", "endpoints", 0, "rollout", "rollbackOnAlarms"], found: "true" });
    expect(e.message).toBe(`rollbackOnAlarms cannot be honoured on ${name} (no alarm-driven rollback exists; \`mlplat rollback\` moves traffic back).`);
    expect(only(load(cloud, "        rollout: { strategy: canary, rollbackOnAlarms: false }").diagnostics, "MLP_ROLLBACK_ON_ALARMS_UNSUPPORTED")).toEqual([]);
    // A one-instance canary is fine on Cloud Run / Container Apps: traffic splits by revision, not instance.
    expect(only(load(cloud, "        rollout: { strategy: canary, rollbackOnAlarms: false }").diagnostics, "MLP_ROLLOUT_NEEDS_TWO_INSTANCES")).toEqual([]);
  });

  it("runtime kubernetes on aws: the error names Argo Rollouts", () => {
    const r = load("aws", "        rollout: { strategy: canary, rollbackOnAlarms: true }", { runtime: "kubernetes" });
    expect(one(r.diagnostics, "MLP_ROLLBACK_ON_ALARMS_UNSUPPORTED").message).toBe(
      "rollbackOnAlarms cannot be honoured on runtime: kubernetes (Argo Rollouts aborts on failed readiness; these endpoints have no cloud alarms).",
    );
  });

  it("all bakes together at most 8 hours on every runtime", () => {
    const d = one(load("gcp", "        rollout: { strategy: linear, stepPercent: 10, bakeMinutes: 49, rollbackOnAlarms: false }").diagnostics, "MLP_ROLLOUT_TOO_LONG");
    expect(d.message).toBe("this rollout bakes 490 minutes (10 steps × 49); all steps together may last at most 480 minutes (8 hours).");
    expect(d.hint).toBe("lower bakeMinutes to 48, or raise stepPercent for fewer steps.");
  });
});

describe("monitoring rules", () => {
  const MON = "        monitoring:\n          capture: { samplePercent: 20, bucket: captures }\n          drift: { schedule: hourly, baseline: { bucket: datasets, path: baseline/scorer } }";

  it("accepts capture and drift on SageMaker, with the Model Monitor availability warning", () => {
    const r = load("aws", MON);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["MLP_MODEL_MONITOR_EXISTING_CUSTOMERS"]);
    const w = r.diagnostics[0]!;
    expect(w).toMatchObject({ severity: "warning", path: ["spec", "serving", "endpoints", 0, "monitoring", "drift"] });
    expect(w.message).toBe(
      "SageMaker Model Monitor is closed to new customers since 2026-07-30 (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-availability-change.html): deploy fails to create the drift schedule in an account that has not used it before.",
    );
    // The baseline path is a prefix.
    expect(r.model!.endpoints[0]!.monitoring).toEqual({ capture: { samplePercent: 20, bucket: "captures" }, drift: { schedule: "hourly", baseline: { bucket: "datasets", path: "baseline/scorer/" } } });
    expect(load("aws", "        monitoring: { capture: { bucket: captures } }").diagnostics).toEqual([]);
  });

  it.each([
    ["gcp", "monitoring is not offered on gcp: Cloud Run has no request capture or drift monitoring; log requests from the service to BigQuery and run Vertex AI Model Monitoring outside mlplat, or serve on aws with runtime: managed (SageMaker Model Monitor)."],
    ["azure", "monitoring is not offered on azure: Container Apps has no request capture or drift monitoring; use Azure ML managed online endpoints' data collector and model monitoring outside mlplat, or serve on aws with runtime: managed (SageMaker Model Monitor)."],
  ] as const)("rejects monitoring on %s managed endpoints, naming the alternative", (cloud, message) => {
    const r = load(cloud, MON);
    const d = one(r.diagnostics, "MLP_MONITORING_UNSUPPORTED");
    expect(d).toMatchObject({ severity: "error", path: ["spec", "serving", "endpoints", 0, "monitoring"], message });
    expect(d.line).toBeGreaterThan(0);
  });

  it("rejects monitoring on runtime kubernetes, even on aws", () => {
    const d = one(load("aws", MON, { runtime: "kubernetes" }).diagnostics, "MLP_MONITORING_UNSUPPORTED");
    expect(d.message).toBe("monitoring is not offered for runtime: kubernetes endpoints in v1.1 (on any cloud); it is offered for runtime: managed on aws (SageMaker data capture and Model Monitor).");
  });

  it("rejects undeclared buckets with a did-you-mean, and drift without capture", () => {
    const r = load("aws", "        monitoring:\n          capture: { bucket: capture }\n          drift: { baseline: { bucket: dataset } }");
    const unknown = only(r.diagnostics, "MLP_MONITORING_BUCKET_UNKNOWN");
    expect(unknown.map((d) => [d.path.slice(-3), d.hint])).toEqual([
      [["monitoring", "capture", "bucket"], "did you mean `captures`?"],
      [["drift", "baseline", "bucket"], "did you mean `datasets`?"],
    ]);
    expect(unknown[0]!.message).toBe("bucket `capture` is not declared in spec.storage.buckets.");
    const d = one(load("aws", "        monitoring: { drift: { baseline: { bucket: datasets } } }").diagnostics, "MLP_DRIFT_NEEDS_CAPTURE");
    expect(d).toMatchObject({ severity: "error", path: ["spec", "serving", "endpoints", 0, "monitoring", "drift"], message: "drift monitoring compares captured requests with the baseline, and this endpoint captures none." });
  });

  it("rejects drift in a region without a Model Monitor image, listing the regions that have one", () => {
    const d = one(load("aws", MON, { region: "eu-south-1" }).diagnostics, "MLP_MODEL_MONITOR_REGION");
    expect(d.message).toBe("the catalog has no SageMaker Model Monitor image for eu-south-1.");
    expect(d.allowed).toContain("eu-west-1, eu-west-2");
  });
});
