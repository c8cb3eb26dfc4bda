import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBlueprint } from "../../src/blueprint/load.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { blueprint, write, type Doc } from "../codes/harness.js";
import { terraformEnv } from "../helpers/terraform.js";

/**
 * `spec.state.backend: hcp` (issue 15 item 2): the blueprint field, the model, and the `cloud`
 * block each cloud's stack carries; `--offline` swaps it for local state like every remote
 * backend; the real terraform accepts the block (it gets as far as asking the host).
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-hcp-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hcp = (extra: Doc = {}) => (s: Doc) => (s.state = { backend: "hcp", organization: "acme-ml", ...extra });

async function synthJson(doc: Doc, offline = false): Promise<any> {
  const file = write(doc);
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  const { stacks } = await synthesizeBlueprint(file, { outDir: join(out, "cdktf.out"), stateDir: join(out, "state"), offline });
  return { json: JSON.parse(readFileSync(join(stacks[0]!.dir, "cdk.tf.json"), "utf8")), dir: stacks[0]!.dir };
}

describe("spec.state.backend: hcp", () => {
  it("defaults: app.terraform.io, one workspace per stack (<name>-<env>), so environments never share state", () => {
    const r = loadBlueprint(write(blueprint("aws", hcp())));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.model!.state).toEqual({ backend: "hcp", organization: "acme-ml", hostname: "app.terraform.io", workspace: { name: "codes-default" } });
    const tagged = loadBlueprint(write(blueprint("gcp", hcp({ tags: ["mlplat", "prod"], project: "ML", hostname: "tfe.example.com" }))), { env: "default" });
    expect(tagged.model!.state).toEqual({ backend: "hcp", organization: "acme-ml", hostname: "tfe.example.com", workspace: { tags: ["mlplat", "prod"], name: "codes-default" }, project: "ML" });
  });

  it("refuses workspace and tags together, a hostname with a scheme, an organization with spaces: located, with the fix", () => {
    const both = loadBlueprint(write(blueprint("aws", hcp({ workspace: "ml", tags: ["a"] })))).diagnostics.filter((d) => d.severity === "error");
    expect(both.map((d) => [d.code, d.message, d.path.join(".")])).toEqual([["MLP_INVALID", "set either workspace or tags, not both: Terraform's cloud block takes one", "spec.state.tags"]]);
    expect(both[0]!.line).toBeGreaterThan(0);
    const scheme = loadBlueprint(write(blueprint("aws", hcp({ hostname: "https://app.terraform.io" })))).diagnostics.filter((d) => d.severity === "error");
    expect(scheme.map((d) => d.path.join("."))).toEqual(["spec.state.hostname"]);
    expect(scheme[0]!.message).toContain("no scheme, no path");
    const org = loadBlueprint(write(blueprint("aws", hcp({ organization: "acme ml" })))).diagnostics.filter((d) => d.severity === "error");
    expect(org.map((d) => d.path.join("."))).toEqual(["spec.state.organization"]);
    // The cloud block reaches terraform unescaped: only plain names pass.
    const project = loadBlueprint(write(blueprint("aws", hcp({ project: '${file("/etc/passwd")}' })))).diagnostics.filter((d) => d.severity === "error");
    expect(project.map((d) => d.path.join("."))).toEqual(["spec.state.project"]);
  });

  for (const cloud of ["aws", "gcp", "azure"] as const) {
    it(`${cloud}: the stack carries a cloud block (no backend block, no token), and --offline keeps state locally instead`, async () => {
      process.env.TF_TOKEN_app_terraform_io = "mlplat-test-token-never-written";
      const { json, dir } = await synthJson(blueprint(cloud, hcp({ project: "ML Platform" }))).finally(() => delete process.env.TF_TOKEN_app_terraform_io);
      expect(json.terraform.cloud).toEqual({ organization: "acme-ml", hostname: "app.terraform.io", workspaces: { name: "codes-default", project: "ML Platform" } });
      expect(json.terraform.backend).toBeUndefined();
      expect(json.terraform.cloud.token).toBeUndefined();
      // A remote run uploads the stack folder: the kubeconfig, logs, plans and manifests stay here.
      expect(readFileSync(join(dir, ".terraformignore"), "utf8").split("\n")).toEqual(expect.arrayContaining(["kubeconfig", "*.log", "*.tfplan", "k8s/"]));
      expect(JSON.stringify(json)).not.toContain("mlplat-test-token-never-written");
      const offline = await synthJson(blueprint(cloud, hcp()), true);
      expect(offline.json.terraform.cloud).toBeUndefined();
      expect(Object.keys(offline.json.terraform.backend)).toEqual(["local"]);
      expect(existsSync(join(offline.dir, ".terraformignore"))).toBe(false);
    }, 60_000);
  }

  it("synth needs no terraform binary (cdktf's own cloud backend would run `terraform version` through a shell)", async () => {
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const { json } = await synthJson(blueprint("gcp", hcp()));
      expect(json.terraform.cloud.organization).toBe("acme-ml");
    } finally {
      process.env.PATH = path;
    }
  }, 60_000);

  it("tags select the workspaces; mlplat names the one for this stack", async () => {
    const { json } = await synthJson(blueprint("azure", hcp({ tags: ["mlplat", "prod"] })));
    expect(json.terraform.cloud.workspaces).toEqual({ tags: ["mlplat", "prod"] });
  }, 60_000);
});

const tf = terraformEnv();
describe.skipIf(!tf.available)("the real terraform reads the cloud block", () => {
  it("`terraform init` accepts it and goes on to ask the host for its services (a .invalid host never answers)", async () => {
    const { dir } = await synthJson(blueprint("aws", hcp({ hostname: "tfe.example.invalid" })));
    const r = spawnSync("terraform", ["init", "-input=false", "-no-color"], { cwd: dir, env: { ...tf.env, TF_DATA_DIR: ".terraform" }, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    const text = r.stdout + r.stderr;
    // Past parsing: a malformed block fails with "Invalid ..." or "Unsupported argument" before any network call.
    expect(text).toContain("Initializing HCP Terraform");
    expect(text).toMatch(/Failed to request discovery document[^\n]*tfe\.example\.invalid/);
    expect(text).not.toMatch(/Unsupported (argument|block type)|Invalid (cloud|workspaces)/);
  }, 90_000);
});
