import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { kubernetesManifests } from "../../src/k8s/manifests.js";
import { kubernetesPlatform } from "../../src/k8s/platforms/index.js";
import { CLOUDS } from "../../src/model/platform.js";
import { resolveFixture } from "./fixtures.js";
import { documents } from "./kube.js";

/**
 * The JSON schemas kubernetes-models validates against allow unknown fields (as the API server
 * does, silently dropping them), so a misspelt field would pass `validate()`. TypeScript's
 * excess-property check on object literals does not: every emitted document is typed as its
 * kubernetes-models interface and the snippet is compiled.
 */
const TYPES: Record<string, [module: string, type: string]> = {
  "apps/v1/Deployment": ["kubernetes-models/apps/v1/Deployment", "IDeployment"],
  "apps/v1/DaemonSet": ["kubernetes-models/apps/v1/DaemonSet", "IDaemonSet"],
  "autoscaling/v2/HorizontalPodAutoscaler": ["kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler", "IHorizontalPodAutoscaler"],
  "rbac.authorization.k8s.io/v1/ClusterRole": ["kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole", "IClusterRole"],
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ["kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding", "IClusterRoleBinding"],
  "rbac.authorization.k8s.io/v1/Role": ["kubernetes-models/rbac.authorization.k8s.io/v1/Role", "IRole"],
  "rbac.authorization.k8s.io/v1/RoleBinding": ["kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding", "IRoleBinding"],
  "v1/Namespace": ["kubernetes-models/v1/Namespace", "INamespace"],
  "v1/Service": ["kubernetes-models/v1/Service", "IService"],
  "v1/ServiceAccount": ["kubernetes-models/v1/ServiceAccount", "IServiceAccount"],
};

/** Type errors of `source` compiled as a module in test/k8s/ (so node_modules resolves). */
function typeErrors(source: string): string[] {
  const file = join(process.cwd(), "test/k8s/__emitted_manifests__.ts");
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (name === file ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

function snippet(docs: readonly Record<string, any>[]): string {
  const imports = new Set<string>();
  const decls = docs.map((d, i) => {
    const t = TYPES[`${d.apiVersion}/${d.kind}`];
    if (!t) throw new Error(`no type for ${d.apiVersion}/${d.kind}`);
    imports.add(`import type { ${t[1]} } from "${t[0]}";`);
    return `export const doc${i}: ${t[1]} = ${JSON.stringify(d, null, 2)};`;
  });
  return [...imports, ...decls].join("\n");
}

describe("emitted fields", () => {
  it("are all fields of the Kubernetes API types, on every cloud", () => {
    const docs = CLOUDS.flatMap((cloud) => {
      const { model, props } = resolveFixture(cloud);
      return Object.entries(kubernetesManifests(model, kubernetesPlatform(model, props)))
        .filter(([path]) => path !== "k8s/kustomization.yaml")
        .flatMap(([, text]) => documents(text));
    });
    expect(new Set(docs.map((d) => d.kind)).size).toBe(10);
    expect(typeErrors(snippet(docs))).toEqual([]);
  });

  it("catch a misspelt field (the check can fail)", () => {
    const bad = { apiVersion: "v1", kind: "Service", metadata: { name: "x" }, spec: { type: "ClusterIP", selectr: { a: "b" } } };
    expect(typeErrors(snippet([bad])).join("\n")).toMatch(/selectr/);
  });
});
