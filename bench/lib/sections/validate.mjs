import { basename } from "node:path";
import { measureInterleaved } from "../measure.mjs";
/** 1. validate (and --help) against a bare Node start. */
export async function validateSection(s) {
  const { NODE, REFS, RUNS, warmup, runner, log, guard, stage, mlplat, record, compare, ratio } = s;
  await guard("validate", async () => {
    log("\n== validate vs bare node start");
    const bp = stage(REFS.aws, "validate-aws.yaml");
    const res = measureInterleaved(
      runner,
      [
        { name: "node -e 0", steps: () => [{ cmd: NODE, args: ["-e", "0"], label: "node -e 0" }] },
        { name: `mlplat validate ${basename(REFS.aws)}`, steps: () => [mlplat(["validate", bp])] },
        { name: "mlplat --help", steps: () => [mlplat(["--help"])] },
        { name: `mlplat validate ${basename(REFS.aws)}, no code cache`, steps: () => [mlplat(["validate", bp], { env: { MLPLAT_NO_CODE_CACHE: "1" } })] },
      ],
      { rounds: RUNS.fast, warmup, log },
    );
    const [bare, validate, help, cold] = Object.entries(res).map(([name, s]) => record("validate", name, s));
    compare(`validate ÷ node -e 0`, ratio(validate, bare), 3);
    compare(`validate, no code cache ÷ node -e 0`, ratio(cold, bare), undefined, { note: "no target: a first run, or MLPLAT_NO_CODE_CACHE=1 (src/cli/code-cache.ts)" });
    compare(`--help ÷ node -e 0`, ratio(help, bare), undefined, { note: "no target in the issue; shown because every command pays this start-up" });
  });
}
