import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { terraformEnv } from "../helpers/terraform.js";

const run = promisify(execFile);

export interface TfResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs terraform in `cwd` with the tier's environment (mirror CLI config, stand-in credentials).
 * Asynchronous on purpose: a blocking spawn of a long plan starves vitest's worker RPC.
 * Throws with terraform's stderr unless `allowFailure`.
 */
export async function terraform(cwd: string, args: string[], allowFailure = false): Promise<TfResult> {
  try {
    const { stdout, stderr } = await run(process.env.MLPLAT_TERRAFORM ?? "terraform", args, {
      cwd,
      env: terraformEnv().env,
      encoding: "utf8",
      maxBuffer: 512 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stderr?: string; stdout?: string };
    if (allowFailure && typeof err.code === "number") return { code: err.code, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
    throw new Error(`terraform ${args.join(" ")} in ${cwd} failed (${err.code}):\n${err.stderr}\n${diagnostics(err.stdout ?? "")}`);
  }
}

/** The error diagnostics of a `-json` stream, for failure messages. */
export function diagnostics(jsonLines: string): string {
  return jsonLines
    .split("\n")
    .filter((l) => l.includes('"diagnostic"'))
    .map((l) => {
      try {
        const d = (JSON.parse(l) as { diagnostic?: { severity: string; summary: string; detail?: string; address?: string } }).diagnostic;
        return d && d.severity === "error" ? `${d.address ?? ""} ${d.summary}: ${d.detail ?? ""}` : "";
      } catch {
        return "";
      }
    })
    .filter(Boolean)
    .join("\n")
    .slice(0, 6000);
}
