import { describe, expect, it } from "vitest";
import { isError, renderDiagnostic } from "../../src/blueprint/diagnostics.js";
import { loadBlueprint } from "../../src/blueprint/load.js";

/**
 * The fixture corpus of invalid blueprints: every file must fail with exit-1 class errors that
 * name file:line:col, and the full rendering of each is pinned, so a change in wording, code or
 * location shows up in review.
 */
function render(name: string, env?: string): string {
  const r = loadBlueprint(`test/fixtures/invalid/${name}.yaml`, { env, today: "2026-11-25", vars: {} });
  expect(r.model).toBeUndefined();
  expect(r.diagnostics.some(isError)).toBe(true);
  for (const d of r.diagnostics.filter(isError)) expect(d.line, `${d.code} has a line`).toBeGreaterThan(0);
  return r.diagnostics.map((d) => renderDiagnostic(d)).join("\n\n");
}

describe("invalid blueprints", () => {
  it("rejects acr immutable tags explicit", () => {
    expect(render("acr-immutable-tags-explicit")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/acr-immutable-tags-explicit.yaml:13:24 error MLP_ACR_IMMUTABLE_TAGS spec.registry.images[0].immutableTags
        Azure Container Registry can't enforce immutable tags through Terraform.
        13 |         immutableTags: true
           |                        ^
        found: immutableTags: true
        hint: lock tags after push (\`az acr repository update --write-enabled false\`) in CI, or set \`immutableTags: false\` to acknowledge."
    `);
  });

  it("rejects admin cidr open", () => {
    expect(render("admin-cidr-open")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/admin-cidr-open.yaml:11:21 warning MLP_PUBLIC_CLUSTER_ENDPOINT spec.network.privateCluster
        the cluster API endpoint is public, limited to 0.0.0.0/0.
        11 |     privateCluster: false
           |                     ^
        found: false
        hint: keep privateCluster: true and reach the API through a VPN or bastion where you can.

      test/fixtures/invalid/admin-cidr-open.yaml:12:18 error MLP_ADMIN_CIDR_OPEN spec.network.adminCidrs[0]
        0.0.0.0/0 would open the cluster API and firewalls to the whole internet.
        12 |     adminCidrs: [0.0.0.0/0]
           |                  ^
        found: 0.0.0.0/0
        hint: list the public ranges of your office or VPN instead, or keep privateCluster: true."
    `);
  });

  it("rejects alias bomb", () => {
    expect(render("alias-bomb")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/alias-bomb.yaml:1:1 error MLP_YAML_ALIAS_LIMIT (document)
        YAML aliases expand too far (Excessive alias count indicates a resource exhaustion attack).
        hint: blueprints need no more than a few anchors; expand them by hand."
    `);
  });

  it("rejects bad platform name", () => {
    expect(render("bad-platform-name")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/bad-platform-name.yaml:4:9 error MLP_INVALID_FORMAT metadata.name
        must start with a lowercase letter, hold lowercase letters, digits or '-', and not end with '-'.
        4 |   name: Fraud_Detection
          |         ^
        found: "Fraud_Detection" · allowed: /^[a-z][a-z0-9-]*[a-z0-9]$/
        hint: try \`fraud-detection\`."
    `);
  });

  it("rejects cidr not private", () => {
    expect(render("cidr-not-private")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/cidr-not-private.yaml:11:11 error MLP_CIDR_NOT_PRIVATE spec.network.cidr
        8.8.0.0/16 is not in private (RFC 1918) address space.
        11 |     cidr: 8.8.0.0/16
           |           ^
        found: 8.8.0.0/16 · allowed: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16
        hint: use a range such as 10.40.0.0/16."
    `);
  });

  it("rejects cidr too large", () => {
    expect(render("cidr-too-large")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/cidr-too-large.yaml:11:11 error MLP_CIDR_SIZE spec.network.cidr
        /8 is outside the sizes mlplat carves subnets from.
        11 |     cidr: 10.0.0.0/8
           |           ^
        found: /8 · allowed: /16 to /24
        hint: use /16 (room for large clusters) up to /24."
    `);
  });

  it("rejects cloud run not l4", () => {
    expect(render("cloud-run-not-l4")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/cloud-run-not-l4.yaml:16:22 error MLP_CLOUD_RUN_GPU spec.serving.endpoints[0].gpu.type
        Cloud Run GPUs are L4 only; A100-80GB is not offered there.
        16 |         gpu: { type: A100-80GB, count: 1 }
           |                      ^
        found: A100-80GB · allowed: L4
        hint: use gpu: { type: L4, count: 1 }, or set \`runtime: kubernetes\` to serve it on a GPU node pool of the cluster instead."
    `);
  });

  it("rejects container apps gpu region", () => {
    expect(render("container-apps-gpu-region")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/container-apps-gpu-region.yaml:16:9 error MLP_CONTAINER_APPS_GPU_REGION spec.serving.endpoints[0].gpu
        Container Apps offer T4 GPUs in australiaeast, brazilsouth, centralindia, eastus, francecentral, italynorth, japaneast, northcentralus, southcentralus, southeastasia, southindia, swedencentral, westeurope, westus, westus2, westus3, not in northeurope.
        16 |         gpu: { type: T4, count: 1 }
           |         ^
        found: northeurope · allowed: australiaeast, brazilsouth, centralindia, eastus, francecentral, italynorth, japaneast, northcentralus, southcentralus, southeastasia, southindia, swedencentral, westeurope, westus, westus2, westus3
        hint: choose one of those regions, or set \`runtime: kubernetes\` to serve it on a GPU node pool of the cluster instead."
    `);
  });

  it("rejects duplicate bucket names", () => {
    expect(render("duplicate-bucket-names")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/duplicate-bucket-names.yaml:13:15 error MLP_DUPLICATE_NAME spec.storage.buckets[1].name
        bucket name \`data\` is used twice (also at spec.storage.buckets[0]).
        13 |       - name: data
           |               ^
        found: data
        hint: give each bucket its own name."
    `);
  });

  it("rejects duplicate key", () => {
    expect(render("duplicate-key")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/duplicate-key.yaml:14:9 error MLP_YAML_DUPLICATE_KEY spec.storage.buckets[0].versioning
        a key appears twice in the same mapping; YAML keeps only one, so this is an error.
        14 |         versioning: false
           |         ^
        hint: remove or rename one of the two keys."
    `);
  });

  it("rejects env var unset", () => {
    expect(render("env-var-unset")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/env-var-unset.yaml:8:11 error MLP_ENV_VAR_UNSET spec.region
        environment variable MLPLAT_TEST_UNSET_REGION is not set and \`\${env:MLPLAT_TEST_UNSET_REGION}\` has no fallback.
        8 |   region: \${env:MLPLAT_TEST_UNSET_REGION}
          |           ^
        found: \${env:MLPLAT_TEST_UNSET_REGION}
        hint: export MLPLAT_TEST_UNSET_REGION=…, or give a fallback: \${env:MLPLAT_TEST_UNSET_REGION:-value}."
    `);
  });

  it("rejects gcp budget without billing account", () => {
    expect(render("gcp-budget-without-billing-account")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/gcp-budget-without-billing-account.yaml:10:3 error MLP_BUDGET_NEEDS_BILLING_ACCOUNT spec.budget
        a GCP budget is set on a billing account, and spec.gcp.billingAccount is not set.
        10 |   budget:
           |   ^
        hint: add \`billingAccount: 0X0X0X-0X0X0X-0X0X0X\` under spec.gcp, or remove spec.budget."
    `);
  });

  it("rejects gpu count not offered", () => {
    expect(render("gpu-count-not-offered")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/gpu-count-not-offered.yaml:6:1 warning MLP_NO_CLUSTER_ACCESS_PATH spec.network.adminCidrs
        no access path to the private cluster API: the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from. mlplat deploy will refuse to run unless --skip-kubernetes (then apply k8s/ with your GitOps).
        6 | spec:
          | ^
        found: adminCidrs: []
        hint: list the VPN, peered or on-premises ranges mlplat runs from, e.g. \`adminCidrs: [10.99.0.0/16]\` (private ranges allowed when privateCluster is true); see stacks/aws/README.md.

      test/fixtures/invalid/gpu-count-not-offered.yaml:14:33 error MLP_GPU_COUNT spec.cluster.nodePools[0].gpu.count
        L4 comes in counts 1, 4, 8 on aws.
        14 |         gpu: { type: L4, count: 2 }
           |                                 ^
        found: 2 · allowed: 1, 4, 8
        hint: set the count to 1, 4 or 8 (g6f.2xlarge has 0.25 of one: fractional types are never chosen for a whole count)"
    `);
  });

  it("rejects gpu not in region", () => {
    expect(render("gpu-not-in-region")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/gpu-not-in-region.yaml:6:1 warning MLP_NO_CLUSTER_ACCESS_PATH spec.network.adminCidrs
        no access path to the private cluster API: the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from. mlplat deploy will refuse to run unless --skip-kubernetes (then apply k8s/ with your GitOps).
        6 | spec:
          | ^
        found: adminCidrs: []
        hint: list the VPN, peered or on-premises ranges mlplat runs from, e.g. \`adminCidrs: [10.99.0.0/16]\` (private ranges allowed when privateCluster is true); see stacks/aws/README.md.

      test/fixtures/invalid/gpu-not-in-region.yaml:14:9 error MLP_GPU_NOT_IN_REGION spec.cluster.nodePools[0].gpu
        H100 ×8 is not offered on aws in eu-west-1.
        14 |         gpu: { type: H100, count: 8 }
           |         ^
        found: H100 in eu-west-1 · allowed: eu-west-2, eu-north-1, us-east-1, ap-northeast-1, ap-northeast-2, ap-south-1, ap-southeast-2, ap-southeast-3, ca-central-1, us-east-2, us-west-1, us-west-2
        hint: H100 ×8 is offered in eu-west-2, eu-north-1, us-east-1, ap-northeast-1, ap-northeast-2, ap-south-1, … (12 regions)"
    `);
  });

  it("rejects gpu unknown", () => {
    expect(render("gpu-unknown")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/gpu-unknown.yaml:6:1 warning MLP_NO_CLUSTER_ACCESS_PATH spec.network.adminCidrs
        no access path to the private cluster API: the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from. mlplat deploy will refuse to run unless --skip-kubernetes (then apply k8s/ with your GitOps).
        6 | spec:
          | ^
        found: adminCidrs: []
        hint: list the VPN, peered or on-premises ranges mlplat runs from, e.g. \`adminCidrs: [10.99.0.0/16]\` (private ranges allowed when privateCluster is true); see stacks/aws/README.md.

      test/fixtures/invalid/gpu-unknown.yaml:14:22 error MLP_GPU_UNKNOWN spec.cluster.nodePools[0].gpu.type
        unknown accelerator "A1000".
        14 |         gpu: { type: A1000, count: 8 }
           |                      ^
        found: A1000 · allowed: A10G, A100-40GB, A100-80GB, B200, B300, Gaudi HL-205, H100, H200, Inferentia, Inferentia2, L4, L40S, Radeon Pro V520, T4, T4g, V100, V100-32GB
        hint: known accelerators on aws: A10G, A100-40GB, A100-80GB, B200, B300, Gaudi HL-205, H100, H200, Inferentia, Inferentia2, L4, L40S, Radeon Pro V520, T4, T4g, V100, V100-32GB."
    `);
  });

  it("rejects image unknown repository", () => {
    expect(render("image-unknown-repository")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/image-unknown-repository.yaml:16:16 error MLP_IMAGE_UNKNOWN_REPOSITORY spec.serving.endpoints[0].image
        image \`servng:1.0.0\` names repository \`servng\`, which spec.registry.images does not declare.
        16 |         image: servng:1.0.0
           |                ^
        found: servng · allowed: serving
        hint: did you mean \`serving:1.0.0\`?"
    `);
  });

  it("rejects kubernetes endpoint reserved name", () => {
    expect(render("kubernetes-endpoint-reserved-name")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/kubernetes-endpoint-reserved-name.yaml:4:1 warning MLP_NO_CLUSTER_ACCESS_PATH spec.network.adminCidrs
        no access path to the private cluster API: the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from. mlplat deploy will refuse to run unless --skip-kubernetes (then apply k8s/ with your GitOps).
        4 | spec:
          | ^
        found: adminCidrs: []
        hint: list the VPN, peered or on-premises ranges mlplat runs from, e.g. \`adminCidrs: [10.99.0.0/16]\` (private ranges allowed when privateCluster is true); see stacks/aws/README.md.

      test/fixtures/invalid/kubernetes-endpoint-reserved-name.yaml:14:17 error MLP_ENDPOINT_NAME_RESERVED spec.serving.endpoints[0].name
        a kubernetes endpoint can't be named \`namespace\`: its manifest would overwrite k8s/namespace.yaml, which mlplat writes itself.
        14 |       - { name: namespace, runtime: kubernetes, image: "llm:1" }
           |                 ^
        found: namespace
        hint: rename it, e.g. \`namespace-api\`."
    `);
  });

  it("rejects kubernetes endpoint no fitting pool", () => {
    expect(render("kubernetes-endpoint-no-fitting-pool")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/kubernetes-endpoint-no-fitting-pool.yaml:6:1 warning MLP_NO_CLUSTER_ACCESS_PATH spec.network.adminCidrs
        no access path to the private cluster API: the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from. mlplat deploy will refuse to run unless --skip-kubernetes (then apply k8s/ with your GitOps).
        6 | spec:
          | ^
        found: adminCidrs: []
        hint: list the VPN, peered or on-premises ranges mlplat runs from, e.g. \`adminCidrs: [10.99.0.0/16]\` (private ranges allowed when privateCluster is true); see stacks/aws/README.md.

      test/fixtures/invalid/kubernetes-endpoint-no-fitting-pool.yaml:23:9 error MLP_K8S_ENDPOINT_NO_POOL spec.serving.endpoints[0].gpu
        no node pool has H100 GPUs with at least 8 per node.
        23 |         gpu: { type: H100, count: 8 }
           |         ^
        found: H100×8 · allowed: pools: infer (L4×1)
        hint: add a pool with gpu: { type: H100, count: 8 } to spec.cluster.nodePools."
    `);
  });

  it("rejects min above max", () => {
    expect(render("min-above-max")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/min-above-max.yaml:6:1 warning MLP_NO_CLUSTER_ACCESS_PATH spec.network.adminCidrs
        no access path to the private cluster API: the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from. mlplat deploy will refuse to run unless --skip-kubernetes (then apply k8s/ with your GitOps).
        6 | spec:
          | ^
        found: adminCidrs: []
        hint: list the VPN, peered or on-premises ranges mlplat runs from, e.g. \`adminCidrs: [10.99.0.0/16]\` (private ranges allowed when privateCluster is true); see stacks/aws/README.md.

      test/fixtures/invalid/min-above-max.yaml:15:14 error MLP_MIN_ABOVE_MAX spec.cluster.nodePools[0].min
        min (5) is greater than max (2).
        15 |         min: 5
           |              ^
        found: min 5, max 2 · allowed: min <= max
        hint: lower min to 2 or raise max to 5."
    `);
  });

  it("rejects missing account block", () => {
    expect(render("missing-account-block")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/missing-account-block.yaml:7:10 error MLP_ACCOUNT_REQUIRED spec.cloud
        spec.aws is required when cloud is aws: resource names, key policies and image URLs are derived from it without calling the cloud.
        7 |   cloud: aws
          |          ^
        found: cloud: aws without spec.aws
        hint: add \`aws: { accountId: "123456789012" }\` under spec."
    `);
  });

  it("rejects missing owner", () => {
    expect(render("missing-owner")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/missing-owner.yaml:3:1 error MLP_REQUIRED metadata.owner
        \`owner\` is required.
        3 | metadata:
          | ^
        allowed: a string
        hint: add \`owner\`."
    `);
  });

  it("rejects model bucket unknown", () => {
    expect(render("model-bucket-unknown")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/model-bucket-unknown.yaml:19:26 error MLP_MODEL_BUCKET_UNKNOWN spec.serving.endpoints[0].model.bucket
        model bucket \`modles\` is not declared in spec.storage.buckets.
        19 |         model: { bucket: modles, path: scorer/ }
           |                          ^
        found: modles · allowed: models
        hint: did you mean \`models\`?"
    `);
  });

  it("rejects multiple documents", () => {
    expect(render("multiple-documents")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/multiple-documents.yaml:10:1 error MLP_YAML_MULTIPLE_DOCUMENTS (document)
        the file holds 2 YAML documents; a blueprint is one.
        10 | ---
           | ^
        hint: remove the \`---\` separators, or split the platforms into one file each."
    `);
  });

  it("rejects not a mapping", () => {
    expect(render("not-a-mapping")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/not-a-mapping.yaml:1:1 error MLP_NOT_A_MAPPING (document)
        the document is a list; a blueprint is a mapping with apiVersion, kind, metadata and spec.
        1 | - apiVersion: mlplat/v1
          | ^
        found: a list · allowed: a mapping
        hint: start from a reference blueprint: \`mlplat init\`."
    `);
  });

  it("rejects overlay unknown key", () => {
    expect(render("overlay-unknown-key", "prod")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/overlay-unknown-key.yaml:16:13 error MLP_UNKNOWN_KEY spec.storage.buckets[0].versoning
        unknown key \`versoning\` (did you mean \`versioning\`?).
        16 |             versoning: false
           |             ^
        found: versoning · allowed: name, versioning, tiering, expireAfterDays, protect
        hint: rename \`versoning\` to \`versioning\`."
    `);
  });

  it("rejects pool gpu and instance type", () => {
    expect(render("pool-gpu-and-instance-type")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/pool-gpu-and-instance-type.yaml:6:1 warning MLP_NO_CLUSTER_ACCESS_PATH spec.network.adminCidrs
        no access path to the private cluster API: the EKS API endpoint is private and network.adminCidrs is empty, so its security group admits no network mlplat can run from. mlplat deploy will refuse to run unless --skip-kubernetes (then apply k8s/ with your GitOps).
        6 | spec:
          | ^
        found: adminCidrs: []
        hint: list the VPN, peered or on-premises ranges mlplat runs from, e.g. \`adminCidrs: [10.99.0.0/16]\` (private ranges allowed when privateCluster is true); see stacks/aws/README.md.

      test/fixtures/invalid/pool-gpu-and-instance-type.yaml:15:23 error MLP_POOL_COMPUTE spec.cluster.nodePools[0].instanceType
        give either \`gpu\` or \`instanceType\`, not both.
        15 |         instanceType: g6.xlarge
           |                       ^
        hint: remove one of them."
    `);
  });

  it("rejects public cluster without admin cidrs", () => {
    expect(render("public-cluster-without-admin-cidrs")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/public-cluster-without-admin-cidrs.yaml:11:21 error MLP_PUBLIC_CLUSTER_NEEDS_ADMIN_CIDRS spec.network.privateCluster
        privateCluster: false needs adminCidrs: the public API endpoint is reachable only from them.
        11 |     privateCluster: false
           |                     ^
        found: adminCidrs: []
        hint: add \`adminCidrs: [203.0.113.0/24]\` (your office or VPN), or keep privateCluster: true."
    `);
  });

  it("rejects region of another cloud", () => {
    expect(render("region-of-another-cloud")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/region-of-another-cloud.yaml:8:11 error MLP_REGION_UNKNOWN spec.region
        us-central1 is not an aws region (it is a gcp region).
        8 |   region: us-central1
          |           ^
        found: us-central1 · allowed: af-south-1, ap-east-1, ap-east-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, … (\`mlplat catalog regions --cloud aws\`)
        hint: set \`cloud: gcp\` (with its spec.gcp block), or use an aws region such as us-east-1."
    `);
  });

  it("rejects s3 lifecycle limits", () => {
    expect(render("s3-lifecycle-limits")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/s3-lifecycle-limits.yaml:13:35 error MLP_S3_LIFECYCLE_MINIMUM spec.storage.buckets[0].tiering.coolAfterDays
        S3 moves objects to STANDARD_IA no sooner than 30 days after creation.
        13 |         tiering: { coolAfterDays: 7, archiveAfterDays: 20 }
           |                                   ^
        found: 7 · allowed: >= 30
        hint: set coolAfterDays to 30 or more.

      test/fixtures/invalid/s3-lifecycle-limits.yaml:13:56 error MLP_S3_LIFECYCLE_MINIMUM spec.storage.buckets[0].tiering.archiveAfterDays
        S3 keeps objects in STANDARD_IA at least 30 days before an archive transition (cool at 7, archive at 20).
        13 |         tiering: { coolAfterDays: 7, archiveAfterDays: 20 }
           |                                                        ^
        found: 20 · allowed: >= 37
        hint: set archiveAfterDays to 37 or more.

      test/fixtures/invalid/s3-lifecycle-limits.yaml:14:26 error MLP_EXPIRE_BEFORE_TIERING spec.storage.buckets[0].expireAfterDays
        expireAfterDays (10) must be greater than archiveAfterDays (20).
        14 |         expireAfterDays: 10
           |                          ^
        found: 10 · allowed: > 20
        hint: set expireAfterDays above 20, or drop the tiering it would cut short."
    `);
  });

  it("rejects sagemaker scale to zero", () => {
    expect(render("sagemaker-scale-to-zero")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/sagemaker-scale-to-zero.yaml:17:29 error MLP_SAGEMAKER_MIN_ZERO spec.serving.endpoints[0].autoscaling.min
        SageMaker real-time endpoints can't scale to zero with the AWS provider mlplat uses.
        17 |         autoscaling: { min: 0, max: 4 }
           |                             ^
        found: 0 · allowed: >= 1
        hint: set autoscaling.min to 1 or more, or set \`runtime: kubernetes\` to serve it on a GPU node pool of the cluster instead (pools scale from zero)."
    `);
  });

  it("rejects state backend typo", () => {
    expect(render("state-backend-typo")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/state-backend-typo.yaml:11:14 error MLP_INVALID_VALUE spec.state.backend
        not an allowed backend.
        11 |     backend: s4
           |              ^
        found: "s4" · allowed: local | s3 | gcs | azurerm | hcp
        hint: did you mean \`s3\`?"
    `);
  });

  it("rejects unknown environment key", () => {
    expect(render("unknown-environment-key", "dev")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-environment-key.yaml:12:5 error MLP_UNKNOWN_KEY environments.dev.sepc
        unknown key \`sepc\` (did you mean \`spec\`?).
        12 |     sepc:
           |     ^
        found: sepc · allowed: spec, metadata
        hint: rename \`sepc\` to \`spec\`."
    `);
  });

  it("rejects unknown key nested", () => {
    expect(render("unknown-key-nested")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-key-nested.yaml:13:9 error MLP_UNKNOWN_KEY spec.cluster.nodePools[0].gpus
        unknown key \`gpus\` (did you mean \`gpu\`?).
        13 |         gpus: { type: L4, count: 1 }
           |         ^
        found: gpus · allowed: name, gpu, instanceType, spot, min, max, diskGiB, labels, taints, zones
        hint: rename \`gpus\` to \`gpu\`."
    `);
  });

  it("rejects unknown key typo", () => {
    expect(render("unknown-key-typo")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-key-typo.yaml:6:1 error MLP_REQUIRED spec.region
        \`region\` is required.
        6 | spec:
          | ^
        allowed: a string
        hint: add \`region\`.

      test/fixtures/invalid/unknown-key-typo.yaml:8:3 error MLP_UNKNOWN_KEY spec.regoin
        unknown key \`regoin\` (did you mean \`region\`?).
        8 |   regoin: us-east-1
          |   ^
        found: regoin · allowed: cloud, region, aws, gcp, azure, network, storage, registry, cluster, serving, observability, workspaces, tracking, pipelines, budget, state
        hint: rename \`regoin\` to \`region\`."
    `);
  });

  it("rejects unknown region", () => {
    expect(render("unknown-region")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/unknown-region.yaml:8:11 error MLP_REGION_UNKNOWN spec.region
        us-east-7 is not an aws region.
        8 |   region: us-east-7
          |           ^
        found: us-east-7 · allowed: af-south-1, ap-east-1, ap-east-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, … (\`mlplat catalog regions --cloud aws\`)
        hint: did you mean \`us-east-1\`?"
    `);
  });

  it("rejects wrong api version", () => {
    expect(render("wrong-api-version")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/wrong-api-version.yaml:1:13 error MLP_INVALID_VALUE apiVersion
        must be mlplat/v1.
        1 | apiVersion: mlplat/v2
          |             ^
        found: "mlplat/v2" · allowed: mlplat/v1
        hint: did you mean \`mlplat/v1\`?"
    `);
  });

  it("rejects wrong types", () => {
    expect(render("wrong-types")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/wrong-types.yaml:11:14 error MLP_WRONG_TYPE spec.cluster.version
        expected a string, found a number (1.3).
        11 |     version: 1.30
           |              ^
        found: 1.3 · allowed: a string
        hint: quote the value so YAML reads it as text.

      test/fixtures/invalid/wrong-types.yaml:15:14 error MLP_WRONG_TYPE spec.cluster.nodePools[0].max
        expected a number, found a string ("four").
        15 |         max: four
           |              ^
        found: "four" · allowed: a number
        hint: write a number without quotes."
    `);
  });

  it("rejects yaml syntax", () => {
    expect(render("yaml-syntax")).toMatchInlineSnapshot(`
      "test/fixtures/invalid/yaml-syntax.yaml:7:10 error MLP_YAML_SYNTAX (document)
        invalid YAML: Nested mappings are not allowed in compact mappings
        7 |   cloud: aws
          |          ^
        hint: check indentation, quoting and the \`key: value\` form near the caret."
    `);
  });

});
