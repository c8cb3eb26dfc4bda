/**
 * `mlplat doctor [file]`: terraform, kubectl, the provider source, cloud credentials and (with a
 * blueprint) its state backend, one line each; exit 1 when something needed is missing.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import type { Command } from "commander";
import type { Check, DoctorProbe, ProgramResult } from "../../doctor/checks.js";
import { MlplatError } from "../../util/errors.js";
import { printJson, say, style } from "../output.js";

export function register(program: Command): void {
  program
    .command("doctor")
    .description("Check this machine: terraform, kubectl, providers, cloud credentials and, with a blueprint, its state backend.")
    .argument("[file]", "blueprint YAML file (checks its cloud and state backend only)")
    .option("-e, --env <name>", "environment overlay to apply")
    .option("--offline", "no network or cloud call: credentials are judged by their presence")
    .option("--json", "print the checks as JSON on stdout")
    .addHelpText("after", "\nExamples:\n  $ mlplat doctor                       every cloud, credentials verified with each cloud's CLI\n  $ mlplat doctor platform.yaml --offline\n\nExit 1 when something needed is missing (a fail line); warnings never fail.")
    .action(async (file: string | undefined, o: { env?: string; offline?: boolean; json?: boolean }) => {
      const { runChecks } = await import("../../doctor/checks.js");
      let blueprint;
      if (file) {
        const { loadBlueprintOrThrow } = await import("../../blueprint/load.js");
        const { model } = loadBlueprintOrThrow(file, { env: o.env });
        const state = model.state as { backend: string; bucket?: string; storageAccount?: string } | undefined;
        const hcp = model.state.backend === "hcp" ? { hostname: model.state.hostname, organization: model.state.organization, workspace: model.state.workspace.name } : undefined;
        blueprint = { cloud: model.cloud, hasCluster: model.cluster !== undefined, backend: state?.backend ?? "local", bucket: state?.bucket ?? state?.storageAccount, ...(hcp ? { hcp } : {}) };
      }
      const checks = await runChecks(processProbe(), { offline: o.offline ?? false, blueprint });
      if (o.json) printJson({ checks });
      else for (const c of checks) say(line(c));
      const failed = checks.filter((c) => c.status === "fail");
      if (failed.length) throw new MlplatError("MLP_DOCTOR_FAILED", `${failed.length} check${failed.length === 1 ? "" : "s"} failed: ${failed.map((c) => c.name).join(", ")}.`, { hint: "fix the lines marked fail above, then run mlplat doctor again." });
    });
}

function line(c: Check): string {
  const mark = c.status === "ok" ? style.green("ok  ") : c.status === "warn" ? style.yellow("warn") : style.red("fail");
  return `${mark} ${c.name.padEnd(18)} ${c.detail}${c.fix ? style.dim(`  → ${c.fix}`) : ""}`;
}

function processProbe(): DoctorProbe {
  return {
    env: process.env,
    nodeVersion: process.version,
    home: homedir(),
    run: (program, args) =>
      new Promise<ProgramResult>((resolve) => {
        const child = spawn(program, [...args], { stdio: ["ignore", "pipe", "pipe"], timeout: 20_000 });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d));
        child.stderr.on("data", (d: Buffer) => (stderr += d));
        child.on("error", (e) => resolve({ code: null, stdout, stderr: e.message }));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      }),
    exists: (p) => existsSync(p),
    read: (p) => {
      try {
        return readFileSync(p, "utf8");
      } catch {
        return undefined;
      }
    },
    reachable: async (url) => {
      try {
        const r = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(4000) });
        return r.status < 500;
      } catch {
        return false;
      }
    },
  };
}
