import { describe, expect, it } from "vitest";
import { blueprint, diagnose, errorCodes, expectCode, type Doc } from "./harness.js";

/**
 * Whole diagnostics (path, found, allowed, hint, severity) and the boundaries of the blueprint
 * rules, written against the survivors of the mutation run on src/blueprint/rules
 * (bench/mutation-results.md): a message alone left the rest of each diagnostic unchecked.
 */
const pick = (d: { code: string; severity: string; message: string; path: readonly (string | number)[]; found?: string; allowed?: string; hint?: string }) => ({
  code: d.code,
  severity: d.severity,
  message: d.message,
  path: d.path,
  found: d.found,
  allowed: d.allowed,
  hint: d.hint,
});
const codesOf = (doc: Doc) => diagnose(doc).map((d) => d.code);
const bucket = (cloud: "aws" | "gcp", b: Doc) => blueprint(cloud, (s) => (s.storage.buckets = [{ name: "data", ...b }]));

describe("storage lifecycle", () => {
  it("pins MLP_TIERING_ORDER whole", () => {
    expect(pick(expectCode(bucket("gcp", { tiering: { coolAfterDays: 90, archiveAfterDays: 90 } }), "MLP_TIERING_ORDER"))).toEqual({
      code: "MLP_TIERING_ORDER",
      severity: "error",
      message: "coolAfterDays (90) must be less than archiveAfterDays (90).",
      path: ["spec", "storage", "buckets", 0, "tiering", "archiveAfterDays"],
      found: "cool 90, archive 90",
      allowed: "coolAfterDays < archiveAfterDays",
      hint: "set archiveAfterDays above 90.",
    });
  });

  it("refuses expireAfterDays equal to the last transition, accepts one day later", () => {
    const d = expectCode(bucket("gcp", { tiering: { coolAfterDays: 30, archiveAfterDays: 90 }, expireAfterDays: 90 }), "MLP_EXPIRE_BEFORE_TIERING");
    expect(pick(d)).toEqual({
      code: "MLP_EXPIRE_BEFORE_TIERING",
      severity: "error",
      message: "expireAfterDays (90) must be greater than archiveAfterDays (90).",
      path: ["spec", "storage", "buckets", 0, "expireAfterDays"],
      found: "90",
      allowed: "> 90",
      hint: "set expireAfterDays above 90, or drop the tiering it would cut short.",
    });
    expect(expectCode(bucket("gcp", { tiering: { coolAfterDays: 30 }, expireAfterDays: 30 }), "MLP_EXPIRE_BEFORE_TIERING").message).toBe(
      "expireAfterDays (30) must be greater than coolAfterDays (30).",
    );
    expect(errorCodes(bucket("gcp", { tiering: { coolAfterDays: 30, archiveAfterDays: 90 }, expireAfterDays: 91 }))).toEqual([]);
    expect(errorCodes(bucket("gcp", { expireAfterDays: 10 }))).toEqual([]);
    expect(errorCodes(bucket("gcp", { tiering: { archiveAfterDays: 10 } }))).toEqual([]);
  });

  it("holds S3 to 30 days in STANDARD_IA at the boundaries, and only on AWS", () => {
    expect(codesOf(bucket("aws", { tiering: { coolAfterDays: 29 } }))).toContain("MLP_S3_LIFECYCLE_MINIMUM");
    expect(codesOf(bucket("aws", { tiering: { coolAfterDays: 30, archiveAfterDays: 60 } }))).not.toContain("MLP_S3_LIFECYCLE_MINIMUM");
    const d = expectCode(bucket("aws", { tiering: { coolAfterDays: 30, archiveAfterDays: 59 } }), "MLP_S3_LIFECYCLE_MINIMUM");
    expect(pick(d)).toEqual({
      code: "MLP_S3_LIFECYCLE_MINIMUM",
      severity: "error",
      message: "S3 keeps objects in STANDARD_IA at least 30 days before an archive transition (cool at 30, archive at 59).",
      path: ["spec", "storage", "buckets", 0, "tiering", "archiveAfterDays"],
      found: "59",
      allowed: ">= 60",
      hint: "set archiveAfterDays to 60 or more.",
    });
    expect(codesOf(bucket("aws", { tiering: { archiveAfterDays: 10 } }))).not.toContain("MLP_S3_LIFECYCLE_MINIMUM");
    expect(codesOf(bucket("gcp", { tiering: { coolAfterDays: 10, archiveAfterDays: 20 } }))).not.toContain("MLP_S3_LIFECYCLE_MINIMUM");
  });
});

