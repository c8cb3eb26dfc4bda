import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { llmServing } from "../kubectl/engine-harness.js";

/** The real synth (cdktf) with `deferEndpoints`: what deploy's image phase plans on a first deploy. */
describe("synthesizeBlueprint with deferEndpoints", () => {
  it("leaves the deferred endpoints' resources and manifests out, and keeps everything else", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mlplat-defer-"));
    const file = join(dir, "platform.yaml");
    writeFileSync(file, llmServing());
    const full = await synthesizeBlueprint(file, { offline: true, outDir: join(dir, "full") });
    const deferred = await synthesizeBlueprint(file, { offline: true, outDir: join(dir, "deferred"), deferEndpoints: ["chat", "embed"] });
    const resources = (r: typeof full) => {
      const json = JSON.parse(readFileSync(join(r.stacks[0]!.dir, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, unknown>> };
      return Object.entries(json.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
    };
    const before = resources(full);
    const after = resources(deferred);
    expect(before).toContain("aws_sagemaker_endpoint.serving_embed");
    expect(before).toContain("aws_iam_role.serving_chat");
    expect(after.filter((a) => /\.serving_(embed|chat)(_|$)/.test(a))).toEqual([]);
    // Everything else (network, cluster, registries, buckets) is planned as before.
    expect(after).toEqual(before.filter((a) => !/\.(serving_(embed|chat)|observability_endpoint-embed)(_|$)/.test(a)));
    expect(existsSync(join(full.stacks[0]!.dir, "k8s", "chat.yaml"))).toBe(true);
    expect(existsSync(join(deferred.stacks[0]!.dir, "k8s", "chat.yaml"))).toBe(false);
    expect(existsSync(join(deferred.stacks[0]!.dir, "k8s", "platform", "cluster-autoscaler.yaml"))).toBe(true);
    expect(deferred.model.endpoints).toEqual([]);
  }, 60_000);
});
