import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { ArtifactRepository } from "../../stacks/gcp/artifact-repository.js";
import { GcpBillingBudget } from "../../stacks/gcp/billing-budget.js";
import { CloudRunEndpoint } from "../../stacks/gcp/cloud-run-endpoint.js";
import { EmailChannels } from "../../stacks/gcp/email-channels.js";
import { GcsBucket } from "../../stacks/gcp/gcs-bucket.js";
import { GkeNodePool } from "../../stacks/gcp/gke-node-pool.js";
import { GcpObservability } from "../../stacks/gcp/observability.js";
import { Template } from "../helpers/template.js";

/** The constructs' own defaults and cross-field checks, used directly rather than through the resolver. */
const stack = () => new TerraformStack(Testing.app(), "t");
const labels = { owner: "x" };

describe("GCP constructs on their own", () => {
  it("defaults a bucket to versioned, protected, 7 days of soft delete and 30 days of noncurrent versions", () => {
    const s = stack();
    new GcsBucket(s, "b", { project: "p", region: "europe-west4", name: "b-123456", kmsKeyId: "k", labels });
    new GcsBucket(s, "keep", { project: "p", region: "europe-west4", name: "keep-123456", kmsKeyId: "k", labels, noncurrentVersionsExpireAfterDays: 0 });
    const all = Object.values(Template.fromJson(Testing.synth(s)).resources("google_storage_bucket"));
    const b = all.find((x) => x.name === "b-123456")!;
    expect(b).toMatchObject({
      location: "EUROPE-WEST4",
      versioning: { enabled: true },
      lifecycle: { prevent_destroy: true },
      force_destroy: false,
      soft_delete_policy: { retention_duration_seconds: 604800 },
    });
    expect(b.lifecycle_rule).toEqual([{ action: { type: "Delete" }, condition: { days_since_noncurrent_time: 30, with_state: "ARCHIVED" } }]);
    // 0 keeps noncurrent versions forever
    expect(all.find((x) => x.name === "keep-123456")!.lifecycle_rule).toBeUndefined();
  });

  it("throws when a bucket archives before it cools", () => {
    expect(
      () => new GcsBucket(stack(), "b", { project: "p", region: "r", name: "n", kmsKeyId: "k", labels, nearlineAfterDays: 90, archiveAfterDays: 30 }),
    ).toThrow("bucket b: archiveAfterDays (30) must be after nearlineAfterDays (90)");
  });

  it("defaults a repository to immutable tags and scanning, with no cleanup policy", () => {
    const s = stack();
    new ArtifactRepository(s, "r", { project: "p", region: "r1", repositoryId: "repo", kmsKeyId: "k", labels });
    const r = Object.values(Template.fromJson(Testing.synth(s)).resources("google_artifact_registry_repository"))[0]!;
    expect(r).toMatchObject({ docker_config: { immutable_tags: true }, vulnerability_scanning_config: { enablement_config: "INHERITED" } });
    expect(r.cleanup_policies).toBeUndefined();
  });

  it("throws when keepLast is not a positive integer", () => {
    expect(() => new ArtifactRepository(stack(), "r", { project: "p", region: "r1", repositoryId: "repo", kmsKeyId: "k", labels, keepLast: 0 })).toThrow(
      "repository r: keepLast must be a positive integer, got 0",
    );
  });

  it("throws when a node pool's bounds are inverted or empty", () => {
    const base = { project: "p", clusterId: "c", location: "l", name: "n", machineType: "e2-standard-4", serviceAccountEmail: "e", bootDiskKmsKeyId: "k", resourceLabels: labels };
    expect(() => new GkeNodePool(stack(), "p", { ...base, minNodes: 3, maxNodes: 2 })).toThrow("node pool p: need 0 <= minNodes <= maxNodes and maxNodes >= 1, got 3..2");
    expect(() => new GkeNodePool(stack(), "p", { ...base, maxNodes: 0 })).toThrow(/maxNodes >= 1/);
  });

  it("defaults a node pool to on-demand, 100 GiB pd-balanced, scaling from zero", () => {
    const s = stack();
    new GkeNodePool(s, "p", { project: "p", clusterId: "c", location: "l", name: "n", machineType: "e2-standard-4", serviceAccountEmail: "e", bootDiskKmsKeyId: "k", resourceLabels: labels, maxNodes: 2 });
    const p = Object.values(Template.fromJson(Testing.synth(s)).resources("google_container_node_pool"))[0]!;
    expect(p).toMatchObject({
      initial_node_count: 0,
      autoscaling: { total_min_node_count: 0, total_max_node_count: 2, location_policy: "BALANCED" },
      node_config: { spot: false, disk_size_gb: 100, disk_type: "pd-balanced", labels: {}, taint: [] },
    });
  });

  it("throws when a Cloud Run GPU service is smaller than 4 CPU and 16Gi or asks for two GPUs", () => {
    const base = { project: "p", region: "us-central1", serviceName: "s", serviceAccountId: "svc-acct", image: "i", kmsKeyId: "k", labels, maxInstances: 1 };
    expect(() => new CloudRunEndpoint(stack(), "e", { ...base, cpu: "2", memory: "16Gi", accelerator: { type: "nvidia-l4", count: 1 } })).toThrow(
      "endpoint e: Cloud Run needs at least 4 CPU and 16Gi with a GPU, got 2 CPU and 16Gi",
    );
    expect(() => new CloudRunEndpoint(stack(), "e", { ...base, cpu: "4", memory: "8192Mi", accelerator: { type: "nvidia-l4", count: 1 } })).toThrow(/at least 4 CPU and 16Gi/);
    expect(() => new CloudRunEndpoint(stack(), "e", { ...base, cpu: "8", memory: "32Gi", accelerator: { type: "nvidia-l4", count: 2 } })).toThrow(
      "endpoint e: Cloud Run attaches exactly one GPU, got 2",
    );
    expect(() => new CloudRunEndpoint(stack(), "e", { ...base, cpu: "1", memory: "1Gi", minInstances: 2, maxInstances: 1 })).toThrow(/minInstances <= maxInstances/);
  });

  it("throws when an e-mail is listed twice", () => {
    expect(() => new EmailChannels(stack(), "email", { project: "p", emails: ["a@x.com", "A@x.com"], labels, displayNamePrefix: "x" })).toThrow("e-mail A@x.com is listed twice");
  });

  it("throws when a budget would notify more than the 5 channels Cloud Billing allows", () => {
    const emails = ["a", "b", "c", "d", "e", "f"].map((x) => `${x}@example.com`);
    expect(
      () =>
        new GcpBillingBudget(stack(), "budget", { project: "p", projectNumber: "1", billingAccount: "b", displayName: "d", monthlyUsd: 1, thresholds: [1], emails, labels }),
    ).toThrow("a Cloud Billing budget notifies at most 5 channels, got 6 e-mails");
  });

  it("rounds a fractional budget amount up to whole dollars", () => {
    const s = stack();
    new GcpBillingBudget(s, "budget", { project: "p", projectNumber: "1", billingAccount: "b", displayName: "d", monthlyUsd: 99.5, thresholds: [1], emails: [], labels });
    const budgets = Object.values(Template.fromJson(Testing.synth(s)).resources("google_billing_budget"));
    expect(budgets.map((b) => b.amount)).toEqual([{ specified_amount: { currency_code: "USD", units: "100" } }]);
  });

  it("throws when log retention is outside what Cloud Logging accepts", () => {
    expect(() => new GcpObservability(stack(), "o", { project: "p", logRetentionDays: 4000, alertEmails: [], labels, displayNamePrefix: "x" })).toThrow(
      "log retention must be 1 to 3650 days, got 4000",
    );
  });

  it("creates no alert policy for an endpoint without alarms", () => {
    const s = stack();
    new GcpObservability(s, "o", { project: "p", logRetentionDays: 30, alertEmails: [], labels, displayNamePrefix: "x", endpoints: [{ id: "e", serviceName: "s" }] });
    Template.fromJson(Testing.synth(s)).resourceCountIs("google_monitoring_alert_policy", 0);
  });
});
