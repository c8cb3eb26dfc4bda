import { describe, expect, it } from "vitest";

/**
 * Zod is loaded by a command's action, never by registering the commands: every run (`--help`
 * included) imports every command module. zod sets `globalThis.__zod_globalConfig` when its
 * core loads, which tells whether anything imported it (each test file runs in its own process).
 */
const zodLoaded = () => (globalThis as { __zod_globalConfig?: unknown }).__zod_globalConfig !== undefined;

describe("command option schemas", () => {
  it("are not built when the commands are registered, so start-up loads no zod", async () => {
    const { buildProgram } = await import("../../src/cli/program.js");
    const program = buildProgram();
    expect(program.commands.map((c) => c.name())).toEqual(expect.arrayContaining(["plan", "deploy", "destroy", "output", "cost", "catalog", "init", "graph"]));
    expect(zodLoaded()).toBe(false);

    // The schemas, built in the actions with zod imported then, parse as before.
    const { z } = await import("zod");
    expect(zodLoaded()).toBe(true);
    const { planOptions } = await import("../../src/cli/commands/plan.js");
    expect(planOptions(z).parse({ env: "prod" })).toEqual({ env: "prod", json: false, verbose: false, refresh: true, detailedExitcode: false, offline: false });
    const { deployOptions } = await import("../../src/cli/commands/deploy.js");
    expect(deployOptions(z).parse({})).toMatchObject({ autoApprove: false, allowDataLoss: false, refresh: true, offline: false });
    expect(() => planOptions(z).parse({ env: "" })).toThrow();
  });
});
