import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * Terraform's plugin cache is not safe for concurrent first installs: two test files running
 * `terraform init` at once both try to populate it and one fails ("still not detected in
 * …/mlplat-plugin-cache; this is a bug in Terraform"). One init here, before any test file
 * starts, fills the cache; the tests' inits then only link from it.
 */
export default function setup(): void {
  const tf = terraformEnv();
  if (!tf.available) return;
  const dir = mkdtempSync(join(tmpdir(), "mlplat-tf-warm-"));
  try {
    writeFileSync(
      join(dir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } } } }),
    );
    execFileSync(process.env.MLPLAT_TERRAFORM ?? "terraform", ["init", "-input=false", "-backend=false", "-no-color"], {
      cwd: dir,
      env: tf.env,
      stdio: "ignore",
      timeout: 300_000,
    });
  } catch (e) {
    process.stderr.write(`warning: warming terraform's plugin cache failed (${(e as Error).message.split("\n")[0]}); terraform tests may race on it.\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
