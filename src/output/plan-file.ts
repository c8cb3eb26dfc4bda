import { createHash, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { MlplatError } from "../util/errors.js";
import { onExit } from "../util/exit-cleanup.js";
import { readStackFile, writeStackFile } from "./stack-files.js";

/**
 * The applied plan is the reviewed plan. Right after terraform writes a saved plan, its bytes
 * are hashed (`sealPlan`); the summary and the data-loss guard are read from that same plan
 * run's output. Immediately before apply, `reviewedPlanCopy` reads the file again, refuses
 * (MLP_PLAN_CHANGED, exit 1, nothing applied) when its hash differs, and writes the verified
 * bytes to a private file of this run, which is what terraform applies: a plan file rewritten
 * after the check (another terraform run in the folder) cannot reach the apply either.
 */
export interface SealedPlan {
  /** Plan file name in the stack folder. */
  readonly file: string;
  /** sha256 of its bytes when it was reviewed. */
  readonly sha256: string;
}

export function sealPlan(dir: string, file: string): SealedPlan {
  return { file, sha256: sha256(readStackFile(dir, file)) };
}

export interface ReviewedCopy {
  /** Name of the private copy in the stack folder, to pass to `terraform apply`. */
  readonly file: string;
  /** Removes the copy (also done at exit). */
  dispose(): void;
}

export function reviewedPlanCopy(dir: string, stack: string, sealed: SealedPlan): ReviewedCopy {
  let bytes: Buffer;
  try {
    bytes = readStackFile(dir, sealed.file);
  } catch (err) {
    if (err instanceof MlplatError) throw err;
    throw planChanged(dir, stack, sealed, `it can no longer be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const now = sha256(bytes);
  if (now !== sealed.sha256) throw planChanged(dir, stack, sealed, `its sha256 is now ${now.slice(0, 12)}…, not the reviewed ${sealed.sha256.slice(0, 12)}…`);
  const file = `mlplat-reviewed-${process.pid}-${randomBytes(4).toString("hex")}.tfplan`;
  const drop = onExit(() => rmSync(join(dir, file), { force: true }));
  writeStackFile(dir, file, bytes, 0o600);
  return {
    file,
    dispose() {
      rmSync(join(dir, file), { force: true });
      drop();
    },
  };
}

function planChanged(dir: string, stack: string, sealed: SealedPlan, why: string): MlplatError {
  return new MlplatError(
    "MLP_PLAN_CHANGED",
    `Stack ${stack}: the saved plan ${join(dir, sealed.file)} changed after it was reviewed (${why}); nothing was applied to ${stack}.`,
    { hint: "something else wrote the plan file (a terraform run in that folder?). Run the command again to review a fresh plan." },
  );
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
