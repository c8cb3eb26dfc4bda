import { describe, expect, it } from "vitest";
import { kindOf, summarizePlan } from "../../src/engine/summary.js";
import { parseAddress, sectionOf } from "../../src/terraform/addresses.js";
import { parsePlanStream } from "../../src/terraform/plan-stream.js";
import { renderSummary } from "../../src/engine/render.js";
import { planStream } from "./fakes.js";

describe("sectionOf", () => {
  it("maps a resource name back to its blueprint section and item", () => {
    expect(sectionOf("aws_s3_bucket.storage_datasets")).toEqual({ section: "storage", item: "datasets" });
    expect(sectionOf("aws_kms_key.storage_raw-data_Key")).toEqual({ section: "storage", item: "raw-data" });
    expect(sectionOf("aws_eks_cluster.cluster")).toEqual({ section: "cluster" });
  });

  it("ignores instance indexes, module paths and the data prefix", () => {
    expect(sectionOf('aws_s3_bucket.storage_models["a"]')).toEqual({ section: "storage", item: "models" });
    expect(sectionOf("module.m[0].aws_ecr_repository.registry_serving")).toEqual({ section: "registry", item: "serving" });
    expect(parseAddress("data.aws_iam_policy_document.kms_policy")).toMatchObject({ mode: "data", type: "aws_iam_policy_document", name: "kms_policy" });
  });

  it("puts names without a section, and unparseable addresses, under other", () => {
    expect(sectionOf("aws_s3_bucket._0abc")).toEqual({ section: "other" });
    expect(sectionOf("not an address")).toEqual({ section: "other" });
  });
});

describe("kindOf", () => {
  it("reads terraform's plan actions as add, change, destroy, replace or none", () => {
    expect(kindOf("create")).toBe("add");
    expect(kindOf("update")).toBe("change");
    expect(kindOf("delete")).toBe("destroy");
    // Both orders (create before destroy, destroy then create) are one action in the stream.
    expect(kindOf("replace")).toBe("replace");
    expect(kindOf("noop")).toBe("none");
    expect(kindOf("read")).toBe("none");
    expect(kindOf("remove")).toBe("none");
    expect(kindOf("move")).toBe("none");
    expect(kindOf("import")).toBe("none");
  });
});

describe("summarizePlan", () => {
  const plan = parsePlanStream(
    planStream([
      ["aws_ecr_repository.registry_serving", "update"],
      ["aws_vpc.network", "create"],
      ["aws_subnet.network_private-a", "create"],
      ["aws_s3_bucket.storage_datasets", "noop"],
      ["aws_s3_bucket.storage_raw", "delete"],
      ["aws_kms_key.storage_raw_Key", "replace"],
      ["aws_s3_bucket_policy.storage_raw_Policy", "delete"],
      ["data.aws_iam_policy_document.kms_policy", "read"],
    ]),
    "test",
  );
  const s = summarizePlan(plan);

  it("counts add, change, destroy and replace, leaving out no-ops and data reads", () => {
    expect({ add: s.add, change: s.change, destroy: s.destroy, replace: s.replace, changes: s.changes }).toEqual({
      add: 2,
      change: 1,
      destroy: 2,
      replace: 1,
      changes: true,
    });
  });

  it("groups the counts by blueprint section, in blueprint order", () => {
    expect(Object.keys(s.sections)).toEqual(["network", "storage", "registry"]);
    expect(s.sections).toEqual({
      network: { add: 2, change: 0, destroy: 0, replace: 0 },
      storage: { add: 0, change: 0, destroy: 2, replace: 1 },
      registry: { add: 0, change: 1, destroy: 0, replace: 0 },
    });
  });

  it("lists data-bearing resources that are destroyed or replaced, and nothing else", () => {
    expect(s.dataLoss).toEqual([
      { address: "aws_s3_bucket.storage_raw", action: "delete", section: "storage", name: "raw" },
      { address: "aws_kms_key.storage_raw_Key", action: "replace", section: "storage", name: "raw" },
    ]);
  });

  it("covers the data-bearing types of every cloud", () => {
    const s2 = summarizePlan(
      parsePlanStream(
        planStream([
          ["google_storage_bucket.storage_a", "delete"],
          ["google_kms_crypto_key.kms_a", "delete"],
          ["azurerm_storage_account.storage", "replace"],
          ["azurerm_container_registry.registry", "delete"],
          ["azurerm_machine_learning_workspace.registry_models", "delete"],
          ["aws_sagemaker_model_package_group.registry_models", "delete"],
          ["azurerm_kubernetes_cluster.cluster", "delete"],
        ]),
        "test",
      ),
    );
    expect(s2.dataLoss.map((d) => d.address)).toEqual([
      "google_storage_bucket.storage_a",
      "google_kms_crypto_key.kms_a",
      "azurerm_storage_account.storage",
      "azurerm_container_registry.registry",
      "azurerm_machine_learning_workspace.registry_models",
      "aws_sagemaker_model_package_group.registry_models",
    ]);
    expect(s2.dataLoss.find((d) => d.address === "azurerm_storage_account.storage")).toMatchObject({ action: "replace", name: "storage" });
  });

  it("covers the SageMaker workspaces domain (home EFS) and the MLflow server (experiment metadata), not the user profiles", () => {
    const s3 = summarizePlan(
      parsePlanStream(
        planStream([
          ["aws_sagemaker_domain.workspaces", "replace"],
          ["aws_sagemaker_user_profile.workspaces_bob", "replace"],
          ["aws_sagemaker_mlflow_tracking_server.tracking", "delete"],
        ]),
        "test",
      ),
    );
    expect(s3.dataLoss).toEqual([
      { address: "aws_sagemaker_domain.workspaces", action: "replace", section: "workspaces", name: "workspaces" },
      { address: "aws_sagemaker_mlflow_tracking_server.tracking", action: "delete", section: "tracking", name: "tracking" },
    ]);
  });

  it("treats an output-only change as a change, as terraform's detailed exit code does", () => {
    const s3 = summarizePlan(parsePlanStream(planStream([["aws_vpc.network", "noop"]], { vpc_id: "create" }), "test"));
    expect(s3).toMatchObject({ add: 0, change: 0, destroy: 0, replace: 0, changes: true });
    const s4 = summarizePlan(parsePlanStream(planStream([["aws_vpc.network", "noop"]], { vpc_id: "noop" }), "test"));
    expect(s4.changes).toBe(false);
  });

  it("renders a human summary with the section lines and the data-loss block", () => {
    expect(renderSummary("fraud-default", s)).toMatchInlineSnapshot(`
      "Stack fraud-default: 2 to add, 1 to change, 2 to destroy, 1 to replace
        storage   ±1 replace  -2 destroy
          ± aws_kms_key.storage_raw_Key  replace
          - aws_s3_bucket.storage_raw  destroy
          - aws_s3_bucket_policy.storage_raw_Policy  destroy
        network   +2 add
          + aws_subnet.network_private-a
          + aws_vpc.network
        registry  ~1 change
          ~ aws_ecr_repository.registry_serving

        WARNING: data-bearing resources would be destroyed or replaced:
          - aws_s3_bucket.storage_raw (storage "raw"): destroy
          - aws_kms_key.storage_raw_Key (storage "raw"): replace"
    `);
  });

  it("throws a terraform error when the plan JSON does not have the expected shape", () => {
    expect(() => parsePlanStream([{ type: "planned_change", change: "nope" }], "x/mlplat.tfplan")).toThrow(/plan JSON from x\/mlplat.tfplan has an unexpected shape/);
  });
});
