import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";

/**
 * The terraform tier's environment: the real binary, and a CLI config that installs providers
 * only from this machine's filesystem mirror of hashicorp/aws (../shared/tools/terraform-mirror.sh).
 * CI's .ci/run exports TF_CLI_CONFIG_FILE already; a developer's shell may not, so we ask the
 * script ourselves. When either is missing the tier skips, and says so loudly.
 */
export interface TerraformEnv {
  readonly available: boolean;
  /** Why the tier is skipped. */
  readonly reason?: string;
  /** Environment for spawning terraform (TF_CLI_CONFIG_FILE, fake AWS credentials, no network). */
  readonly env: NodeJS.ProcessEnv;
}

let cached: TerraformEnv | undefined;

export function terraformEnv(): TerraformEnv {
  if (cached) return cached;
  const bin = process.env.MLPLAT_TERRAFORM ?? "terraform";
  const version = spawnSync(bin, ["version"], { encoding: "utf8" });
  if (version.status !== 0) return (cached = loud({ available: false, reason: `terraform binary not found (${bin})`, env: {} }));
  let cli = process.env.TF_CLI_CONFIG_FILE;
  if (!cli || !existsSync(cli) || !readFileSync(cli, "utf8").includes("filesystem_mirror")) {
    const script = fileURLToPath(new URL("../../../shared/tools/terraform-mirror.sh", import.meta.url));
    if (!existsSync(script)) return (cached = loud({ available: false, reason: `no provider mirror script at ${script}`, env: {} }));
    // The CLI config goes three folders deep so that its plugin cache (written beside it) is
    // beyond the script's `find -maxdepth 4` search: a cache found first would be taken for
    // the mirror. MIRROR_DIR names the real mirror when we can tell it apart from caches.
    const cfg = join(tmpdir(), "mlplat-test-tf", "cfg", "d3", "cli.tfrc");
    try {
      const out = execFileSync("bash", [script, cfg], { encoding: "utf8", env: { ...process.env, ...mirrorDirEnv() } });
      cli = out.trim().replace(/^export TF_CLI_CONFIG_FILE=/, "");
    } catch {
      return (cached = loud({ available: false, reason: "no filesystem mirror with hashicorp/aws on this machine", env: {} }));
    }
  }
  return (cached = {
    available: true,
    env: {
      ...process.env,
      TF_CLI_CONFIG_FILE: withCacheKeptByInit(cli),
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      AWS_ACCESS_KEY_ID: "AKIAMLPLATFAKE000000",
      AWS_SECRET_ACCESS_KEY: "mlplat-fake-secret-key-for-offline-plans",
      AWS_EC2_METADATA_DISABLED: "true",
    },
  });
}

/**
 * The tests' CLI config: the mirror's, plus `plugin_cache_may_break_dependency_lock_file`. Without
 * it, terraform (1.4+) re-installs a provider into the plugin cache at every `init` of a folder
 * with no lock file, which every freshly synthesized test stack is: it replaces the cache entry
 * while another test file's terraform runs the provider through it, which then fails with
 * "fork/exec .terraform/providers/…: no such file or directory" (seen once in CI, in
 * test/change-impact/aws-rollout.test.ts). With it, an init links the cached provider and
 * writes the lock file from it; the cache is filled once, by test/setup/terraform-cache.ts, from
 * the local mirror. Written beside the mirror's config, atomically (test workers race to it).
 */
function withCacheKeptByInit(cli: string): string {
  const text = readFileSync(cli, "utf8");
  if (/plugin_cache_may_break_dependency_lock_file/.test(text)) return cli;
  const derived = join(dirname(cli), "cli-tests.tfrc");
  const content = `${text.trimEnd()}\nplugin_cache_may_break_dependency_lock_file = true\n`;
  if (!existsSync(derived) || readFileSync(derived, "utf8") !== content) {
    const tmp = `${derived}.${process.pid}.tmp`;
    writeFileSync(tmp, content);
    renameSync(tmp, derived);
  }
  return derived;
}

function loud(e: TerraformEnv): TerraformEnv {
  process.stderr.write(`\n!!! TERRAFORM TIER SKIPPED: ${e.reason}. Plans against the real provider did NOT run.\n\n`);
  return e;
}

/** MIRROR_DIR for the mirror script: a registry.terraform.io folder with hashicorp/aws that is not a plugin cache. */
export function mirrorDirEnv(): { MIRROR_DIR?: string } {
  if (process.env.MIRROR_DIR) return { MIRROR_DIR: process.env.MIRROR_DIR };
  let found: string[] = [];
  try {
    found = execFileSync("find", ["/", "-maxdepth", "4", "-type", "d", "-name", "registry.terraform.io", "-not", "-path", "/proc/*", "-not", "-path", "/sys/*"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).split("\n");
  } catch (e) {
    found = String((e as { stdout?: string }).stdout ?? "").split("\n");
  }
  const mirror = found.find((d) => d && !/plugin-cache|\/\.terraform\//.test(d) && existsSync(join(d, "hashicorp", "aws")));
  return mirror ? { MIRROR_DIR: join(mirror, "..") } : {};
}
