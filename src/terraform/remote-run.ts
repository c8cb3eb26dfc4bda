import { stripAnsi } from "./failure.js";

/**
 * What mlplat reads of a remote run's output (HCP Terraform / Terraform Enterprise). Terraform's
 * cloud backend prints, when a run starts (internal/cloud/backend_plan.go, `runHeader`):
 *
 *   To view this run in a browser, visit:
 *   https://<hostname>/app/<organization>/<workspace>/runs/<run-id>
 *
 * Only that URL is taken; the rest of the output is the engine's own rendering and goes to the
 * stack's terraform.log. The plan's content comes from its JSON (`terraform show -json`).
 */
const RUN_URL_SOURCE = String.raw`https:\/\/[A-Za-z0-9.:-]+\/app\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/runs\/run-[A-Za-z0-9]+`;
const RUN_URL = new RegExp(RUN_URL_SOURCE, "g");
const WHOLE_RUN_URL = new RegExp(`^${RUN_URL_SOURCE}$`);

/** Whether `url` is exactly a run page of the form terraform prints (nothing before or after it). */
export function isRunUrl(url: string): boolean {
  return WHOLE_RUN_URL.test(url);
}

/** The last run URL in a remote command's output (an apply of a saved plan prints its run again). */
export function remoteRunUrl(output: string): string | undefined {
  const all = stripAnsi(output).match(RUN_URL);
  return all?.[all.length - 1];
}

/**
 * The environment variable terraform reads the API token for `hostname` from
 * (https://developer.hashicorp.com/terraform/cli/config/config-file#environment-variable-credentials):
 * `TF_TOKEN_` + the host with dots as `_` and dashes as `__`.
 */
export function tokenVariable(hostname: string): string {
  return `TF_TOKEN_${hostname.replace(/-/g, "__").replace(/\./g, "_")}`;
}
