import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, relative } from "node:path";
import { MlplatError } from "../util/errors.js";
import { onExit } from "../util/exit-cleanup.js";
import { acquireLock, type Lock } from "./lock.js";
import { MARKER_FILE, markerText, readMarker, type OutputMarker } from "./marker.js";
import { checkOutputPaths, type OutputPaths } from "./paths.js";
import { writeReusing } from "./reuse.js";

/** Writes a file of the next output at `rel` (relative to the output folder); see ./reuse.ts. */
export type OutputWriter = (rel: string, content: string) => void;

/**
 * The one owner of an output folder's file system (STYLE.md, "Safety is structural"): it
 * recognises mlplat's own output by its marker (mlplat.json), refuses links, holds the lock,
 * replaces the output atomically and cleans up its temporary folders on every exit path.
 *
 * Layout beside `<out>`: `<out>.lock` (held for the whole command), `<out>.tmp-<pid>-<id>`
 * (the next output, while it is written) and `<out>.old-<pid>-<id>` (the previous one, for the
 * instant of the swap). Per stack, `<state>/<stack>.lock` in the state folder, so two runs with
 * different outputs cannot work on one stack's state at once either.
 */

/** Kept from the previous output so `terraform init` need not start over after every synth, with the type each must have. */
const CARRY_OVER: readonly [name: string, kind: "dir" | "file"][] = [
  [".terraform", "dir"],
  [".terraform.lock.hcl", "file"],
  ["terraform.log", "file"],
  // The logs of deploy's other tools (kubectl, the clouds' CLIs for images and quotas) live
  // beside terraform's: a re-synth keeps them too. The kubeconfig is not carried: deploy
  // fetches fresh credentials each run, and a re-synth drops the old ones.
  ["kubectl.log", "file"],
  ["images.log", "file"],
  ["quota.log", "file"],
];

/**
 * Terraform itself links providers from its plugin cache (TF_PLUGIN_CACHE_DIR, or a CLI
 * config's plugin_cache_dir) into `stacks/<stack>/.terraform/providers/`: the only links an
 * output may hold. That folder is not walked.
 */
const TERRAFORM_LINKS = /^stacks\/[^/]+\/\.terraform\/providers$/;

export class OutputDir {
  private readonly locks: Lock[] = [];

  private constructor(
    readonly paths: OutputPaths,
    private readonly command: string,
  ) {}

  /**
   * Checks the paths, takes the output's lock (MLP_OUT_IN_USE when another run holds it), then,
   * under the lock, checks that an existing folder is an mlplat output without links.
   */
  static open(paths: OutputPaths, command: string): OutputDir {
    checkOutputPaths(paths);
    const dir = new OutputDir(paths, command);
    mkdirSync(dirname(paths.outDir), { recursive: true });
    dir.locks.push(acquireLock(`${paths.outDir}.lock`, paths.outDir, command));
    try {
      sweepLeftovers(paths.outDir);
      recognise(paths.outDir);
    } catch (err) {
      dir.release();
      throw err;
    }
    return dir;
  }

  get outDir(): string {
    return this.paths.outDir;
  }

  /** Takes the lock of each stack in the state folder, held until `release`. */
  lockStacks(names: readonly string[]): void {
    mkdirSync(this.paths.stateDir, { recursive: true });
    for (const name of names) {
      this.locks.push(acquireLock(join(this.paths.stateDir, `${name}.lock`), `stack ${name} (state folder ${this.paths.stateDir})`, this.command));
    }
  }

