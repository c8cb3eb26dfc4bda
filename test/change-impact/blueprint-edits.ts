import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";

/**
 * Writes the reference blueprint with one edit applied (on the parsed document) and synthesizes
 * it offline into `work/out`, whose stack keeps its `.terraform` between edits (synth carries it
 * over), with the local state at `work/state/<stack>.tfstate`. Returns the stack folder and its
 * state file path.
 */
export async function synthEdited(
  blueprint: string,
  work: string,
  edit: (doc: Record<string, any>) => void,
  env?: string,
): Promise<{ dir: string; statePath: string }> {
  mkdirSync(work, { recursive: true });
  const doc = parse(readFileSync(blueprint, "utf8")) as Record<string, any>;
  edit(doc);
  const file = join(work, "blueprint.yaml");
  writeFileSync(file, stringify(doc));
  const { stacks } = await synthesizeBlueprint(file, { env, outDir: join(work, "out"), stateDir: join(work, "state"), offline: true });
  const stack = stacks[0]!;
  return { dir: stack.dir, statePath: join(work, "state", `${stack.name}.tfstate`) };
}
