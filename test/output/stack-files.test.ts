import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { manifestFiles } from "../../src/engine/kubernetes-phase.js";
import { declaredObjects } from "../../src/engine/kubernetes-prune.js";
import { listStackFiles, readStackText } from "../../src/output/stack-files.js";

/**
 * The Kubernetes phase reads the stack's k8s/ folder to decide what kubectl applies and what
 * prune deletes. A link planted in the output (a `k8s` folder pointing at another stack's or
 * someone's manifests) must be refused, not followed.
 */
const work = mkdtempSync(join(tmpdir(), "mlplat-stack-files-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function stack(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "k8s", "platform"), { recursive: true });
  writeFileSync(join(dir, "k8s", "namespace.yaml"), "kind: Namespace\nmetadata: { name: mlplat-serving }\n");
  writeFileSync(join(dir, "k8s", "chat.yaml"), "kind: Deployment\nmetadata: { name: chat, namespace: mlplat-serving, labels: { mlplat.io/endpoint: chat } }\n");
  writeFileSync(join(dir, "k8s", "platform", "device-plugin.yaml"), "kind: DaemonSet\nmetadata: { name: nvidia }\n");
  return dir;
}

describe("reading a stack's manifests never follows a link", () => {
  it("lists regular files only, sorted, relative to the stack", () => {
    const dir = stack("plain");
    writeFileSync(join(work, "elsewhere.yaml"), "kind: Secret\n");
    symlinkSync(join(work, "elsewhere.yaml"), join(dir, "k8s", "linked.yaml"));
    expect(listStackFiles(dir, "k8s", ".yaml")).toEqual(["k8s/chat.yaml", "k8s/namespace.yaml"]);
    expect(manifestFiles(dir)).toEqual({ platform: ["k8s/platform/device-plugin.yaml"], endpoints: ["k8s/namespace.yaml", "k8s/chat.yaml"] });
    expect(listStackFiles(dir, "missing")).toEqual([]);
    expect(() => readStackText(dir, "k8s/linked.yaml")).toThrow(/is a symbolic link; mlplat never follows a link out of its output/);
  });

  it("refuses a k8s folder (or k8s/platform) that is a link: MLP_OUT_LINK, for apply and for prune alike", () => {
    const other = stack("other");
    const dir = join(work, "linked");
    mkdirSync(dir);
    symlinkSync(join(other, "k8s"), join(dir, "k8s"));
    expect(() => manifestFiles(dir)).toThrow(expect.objectContaining({ code: "MLP_OUT_LINK" }));
    expect(() => declaredObjects(dir)).toThrow(expect.objectContaining({ code: "MLP_OUT_LINK" }));
    const inner = join(work, "inner");
    mkdirSync(join(inner, "k8s"), { recursive: true });
    symlinkSync(join(other, "k8s", "platform"), join(inner, "k8s", "platform"));
    expect(() => manifestFiles(inner)).toThrow(expect.objectContaining({ code: "MLP_OUT_LINK" }));
  });
});
