import { existsSync, lstatSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { MlplatError } from "../util/errors.js";

/**
 * Where a command's output and state go, resolved once, and the checks that run before anything
 * else does: an output that is a file or a link, a state folder that is a file, an output that
 * would hold the blueprint, the working directory or the state (synth replaces the output
 * folder as a whole, so any of those would be deleted with it).
 */
export interface OutputPaths {
  /** Absolute path of the output folder, as given (links in its parents are not resolved). */
  readonly outDir: string;
  /** Absolute path of the local state folder. */
  readonly stateDir: string;
  /** Absolute path of the blueprint file. */
  readonly blueprint: string;
}

export function resolveOutputPaths(file: string, outDir: string | undefined, stateDir: string | undefined): OutputPaths {
  const blueprint = resolve(file);
  return {
    blueprint,
    outDir: resolve(outDir ?? "cdktf.out"),
    stateDir: resolve(stateDir ?? join(dirname(blueprint), ".mlplat", "state")),
  };
}

export function checkOutputPaths(p: OutputPaths): void {
  checkStateDir(p.stateDir);
  checkOutDir(p.outDir);
  const out = realish(p.outDir);
  const state = realish(p.stateDir);
  const held: [string, string][] = [
    ["the blueprint", realish(dirname(p.blueprint))],
    ["the current working directory", realish(process.cwd())],
  ];
  for (const [what, path] of held) {
    if (isSameOrInside(path, out)) {
      throw new MlplatError(
        "MLP_OUT_PROTECTED",
        `--out ${p.outDir} ${path === out ? "is" : "contains"} the folder of ${what} (${path}); synth replaces its output folder as a whole, so it never uses a folder that holds the blueprint, the working directory or the state.`,
        { hint: `choose a folder of its own for the output, such as --out ${join(relative(process.cwd(), dirname(p.blueprint)) || ".", "cdktf.out")} (the default is cdktf.out in the current folder).` },
      );
    }
  }
  if (isSameOrInside(state, out)) {
    throw new MlplatError("MLP_STATE_IN_OUTPUT", `the state folder ${p.stateDir} is inside the synth output ${p.outDir}, which synth replaces as a whole.`, {
      hint: "choose an --out outside the state folder, or a --state-dir outside the output.",
    });
  }
}

function checkStateDir(stateDir: string): void {
  const blocking = firstNonFolder(stateDir);
  if (blocking) {
    throw new MlplatError(
      "MLP_STATE_DIR_NOT_DIR",
      blocking === stateDir
        ? `--state-dir ${stateDir} is a file, not a folder; local Terraform state is kept in a folder of .tfstate files.`
        : `--state-dir ${stateDir} cannot be a folder: ${blocking} is a file.`,
      { hint: "pass a folder (it is created when missing), or leave --state-dir out to use .mlplat/state beside the blueprint." },
    );
  }
}

function checkOutDir(outDir: string): void {
  let st;
  try {
    st = lstatSync(outDir);
  } catch {
    st = undefined;
  }
  if (st?.isSymbolicLink()) {
    throw new MlplatError("MLP_OUT_LINK", `--out ${outDir} is a symbolic link; mlplat replaces its output folder as a whole and never follows a link out of it.`, {
      hint: "pass the real folder, or a new folder, with --out.",
    });
  }
  const blocking = firstNonFolder(outDir);
  if (blocking) {
    throw new MlplatError(
      "MLP_OUT_NOT_DIR",
      blocking === outDir ? `--out ${outDir} is a file, not a folder; synth writes a folder of stacks there.` : `--out ${outDir} cannot be a folder: ${blocking} is a file.`,
      { hint: `pass a new or empty folder, or an earlier mlplat output, with --out (for example --out ${basename(outDir)}.d).` },
    );
  }
}

/** The path itself or its nearest existing ancestor when that is not a folder (following links); undefined when fine. */
function firstNonFolder(path: string): string | undefined {
  let p = path;
  for (;;) {
    if (existsSync(p)) {
      try {
        return statSync(p).isDirectory() ? undefined : p;
      } catch {
        return p;
      }
    }
    let isLink = false;
    try {
      isLink = lstatSync(p).isSymbolicLink();
    } catch {
      // missing
    }
    if (isLink) return p; // a dangling link: it cannot become a folder
    const parent = dirname(p);
    if (parent === p) return undefined;
    p = parent;
  }
}

/** The real path of `p`: its nearest existing ancestor resolved through links, plus the rest. */
export function realish(p: string): string {
  const rest: string[] = [];
  let cur = resolve(p);
  for (;;) {
    try {
      return join(realpathSync(cur), ...rest.reverse());
    } catch {
      const parent = dirname(cur);
      if (parent === cur) return resolve(p);
      rest.push(basename(cur));
      cur = parent;
    }
  }
}

/** Whether `inner` is `outer` or lies inside it (both absolute, real). */
export function isSameOrInside(inner: string, outer: string): boolean {
  if (inner === outer) return true;
  const prefix = outer.endsWith(sep) ? outer : outer + sep;
  return inner.startsWith(prefix);
}
