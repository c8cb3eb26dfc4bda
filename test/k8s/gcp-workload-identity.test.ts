import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubernetesPlatform } from "../../src/k8s/platforms/index.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import type { GcpPlatformProps } from "../../src/targets/gcp/index.js";
import { resolveFixture, writeBlueprint } from "./fixtures.js";
import { documents, findDoc, type Obj } from "./kube.js";

/**
 * GKE Workload Identity end to end: the Google service account the GCP stack creates for a
 * `runtime: kubernetes` endpoint that reads a model, and the annotation the manifests put on the
 * endpoint's Kubernetes ServiceAccount, must name each other.
 */
describe("GKE workload identity of kubernetes endpoints", () => {
  const dirs: string[] = [];
  let tf: { resource: Record<string, Record<string, Obj>> };
  let read: (rel: string) => Obj[];
  beforeAll(async () => {
    const { dir, file } = writeBlueprint("gcp");
    dirs.push(dir);
    const result = await synthesizeBlueprint(file, { outDir: join(dir, "cdktf.out"), offline: true });
    const stackDir = result.stacks[0]!.dir;
    tf = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8"));
    read = (rel) => documents(readFileSync(join(stackDir, rel), "utf8"));
  }, 60_000);
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("annotates the service account of an endpoint that reads a model with the Google service account the stack creates", () => {
    const sa = findDoc(read("k8s/llm.yaml"), "ServiceAccount");
    const google = tf.resource["google_service_account"]!["serving_llm"]!;
    expect(sa.metadata.annotations).toEqual({ "iam.gke.io/gcp-service-account": `${google.account_id}@${google.project}.iam.gserviceaccount.com` });
  });

  it("lets exactly that Kubernetes service account impersonate the Google one", () => {
    const sa = findDoc(read("k8s/llm.yaml"), "ServiceAccount");
    const binding = tf.resource["google_service_account_iam_member"]!["serving_llm_workload-identity-user"]!;
    expect(binding.role).toBe("roles/iam.workloadIdentityUser");
    expect(binding.service_account_id).toBe("${google_service_account.serving_llm.name}");
    expect(binding.member).toBe(`serviceAccount:mlplat-k8s-test.svc.id.goog[${sa.metadata.namespace}/${sa.metadata.name}]`);
    // The pods use the ServiceAccount that is bound.
    expect(findDoc(read("k8s/llm.yaml"), "Deployment").spec.template.spec.serviceAccountName).toBe(sa.metadata.name);
  });

  it("grants read on the bucket MODEL_URI points at, and nothing on the others", () => {
    const env: Obj[] = findDoc(read("k8s/llm.yaml"), "Deployment").spec.template.spec.containers[0].env;
    const uri = env.find((x) => x.name === "MODEL_URI")!.value as string;
    const bucketName = /^gs:\/\/([^/]+)\//.exec(uri)![1];
    const grants = Object.values(tf.resource["google_storage_bucket_iam_member"]!).filter(
      (g) => g.member === "${google_service_account.serving_llm.member}",
    );
    expect(grants.map((g) => g.role)).toEqual(["roles/storage.objectViewer"]);
    const [, address] = /^\$\{google_storage_bucket\.([^.]+)\.name\}$/.exec(grants[0]!.bucket)!;
    expect(tf.resource["google_storage_bucket"]![address!]!.name).toBe(bucketName);
  });

  it("leaves an endpoint without a model without identity, on the cluster and in the stack", () => {
    const sa = findDoc(read("k8s/ranker.yaml"), "ServiceAccount");
    expect(sa.metadata.annotations).toBeUndefined();
    expect(Object.keys(tf.resource["google_service_account"]!)).not.toContain("serving_ranker");
  });

  it("derives the annotation offline from the target's props, one per endpoint that reads a model", () => {
    const { model, props } = resolveFixture("gcp");
    const platform = kubernetesPlatform(model, props);
    const identity = (props as GcpPlatformProps).workloadIdentities;
    expect(identity.map((w) => w.id)).toEqual(["llm"]);
    expect(platform.workloadIdentity?.("llm")).toEqual({ "iam.gke.io/gcp-service-account": identity[0]!.email });
    expect(identity[0]!.email).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]@mlplat-k8s-test\.iam\.gserviceaccount\.com$/);
    expect(platform.workloadIdentity?.("ranker")).toEqual({});
  });
});
