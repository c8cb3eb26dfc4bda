import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPlan } from "../../src/engine/plan.js";
import { harness } from "./fakes.js";

/**
 * A repeated plan skips `terraform init` when nothing init reads changed (the stack's terraform
 * block, the lock file, the CLI config, offline or not), and says so; anything else runs it.
 */
const withBackend = (path: string) => ({ terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } }, backend: { local: { path } } }, resource: {} });

function installing() {
  const configs: Record<string, unknown> = { "p-default": withBackend("a.tfstate") };
  const h = harness(configs);
  const init = h.runner.init.bind(h.runner);
  h.runner.init = async (dir, o) => {
    await init(dir, o);
    mkdirSync(join(dir, ".terraform", "providers"), { recursive: true });
  };
  const inits = () => h.runner.calls.filter((c) => c.method === "init").length;
  const plan = (offline = true) => runPlan("bp.yaml", { offline }, h.deps);
  return { h, configs, inits, plan, dir: join(h.synth.outDir, "stacks", "p-default") };
}

describe("terraform init only when its inputs changed", () => {
  it("skips init on the second plan of an unchanged stack, and the progress line says why", async () => {
    const t = installing();
    await t.plan();
    await t.plan();
    expect(t.inits()).toBe(1);
    expect(t.h.steps.filter((s) => s.startsWith("init"))).toEqual(["init p-default", "init (skipped: providers, backend and lock file unchanged) p-default"]);
  });

  it("runs init again when the backend, the lock file, the CLI config or offline-ness changes", async () => {
    const t = installing();
    await t.plan();
    t.configs["p-default"] = withBackend("b.tfstate");
    await t.plan();
    expect(t.inits()).toBe(2);
    writeFileSync(join(t.dir, ".terraform.lock.hcl"), 'provider "registry.terraform.io/hashicorp/aws" { version = "5.100.0" }\n');
    await t.plan();
    expect(t.inits()).toBe(3);
    await t.plan(false);
    expect(t.inits()).toBe(4);
    const cli = join(t.h.synth.outDir, "cli.tfrc");
    writeFileSync(cli, "plugin_cache_dir = \"/tmp/x\"\n");
    const before = process.env.TF_CLI_CONFIG_FILE;
    process.env.TF_CLI_CONFIG_FILE = cli;
    try {
      await t.plan(false);
      expect(t.inits()).toBe(5);
      await t.plan(false);
      expect(t.inits()).toBe(5);
    } finally {
      if (before === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = before;
    }
  });

  it("runs init when the providers folder is gone, even with the same stamp", async () => {
    const t = installing();
    await t.plan();
    const { rmSync } = await import("node:fs");
    rmSync(join(t.dir, ".terraform", "providers"), { recursive: true });
    await t.plan();
    expect(t.inits()).toBe(2);
  });
});
