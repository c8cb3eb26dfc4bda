import { describe, expect, it } from "vitest";
import { summarizePlan } from "../../src/engine/summary.js";
import { parsePlanStream, sortPlannedChanges } from "../../src/terraform/plan-stream.js";
import { MlplatError } from "../../src/util/errors.js";
import { planStream } from "./fakes.js";

/**
 * Lines of a real `terraform plan -json` (terraform 1.11.4, terraform_data resources: one
 * updated, two replaced, one created, one deleted; an output changed, one unchanged), as it
 * printed them: planned changes in the order the walk finished them.
 */
const REAL = [
  `{"@level":"info","@message":"Terraform 1.11.4","@module":"terraform.ui","@timestamp":"2026-11-25T16:01:02.114Z","terraform":"1.11.4","type":"version","ui":"1.2"}`,
  `{"@level":"info","@message":"terraform_data.e: Refreshing state... [id=c95b4312]","@module":"terraform.ui","@timestamp":"2026-11-25T16:01:02.201Z","hook":{"resource":{"addr":"terraform_data.e","module":"","resource":"terraform_data.e","implied_provider":"terraform","resource_type":"terraform_data","resource_name":"e","resource_key":null},"id_key":"id","id_value":"c95b4312"},"type":"refresh_start"}`,
  `{"@level":"info","@message":"terraform_data.d: Plan to create","@module":"terraform.ui","@timestamp":"2026-11-25T16:01:02.262Z","change":{"resource":{"addr":"terraform_data.d","module":"","resource":"terraform_data.d","implied_provider":"terraform","resource_type":"terraform_data","resource_name":"d","resource_key":null},"action":"create"},"type":"planned_change"}`,
  `{"@level":"info","@message":"terraform_data.e: Plan to replace","@module":"terraform.ui","@timestamp":"2026-11-25T16:01:02.262Z","change":{"resource":{"addr":"terraform_data.e","module":"","resource":"terraform_data.e","implied_provider":"terraform","resource_type":"terraform_data","resource_name":"e","resource_key":null},"action":"replace","reason":"cannot_update"},"type":"planned_change"}`,
  `{"@level":"info","@message":"terraform_data.c: Plan to replace","@module":"terraform.ui","@timestamp":"2026-11-25T16:01:02.262Z","change":{"resource":{"addr":"terraform_data.c","module":"","resource":"terraform_data.c","implied_provider":"terraform","resource_type":"terraform_data","resource_name":"c","resource_key":null},"action":"replace","reason":"cannot_update"},"type":"planned_change"}`,
  `{"@level":"info","@message":"terraform_data.a: Plan to update","@module":"terraform.ui","@timestamp":"2026-11-25T16:01:02.262Z","change":{"resource":{"addr":"terraform_data.a","module":"","resource":"terraform_data.a","implied_provider":"terraform","resource_type":"terraform_data","resource_name":"a","resource_key":null},"action":"update"},"type":"planned_change"}`,
  `{"@level":"info","@message":"terraform_data.b: Plan to delete","@module":"terraform.ui","@timestamp":"2026-11-25T16:01:02.262Z","change":{"resource":{"addr":"terraform_data.b","module":"","resource":"terraform_data.b","implied_provider":"terraform","resource_type":"terraform_data","resource_name":"b","resource_key":null},"action":"delete","reason":"delete_because_no_resource_config"},"type":"planned_change"}`,
  `{"@level":"info","@message":"Plan: 3 to add, 1 to change, 3 to destroy.","@module":"terraform.ui","@timestamp":"2026-11-25T16:01:02.263Z","changes":{"add":3,"change":1,"import":0,"remove":3,"operation":"plan"},"type":"change_summary"}`,
  `{"@level":"info","@message":"Outputs: 2","@module":"terraform.ui","@timestamp":"2026-11-25T16:01:02.263Z","outputs":{"o":{"sensitive":false,"action":"update"},"p":{"sensitive":false,"action":"noop"}},"type":"outputs"}`,
].map((l) => JSON.parse(l) as unknown);

const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as MlplatError;
  }
  throw new Error("did not throw");
};

