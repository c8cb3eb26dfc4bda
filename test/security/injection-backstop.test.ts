import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it, vi } from "vitest";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";

/**
 * The backstop on its own: with the sink switched off (as a construct that reads something other
 * than its props would be), an injected expression must fail synth with MLP_UNSAFE_EXPRESSION and
 * leave no output behind.
 */
vi.mock("../../stacks/common/terraform-literals.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../stacks/common/terraform-literals.js")>();
  return { ...real, escapeLiterals: <T>(props: T): T => props };
});

const work = mkdtempSync(join(tmpdir(), "mlplat-backstop-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it("refuses to write a stack holding an expression mlplat did not write (MLP_UNSAFE_EXPRESSION, exit 70, nothing written)", async () => {
  const file = join(work, "bp.yaml");
  const yaml = readFileSync("test/fixtures/spec-example.yaml", "utf8").replace("image: serving:1.4.2", `image: 'reg.example.com/x/img:\${file("/etc/hostname")}'`);
  writeFileSync(file, yaml);
  const out = join(work, "out");
  const err = await synthesizeBlueprint(file, { outDir: out, stateDir: join(work, "state") }).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: "MLP_UNSAFE_EXPRESSION", exitCode: 70 });
  expect((err as Error).message).toBe("the synthesized stack holds 1 Terraform expression(s) that mlplat did not write; nothing was written.");
  expect((err as { details: string }).details).toContain('primary_container.image: "${file(\\"/etc/hostname\\")}" (a call of file(), which mlplat never writes)');
  expect(existsSync(out)).toBe(false);
});
