import { App, LocalBackend, TerraformResource } from "cdktf";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MlplatStack } from "../../stacks/common/mlplat-stack.js";

/**
 * MlplatStack.prepareStack (issue 19): alone in its app, a stack skips cdktf's preparing resolve
 * (it only finds cross-stack references), so every element is rendered once, not twice; with a
 * second stack, cdktf's pass runs and cross-stack references still work.
 */
function resource(stack: MlplatStack, id: string, config: Record<string, unknown> = {}) {
  const r = new TerraformResource(stack, id, { terraformResourceType: "null_resource" });
  for (const [k, v] of Object.entries(config)) r.addOverride(k, v);
  let rendered = 0;
  const toTerraform = r.toTerraform.bind(r);
  r.toTerraform = () => {
    rendered++;
    return toTerraform();
  };
  return { r, rendered: () => rendered };
}

describe("MlplatStack.prepareStack", () => {
  it("alone in the app: renders each element once and still gets its local backend", () => {
    const outdir = mkdtempSync(join(tmpdir(), "mlplat-prepare-"));
    const app = new App({ outdir, stackTraces: false });
    const stack = new MlplatStack(app, "only");
    const a = resource(stack, "a", { triggers: { x: "1" } });
    const b = resource(stack, "b", { triggers: { x: "${null_resource.a.id}" } });
    app.synth();
    expect([a.rendered(), b.rendered()]).toEqual([1, 1]); // cdktf's own prepareStack renders each twice
    const json = JSON.parse(readFileSync(join(outdir, "stacks", "only", "cdk.tf.json"), "utf8"));
    expect(json.terraform.backend.local.path).toMatch(/terraform\.only\.tfstate$/); // ensureBackendExists still ran
    expect(json.resource.null_resource.b.triggers.x).toBe("${null_resource.a.id}");
  });

  it("with a second stack: cdktf's pass runs and a cross-stack reference becomes an output and remote state", () => {
    const outdir = mkdtempSync(join(tmpdir(), "mlplat-prepare-"));
    const app = new App({ outdir, stackTraces: false });
    const first = new MlplatStack(app, "first");
    new LocalBackend(first, { path: "first.tfstate" });
    const second = new MlplatStack(app, "second");
    const a = resource(first, "a");
    const b = new TerraformResource(second, "b", { terraformResourceType: "null_resource" });
    b.addOverride("triggers", { x: a.r.getStringAttribute("id") });
    app.synth();
    expect(a.rendered()).toBe(2); // prepared, then synthesized
    const firstJson = JSON.parse(readFileSync(join(outdir, "stacks", "first", "cdk.tf.json"), "utf8"));
    const secondJson = JSON.parse(readFileSync(join(outdir, "stacks", "second", "cdk.tf.json"), "utf8"));
    expect(Object.keys(firstJson.output ?? {})).toHaveLength(1);
    expect(Object.keys(secondJson.data?.terraform_remote_state ?? {})).toHaveLength(1);
    expect(secondJson.resource.null_resource.b.triggers.x).toMatch(/^\$\{data\.terraform_remote_state\./);
  });
});
