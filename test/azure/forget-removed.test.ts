import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Testing, TerraformStack } from "cdktf";
import { ForgetRemoved } from "../../stacks/azure/forget-removed.js";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * The `removed { lifecycle { destroy = false } }` block that lets v0.1 Azure platforms drop their
 * `azurerm_key_vault_key` resources without destroying the keys, run through the real terraform
 * binary with a built-in `terraform_data` standing in for the key (no azurerm binary here): on a
 * v0.1 state the plan forgets the object and destroys nothing; on a fresh state it is a no-op.
 */
const tf = terraformEnv();
const work = mkdtempSync(join(tmpdir(), "mlplat-forget-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function removedJson(from: string): Record<string, unknown> {
  const stack = new TerraformStack(Testing.app(), "s");
  new ForgetRemoved(stack, "v01-forget", from);
  return { removed: JSON.parse(Testing.synth(stack)).removed };
}

function terraform(dir: string, ...args: string[]): string {
  const r = spawnSync(process.env.MLPLAT_TERRAFORM ?? "terraform", args, { cwd: dir, env: tf.env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`terraform ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function plannedActions(dir: string): Array<[string, string[]]> {
  terraform(dir, "plan", "-input=false", "-out=plan.bin");
  const plan = JSON.parse(terraform(dir, "show", "-json", "plan.bin"));
  return (plan.resource_changes ?? []).map((rc: { address: string; change: { actions: string[] } }) => [rc.address, rc.change.actions]);
}

describe.skipIf(!tf.available)("ForgetRemoved on the real terraform binary", () => {
  it("writes the block terraform expects", () => {
    expect(removedJson("azurerm_key_vault_key.kms_storage-key")).toEqual({
      removed: [{ from: "azurerm_key_vault_key.kms_storage-key", lifecycle: { destroy: false } }],
    });
  });

  it("forgets an object a previous version created, planning no destroy", () => {
    const dir = join(work, "upgrade");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify({ resource: { terraform_data: { "kms_storage-key": { input: "key" } } } }));
    terraform(dir, "init", "-input=false");
    terraform(dir, "apply", "-input=false", "-auto-approve");
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(removedJson("terraform_data.kms_storage-key")));
    expect(plannedActions(dir)).toEqual([["terraform_data.kms_storage-key", ["forget"]]]);
  });

  it("does nothing on a fresh state", () => {
    const dir = join(work, "fresh");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "main.tf.json"), JSON.stringify(removedJson("terraform_data.kms_storage-key")));
    terraform(dir, "init", "-input=false");
    expect(plannedActions(dir)).toEqual([]);
  });
});
