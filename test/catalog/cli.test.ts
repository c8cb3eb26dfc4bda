import { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { register } from "../../src/cli/commands/catalog.js";
import { MlplatError } from "../../src/util/errors.js";

let out = "";
beforeEach(() => {
  out = "";
  vi.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

async function run(...args: string[]): Promise<void> {
  const program = new Command("mlplat").exitOverride();
  program.configureOutput({ writeOut: (s) => (out += s), writeErr: () => {} });
  register(program);
  await program.parseAsync(["node", "mlplat", "catalog", ...args]);
}

describe("mlplat catalog gpus", () => {
  it("summarizes accelerators per cloud with their counts, fractional ones marked", async () => {
    await run("gpus");
    expect(out).toMatch(/^GPU\s+CLOUD\s+COUNTS\s+GPU MEM GiB\s+FROM \$\/GPU-h$/m);
    expect(out).toMatch(/^L4\s+aws\s+1, 4, 8, 0\.25\*\s+22\.35\s+0\.8048$/m);
    expect(out).toMatch(/^L4\s+gcp\s+1, 2, 4, 8\s+24\s+/m);
  });

  it("lists every row of one accelerator with prices, flagging suspicious ones", async () => {
    await run("gpus", "--gpu", "nvidia-a100-80gb");
    expect(out).toMatch(/^GPU\s+COUNT\s+CLOUD\s+INSTANCE TYPE\s+vCPUs\s+MEM GiB\s+GPU MEM GiB\s+\$\/h\s+SPOT \$\/h$/m);
    expect(out).toMatch(/^A100-80GB\s+8\s+aws\s+p4de\.24xlarge\s+96\s+1152\s+80\s+27\.4471\s+8\.6505$/m);
    expect(out).toMatch(/^A100-80GB\s+1\s+gcp\s+a2-ultragpu-1g !/m);
    expect(out).toMatch(/^! gcp a2-ultragpu-1g, gcp a2-ultragpu-2g, gcp a2-ultragpu-4g, gcp a2-ultragpu-8g: Suspicious:/m);
  });

  it("filters by cloud and region", async () => {
    await run("gpus", "--cloud", "aws", "--region", "eu-west-1", "--all");
    expect(out).toContain("g4dn.xlarge");
    expect(out).not.toContain("g6.xlarge"); // L4 is not in eu-west-1 on aws
    expect(out).not.toMatch(/\sgcp\s/);
  });

  it("prints JSON rows only with --json", async () => {
    await run("gpus", "--gpu", "L4", "--cloud", "gcp", "--json");
    const json = JSON.parse(out);
    expect(json.rows.map((r: { instanceType: string }) => r.instanceType)).toContain("g2-standard-4");
    expect(json.rows.every((r: { cloud: string; accelerator: string }) => r.cloud === "gcp" && r.accelerator === "L4")).toBe(true);
  });

  it("says where an accelerator is offered when the region has none", async () => {
    await run("gpus", "--gpu", "L4", "--cloud", "aws", "--region", "eu-west-1");
    expect(out).toMatch(/^No GPU instance types match L4 on aws in eu-west-1\.\nL4 on aws is offered in eu-west-2, eu-west-3, /);
  });

  it("rejects an unknown accelerator and an unknown region with did-you-mean", async () => {
    await expect(run("gpus", "--gpu", "A100-90GB")).rejects.toMatchObject({ code: "MLP_GPU_UNKNOWN", hint: "did you mean A100-40GB or A100-80GB?" });
    await expect(run("gpus", "--region", "us-est-1")).rejects.toBeInstanceOf(MlplatError);
    await expect(run("gpus", "--region", "us-est-1")).rejects.toMatchObject({ hint: expect.stringContaining("us-east-1") });
  });

  it("rejects an unknown --cloud through commander's choices", async () => {
    await expect(run("gpus", "--cloud", "oracle")).rejects.toMatchObject({ code: "commander.invalidArgument" });
  });
});

describe("mlplat catalog regions and kubernetes", () => {
  it("lists a cloud's regions with its serverless GPU regions", async () => {
    await run("regions", "--cloud", "gcp", "--json");
    const json = JSON.parse(out);
    expect(json.regions.gcp).toContain("us-central1");
    expect(json.cloudRunGpuRegions).toContain("europe-west4");
    expect(json.containerAppsGpuProfiles).toBeUndefined();
  });

  it("shows versions with their status on a given day", async () => {
    await run("kubernetes", "--cloud", "aws", "--today", "2026-11-25");
    expect(out).toMatch(/^aws \(EKS\)\s+1\.31\s+2025-11-26\s+2026-11-26\s+extended/m);
    expect(out).toMatch(/^aws \(EKS\)\s+1\.35\s+2027-03-27\s+2028-03-27\s+supported/m);
    expect(out).toMatch(/^aws \(EKS\)\s+1\.29\s+.*ended/m);
  });
});