  /**
   * Writes the next output into a temporary folder (`build` returns its stack names), adds the
   * marker, carries `.terraform`, the lock file and the log of each stack over from the previous
   * output, then swaps it into place. A failure or a signal at any point leaves the previous
   * output as it was and no temporary folder behind. `build` writes mlplat's own files through
   * `write`, which links a file of the previous output instead when its bytes are unchanged.
   */
  async replace(build: (tmp: string, write: OutputWriter) => Promise<{ stacks: string[]; marker: Omit<OutputMarker, "format" | "stacks"> }>): Promise<string[]> {
    const out = this.paths.outDir;
    const tmp = `${out}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
    const dropTmp = onExit(() => rmSync(tmp, { recursive: true, force: true }));
    // Unchanged files of the previous output are linked, not written again (./reuse.ts).
    const madeDirs = new Set<string>();
    const write: OutputWriter = (rel, content) => writeReusing(join(out, rel), join(tmp, rel), content, madeDirs);
    try {
      const { stacks, marker } = await build(tmp, write);
      writeFileSync(join(tmp, MARKER_FILE), markerText({ ...marker, stacks }), { flag: "wx" });
      const carried = carryOver(out, tmp, stacks);
      try {
        swapInto(tmp, out);
      } catch (err) {
        for (const [from, to] of carried) renameSync(to, from);
        throw err;
      }
      return stacks;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
      dropTmp();
    }
  }

  /** Releases every lock this run holds (also done at process exit). */
  release(): void {
    for (const l of this.locks.splice(0).reverse()) l.release();
  }
}

/**
 * Removes `<out>.tmp-<pid>-<id>` and `<out>.old-<pid>-<id>` folders left by a run that was
 * killed outright (SIGKILL, power loss: no exit hook runs). Only names of exactly that shape,
 * only when their pid is no longer running, and only under the output's lock.
 */
function sweepLeftovers(out: string): void {
  const base = basename(out);
  const shape = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(tmp|old)-(\\d+)-[0-9a-f]{8}$`);
  let siblings: string[];
  try {
    siblings = readdirSync(dirname(out));
  } catch {
    return;
  }
  for (const name of siblings) {
    const m = shape.exec(name);
    if (!m || isRunning(Number(m[2]))) continue;
    const path = join(dirname(out), name);
    if (lstatSync(path).isDirectory()) rmSync(path, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** An existing output folder must be empty, or mlplat's own output (its marker) without links. */
function recognise(out: string): void {
  if (!existsSync(out)) return;
  const entries = readdirSync(out);
  if (entries.length === 0) return;
  if (!readMarker(out)) {
    const shown = entries.slice(0, 5).join(", ") + (entries.length > 5 ? `, … (${entries.length} entries)` : "");
    throw new MlplatError(
      "MLP_OUT_NOT_SYNTH_OUTPUT",
      `${out} exists and is not an mlplat output (no valid ${MARKER_FILE}); it holds ${shown}. mlplat replaces its output folder as a whole and will not delete it.`,
      { hint: "pass a new or empty folder with --out (the default is cdktf.out), or delete this folder yourself if it is an old output." },
    );
  }
  refuseLinks(out, out);
}

function refuseLinks(root: string, dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isSymbolicLink()) {
      let target = "?";
      try {
        target = readlinkSync(path);
      } catch {
        // unreadable target: the refusal stands
      }
      throw new MlplatError(
        "MLP_OUT_LINK",
        `${path} is a symbolic link (to ${target}) in the mlplat output ${root}; mlplat never follows or carries a link out of its output, so it refuses to use this output.`,
        { hint: `remove the link (rm ${path}) and run again; terraform's own files are recreated in the stack folder.` },
      );
    }
    if (e.isDirectory() && !TERRAFORM_LINKS.test(relative(root, path))) refuseLinks(root, path);
  }
}

/** Moves the carried entries from the previous output into the new one; returns [from, to] pairs for an undo. */
function carryOver(out: string, tmp: string, stacks: readonly string[]): [string, string][] {
  const moved: [string, string][] = [];
  for (const s of stacks) {
    for (const [name, kind] of CARRY_OVER) {
      const from = join(out, "stacks", s, name);
      const to = join(tmp, "stacks", s, name);
      let st;
      try {
        st = lstatSync(from);
      } catch {
        continue;
      }
      // lstat: a link (refused before, but the folder could change since) or a FIFO is never carried.
      if (kind === "dir" ? !st.isDirectory() : !st.isFile()) continue;
      if (existsSync(to) || !existsSync(dirname(to))) continue;
      renameSync(from, to);
      moved.push([from, to]);
    }
  }
  return moved;
}

function swapInto(tmp: string, out: string): void {
  if (!existsSync(out)) return renameSync(tmp, out);
  const old = `${out}.old-${process.pid}-${randomBytes(4).toString("hex")}`;
  const dropOld = onExit(() => rmSync(old, { recursive: true, force: true }));
  try {
    renameSync(out, old);
    try {
      renameSync(tmp, out);
    } catch (err) {
      renameSync(old, out);
      throw err;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    dropOld();
  }
}