describe("parsePlanStream", () => {
  it("reads every planned change and output of a real stream, ignoring progress messages", () => {
    const plan = parsePlanStream(REAL, "demo/mlplat.tfplan");
    expect(plan.resources.map((r) => [r.address, r.mode, r.type, r.name, r.action])).toEqual([
      ["terraform_data.d", "managed", "terraform_data", "d", "create"],
      ["terraform_data.e", "managed", "terraform_data", "e", "replace"],
      ["terraform_data.c", "managed", "terraform_data", "c", "replace"],
      ["terraform_data.a", "managed", "terraform_data", "a", "update"],
      ["terraform_data.b", "managed", "terraform_data", "b", "delete"],
    ]);
    expect(plan.outputs).toEqual({ o: "update", p: "noop" });
    expect(summarizePlan(plan)).toMatchObject({ add: 1, change: 1, destroy: 1, replace: 2, changes: true });
  });

  it("tells data sources from managed resources by their address", () => {
    const plan = parsePlanStream(
      planStream([
        ["data.aws_iam_policy_document.kms_policy", "read"],
        ["aws_vpc.network", "create"],
      ]),
      "x",
    );
    expect(plan.resources.map((r) => [r.mode, r.type, r.name])).toEqual([
      ["data", "aws_iam_policy_document", "kms_policy"],
      ["managed", "aws_vpc", "network"],
    ]);
  });

  it("refuses a stream that ends before its change summary, rather than report fewer changes", () => {
    const cut = REAL.slice(0, 5);
    const err = errorOf(() => parsePlanStream(cut, "demo/mlplat.tfplan"));
    expect(err).toMatchObject({ code: "MLP_TERRAFORM_JSON", exitCode: 3 });
    expect(err.details).toContain("no change_summary");
  });

  it("refuses a stream whose summary counts more destructions than its planned changes list", () => {
    const missing = REAL.filter((m) => !JSON.stringify(m).includes('"addr":"terraform_data.b"'));
    const err = errorOf(() => parsePlanStream(missing, "demo/mlplat.tfplan"));
    expect(err).toMatchObject({ code: "MLP_TERRAFORM_JSON", exitCode: 3 });
    expect(err.details).toContain("counts 3 to destroy, but only 2 planned deletions or replacements are listed");
  });

  it("refuses another major version of the machine-readable UI and an action it does not know", () => {
    const v2 = [{ type: "version", ui: "2.0" }, ...REAL.slice(1)];
    expect(errorOf(() => parsePlanStream(v2, "x")).details).toContain("machine-readable UI version 2.0");
    const odd = planStream([["aws_s3_bucket.storage_raw", "obliterate"]]);
    expect(errorOf(() => parsePlanStream(odd, "x"))).toMatchObject({ code: "MLP_TERRAFORM_JSON" });
  });
});

describe("sortPlannedChanges", () => {
  it("puts planned changes in the order terraform show -json lists them: type, name, then numeric keys before string keys", () => {
    const change = (addr: string, type: string, name: string, key: string | number | null = null) => ({
      type: "planned_change",
      change: { resource: { addr, module: "", resource: addr, resource_type: type, resource_name: name, resource_key: key }, action: "create" },
    });
    const sorted = sortPlannedChanges([
      change("aws_s3_bucket_policy.storage_a", "aws_s3_bucket_policy", "storage_a"),
      { type: "change_summary", changes: { add: 7, change: 0, remove: 0 } },
      change("aws_s3_bucket.storage_a-b", "aws_s3_bucket", "storage_a-b"),
      change("aws_s3_bucket.storage_a", "aws_s3_bucket", "storage_a"),
      change("aws_subnet.network[10]", "aws_subnet", "network", 10),
      change('aws_subnet.network["x"]', "aws_subnet", "network", "x"),
      change("aws_subnet.network[2]", "aws_subnet", "network", 2),
      change("data.aws_region.current", "aws_region", "current"),
    ]) as { type: string; change?: { resource: { addr: string } } }[];
    expect(sorted.map((m) => m.change?.resource.addr ?? m.type)).toEqual([
      "change_summary",
      "data.aws_region.current",
      "aws_s3_bucket.storage_a",
      "aws_s3_bucket.storage_a-b",
      "aws_s3_bucket_policy.storage_a",
      "aws_subnet.network[2]",
      "aws_subnet.network[10]",
      'aws_subnet.network["x"]',
    ]);
  });

  it("gives the summary of a real stream the data-loss order of terraform show -json", () => {
    const plan = parsePlanStream(sortPlannedChanges(REAL), "x");
    expect(plan.resources.map((r) => r.address)).toEqual(["terraform_data.a", "terraform_data.b", "terraform_data.c", "terraform_data.d", "terraform_data.e"]);
  });
});