describe("cluster admins", () => {
  const refused = (cloud: "aws" | "gcp" | "azure", admins: string[]) =>
    diagnose(blueprint(cloud, (s) => (s.cluster = { version: cloud === "gcp" ? "1.35" : "1.33", admins, nodePools: [] })))
      .filter((d) => d.code === "MLP_CLUSTER_ADMIN_FORMAT")
      .map((d) => d.found);

  it("anchors each principal pattern at both ends and allows the other AWS partitions", () => {
    expect(refused("aws", ["xarn:aws:iam::123456789012:role/a", "arn:aws-us-gov:iam::123456789012:role/a", "arn:aws-cn:iam::123456789012:user/b"])).toEqual([
      "xarn:aws:iam::123456789012:role/a",
    ]);
    expect(refused("gcp", ["xuser:admins", "a@b c", " a@b", "serviceAccount:x@p.iam.gserviceaccount.com"])).toEqual(["xuser:admins", "a@b c", " a@b"]);
    expect(refused("azure", ["3f2504e0-4f89-11d3-9a0c-0305e82c3301x", "x3f2504e0-4f89-11d3-9a0c-0305e82c3301", "3F2504E0-4F89-11D3-9A0C-0305E82C3301"])).toEqual([
      "3f2504e0-4f89-11d3-9a0c-0305e82c3301x",
      "x3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    ]);
  });

  it("pins the diagnostic whole", () => {
    const d = diagnose(blueprint("azure", (s) => (s.cluster = { version: "1.33", admins: ["ops"], nodePools: [] }))).find((x) => x.code === "MLP_CLUSTER_ADMIN_FORMAT")!;
    expect(pick(d)).toEqual({
      code: "MLP_CLUSTER_ADMIN_FORMAT",
      severity: "error",
      message: "`ops` is not a azure principal mlplat can grant cluster-admin to.",
      path: ["spec", "cluster", "admins", 0],
      found: "ops",
      allowed: "Entra group object IDs (UUIDs)",
      hint: "write it as Entra group object IDs.",
    });
  });
});

describe("kubernetes version", () => {
  it("suggests only versions still in standard support that the target can build", () => {
    // gcp rows of src/catalog/data/kubernetes.json with endOfStandardSupport on or after 2026-11-25.
    const d = expectCode(blueprint("gcp", (s) => (s.cluster = { version: "1.99" })), "MLP_K8S_VERSION_UNKNOWN");
    expect(pick(d)).toMatchObject({ severity: "warning", path: ["spec", "cluster", "version"], found: "1.99" });
    expect(d.hint).toBe(`use one of ${d.allowed}.`);
    expect(d.allowed).toMatch(/^1\.3\d(, 1\.3\d)*$/);
    expect(d.allowed!.split(", ")).not.toContain("1.29");
    const ended = expectCode(blueprint("gcp", (s) => (s.cluster = { version: "1.29" })), "MLP_K8S_VERSION_ENDED");
    expect([ended.severity, ended.allowed, ended.hint]).toEqual(["warning", d.allowed, `use one of ${d.allowed}.`]);
  });
});

describe("observability, network, min/max", () => {
  it("accepts the longest retention a cloud offers and refuses one day more, pinned whole", () => {
    expect(codesOf(blueprint("gcp", (s) => (s.observability = { logRetentionDays: 3650 })))).toEqual([]);
    expect(pick(expectCode(blueprint("gcp", (s) => (s.observability = { logRetentionDays: 3651 })), "MLP_LOG_RETENTION_TOO_LONG"))).toEqual({
      code: "MLP_LOG_RETENTION_TOO_LONG",
      severity: "error",
      message: "Cloud Logging buckets keep logs at most 3650 days.",
      path: ["spec", "observability", "logRetentionDays"],
      found: "3651",
      allowed: "1 to 3650",
      hint: "set logRetentionDays to 3650 or less, and export logs to a bucket for longer retention.",
    });
    const rounded = expectCode(blueprint("aws", (s) => (s.observability = { logRetentionDays: 31 })), "MLP_LOG_RETENTION_ROUNDED");
    expect([rounded.severity, rounded.message, rounded.hint]).toEqual(["warning", "CloudWatch Logs do not accept 31 days; 60 is used.", "write 60 to silence this warning."]);
    expect(rounded.allowed).toMatch(/^1, 3, 5, 7, 14, 30, 60, .*, 3653$/);
  });

  it("takes network sizes /16 to /24 exactly", () => {
    expect(codesOf(blueprint("aws", (s) => (s.network = { cidr: "10.40.0.0/24", adminCidrs: ["198.51.100.0/24"] })))).not.toContain("MLP_CIDR_SIZE");
    expect(codesOf(blueprint("aws", (s) => (s.network = { cidr: "10.40.0.0/25", adminCidrs: ["198.51.100.0/24"] })))).toContain("MLP_CIDR_SIZE");
    const d = expectCode(blueprint("aws", (s) => (s.network = { cidr: "10.40.0.0/33" })), "MLP_CIDR_INVALID");
    expect([d.path, d.found, d.allowed, d.hint]).toEqual([["spec", "network", "cidr"], "10.40.0.0/33", "a.b.c.d/n", "write it like 10.40.0.0/16."]);
  });

  it("refuses min above max for the system pool and endpoints, allows min equal to max", () => {
    const sys = expectCode(blueprint("gcp", (s) => (s.cluster = { version: "1.35", systemPool: { min: 3, max: 2 } })), "MLP_MIN_ABOVE_MAX");
    expect(pick(sys)).toEqual({
      code: "MLP_MIN_ABOVE_MAX",
      severity: "error",
      message: "min (3) is greater than max (2).",
      path: ["spec", "cluster", "systemPool", "min"],
      found: "min 3, max 2",
      allowed: "min <= max",
      hint: "lower min to 2 or raise max to 3.",
    });
    const endpoint = (min: number, max: number) =>
      blueprint("gcp", (s) => ((s.registry = { images: [{ name: "serving" }] }), (s.serving = { endpoints: [{ name: "scorer", image: "serving:1.0", autoscaling: { min, max } }] })));
    expect(expectCode(endpoint(3, 2), "MLP_MIN_ABOVE_MAX").path).toEqual(["spec", "serving", "endpoints", 0, "autoscaling", "min"]);
    expect(codesOf(endpoint(2, 2))).not.toContain("MLP_MIN_ABOVE_MAX");
  });
});

describe("ACR capabilities", () => {
  it("warns at the defaults on the image name, refuses an explicit true on the field", () => {
    const img = (extra: Doc) => blueprint("azure", (s) => (s.registry = { images: [{ name: "serving", scanOnPush: false, ...extra }] }));
    expect(pick(expectCode(img({}), "MLP_ACR_IMMUTABLE_TAGS"))).toEqual({
      code: "MLP_ACR_IMMUTABLE_TAGS",
      severity: "warning",
      message: "Azure Container Registry can't enforce immutable tags through Terraform; the default (true) is not applied on azure.",
      path: ["spec", "registry", "images", 0, "name"],
      found: "immutableTags: true (default)",
      allowed: undefined,
      hint: "lock tags after push (`az acr repository update --write-enabled false`) in CI, or set `immutableTags: false` to acknowledge.",
    });
    const scan = expectCode(img({ immutableTags: false, scanOnPush: true }), "MLP_ACR_SCAN_ON_PUSH");
    expect(pick(scan)).toMatchObject({
      severity: "error",
      message: "Azure Container Registry can't enforce scan on push through Terraform.",
      path: ["spec", "registry", "images", 0, "scanOnPush"],
      found: "scanOnPush: true",
      hint: "enable Microsoft Defender for Containers on the subscription, or set `scanOnPush: false` to acknowledge.",
    });
  });
});

describe("region", () => {
  it("names the cloud a region belongs to", () => {
    const d = expectCode(blueprint("aws", (s) => (s.region = "us-central1")), "MLP_REGION_UNKNOWN");
    expect([d.message, d.hint]).toEqual([
      "us-central1 is not an aws region (it is a gcp region).",
      "set `cloud: gcp` (with its spec.gcp block), or use an aws region such as us-east-1.",
    ]);
    const none = expectCode(blueprint("gcp", (s) => (s.region = "qqqqqqqqqqqq")), "MLP_REGION_UNKNOWN");
    expect([none.message, none.hint]).toEqual(["qqqqqqqqqqqq is not a gcp region.", "use a gcp region such as us-central1."]);
  });
});
