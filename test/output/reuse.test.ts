import { linkSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeReusing } from "../../src/output/reuse.js";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import { blueprintYaml, writeBlueprint } from "../k8s/fixtures.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), "mlplat-reuse-"));
  dirs.push(d);
  return d;
}

describe("writeReusing", () => {
  it("links the previous file when its bytes are the same", () => {
    const d = scratch();
    writeFileSync(join(d, "prev.yaml"), "kind: Namespace\n");
    expect(writeReusing(join(d, "prev.yaml"), join(d, "next", "a", "ns.yaml"), "kind: Namespace\n")).toBe(true);
    expect(statSync(join(d, "next", "a", "ns.yaml")).ino).toBe(statSync(join(d, "prev.yaml")).ino);
    expect(readFileSync(join(d, "next", "a", "ns.yaml"), "utf8")).toBe("kind: Namespace\n");
  });

  it("writes a new file when the bytes differ, even at the same length, and leaves the previous one alone", () => {
    const d = scratch();
    writeFileSync(join(d, "prev.yaml"), "replicas: 1\n");
    expect(writeReusing(join(d, "prev.yaml"), join(d, "next.yaml"), "replicas: 2\n")).toBe(false);
    expect(statSync(join(d, "next.yaml")).ino).not.toBe(statSync(join(d, "prev.yaml")).ino);
    expect(readFileSync(join(d, "next.yaml"), "utf8")).toBe("replicas: 2\n");
    expect(readFileSync(join(d, "prev.yaml"), "utf8")).toBe("replicas: 1\n");
  });

  it("writes a new file when there is no previous one", () => {
    const d = scratch();
    expect(writeReusing(join(d, "missing.yaml"), join(d, "next.yaml"), "x: 1\n")).toBe(false);
    expect(readFileSync(join(d, "next.yaml"), "utf8")).toBe("x: 1\n");
  });

  it("never links a file that has another name (a hard link from outside the output)", () => {
    const d = scratch();
    writeFileSync(join(d, "victim"), "same\n");
    linkSync(join(d, "victim"), join(d, "prev.yaml"));
    expect(writeReusing(join(d, "prev.yaml"), join(d, "next.yaml"), "same\n")).toBe(false);
    expect(statSync(join(d, "next.yaml")).ino).not.toBe(statSync(join(d, "victim")).ino);
    expect(statSync(join(d, "victim")).nlink).toBe(2);
  });

  it("never follows a symbolic link in the previous output", () => {
    const d = scratch();
    writeFileSync(join(d, "target"), "same\n");
    symlinkSync(join(d, "target"), join(d, "prev.yaml"));
    expect(writeReusing(join(d, "prev.yaml"), join(d, "next.yaml"), "same\n")).toBe(false);
    expect(statSync(join(d, "next.yaml")).ino).not.toBe(statSync(join(d, "target")).ino);
    expect(statSync(join(d, "target")).nlink).toBe(1);
  });
});

describe("synth into an existing output", () => {
  it("reuses the unchanged manifests, rewrites the changed one, and renders exactly what a fresh synth renders", async () => {
    const { dir, file } = writeBlueprint("aws");
    dirs.push(dir);
    const out = join(dir, "cdktf.out");
    const first = await synthesizeBlueprint(file, { outDir: out, offline: true });
    const k8s = join(first.stacks[0]!.dir, "k8s");
    const inodes = (): Record<string, number> => Object.fromEntries(readdirSync(k8s).filter((n) => n.endsWith(".yaml")).map((n) => [n, statSync(join(k8s, n)).ino]));
    const before = inodes();

    // The ranker's replica bounds change; nothing else does.
    writeFileSync(file, blueprintYaml("aws").replace("autoscaling: { min: 2, max: 6 }", "autoscaling: { min: 3, max: 6 }"));
    await synthesizeBlueprint(file, { outDir: out, offline: true });
    const after = inodes();
    expect(after["ranker.yaml"]).not.toBe(before["ranker.yaml"]);
    expect(after["llm.yaml"]).toBe(before["llm.yaml"]);
    expect(after["namespace.yaml"]).toBe(before["namespace.yaml"]);
    for (const n of Object.keys(after)) expect(statSync(join(k8s, n)).nlink, n).toBe(1); // the previous output is gone

    // Byte for byte what a synth into an empty folder writes.
    const fresh = await synthesizeBlueprint(file, { outDir: join(dir, "fresh"), offline: true });
    const freshK8s = join(fresh.stacks[0]!.dir, "k8s");
    for (const n of Object.keys(after)) expect(readFileSync(join(k8s, n), "utf8"), n).toBe(readFileSync(join(freshK8s, n), "utf8"));
    expect(readFileSync(join(k8s, "ranker.yaml"), "utf8")).toContain("minReplicas: 3");
  });
});
