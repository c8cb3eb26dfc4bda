import { diag, type Diagnostic } from "../diagnostics.js";
import type { Rule } from "./rule.js";

/**
 * Node-pool labels and taints follow Kubernetes' own syntax, checked here so that a bad key fails
 * at validate instead of at node registration (the node group is created, its nodes never join):
 *  - a key is a qualified name: an optional DNS-subdomain prefix (≤ 253) and `/`, then a name of
 *    at most 63 characters, alphanumeric at both ends, `-`, `_`, `.` inside;
 *  - a label value is empty or such a name (≤ 63); a taint value likewise.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 * (k8s.io/apimachinery/pkg/util/validation: IsQualifiedName, IsValidLabelValue).
 */
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a qualified name, or undefined when it is one. */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split("/");
  if (parts.length > 2) return "it holds more than one `/`";
  const [prefix, name] = parts.length === 2 ? [parts[0]!, parts[1]!] : [undefined, parts[0]!];
  if (prefix !== undefined) {
    if (prefix === "") return "the prefix before `/` is empty";
    if (prefix.length > 253) return `the prefix is ${prefix.length} characters; at most 253`;
    if (!DNS1123_SUBDOMAIN.test(prefix)) return "the prefix before `/` is not a DNS subdomain (lowercase letters, digits, '-' and '.')";
  }
  if (name === "") return "the name is empty";
  if (name.length > 63) return `the name is ${name.length} characters; at most 63`;
  if (!NAME.test(name)) return "the name must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'";
  return undefined;
}

/** Why `value` is not a label value, or undefined when it is one. */
export function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63) return `it is ${value.length} characters; at most 63`;
  if (!NAME.test(value)) return "it must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'";
  return undefined;
}

const SYNTAX = "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set";

export const kubernetesLabelsAndTaints: Rule = ({ bp }) => {
  const out: Diagnostic[] = [];
  (bp.spec.cluster?.nodePools ?? []).forEach((pool, i) => {
    const path = ["spec", "cluster", "nodePools", i];
    for (const [key, value] of Object.entries(pool.labels)) {
      const k = qualifiedNameProblem(key);
      if (k) out.push(diag({ code: "MLP_K8S_LABEL_KEY", message: `node label key \`${key}\` is not a valid Kubernetes label key: ${k}.`, path: [...path, "labels", key], found: key, allowed: "[prefix/]name, name ≤ 63 of [A-Za-z0-9-_.], alphanumeric at both ends", hint: `use a key such as \`example.com/workload\` (${SYNTAX}).` }));
      const v = labelValueProblem(value);
      if (v) out.push(diag({ code: "MLP_K8S_LABEL_VALUE", message: `the value of node label \`${key}\` is not a valid Kubernetes label value: ${v}.`, path: [...path, "labels", key], found: JSON.stringify(value), allowed: "empty, or ≤ 63 of [A-Za-z0-9-_.], alphanumeric at both ends", hint: `use a value such as \`llm-serving\` (${SYNTAX}).` }));
    }
    pool.taints.forEach((t, j) => {
      const k = qualifiedNameProblem(t.key);
      if (k) out.push(diag({ code: "MLP_K8S_TAINT_KEY", message: `taint key \`${t.key}\` is not a valid Kubernetes taint key: ${k}.`, path: [...path, "taints", j, "key"], found: t.key, allowed: "[prefix/]name, name ≤ 63 of [A-Za-z0-9-_.], alphanumeric at both ends", hint: "use a key such as `example.com/dedicated`." }));
      const v = labelValueProblem(t.value);
      if (v) out.push(diag({ code: "MLP_K8S_TAINT_VALUE", message: `the value of taint \`${t.key}\` is not a valid Kubernetes taint value: ${v}.`, path: [...path, "taints", j, "value"], found: JSON.stringify(t.value), allowed: "empty, or ≤ 63 of [A-Za-z0-9-_.], alphanumeric at both ends", hint: "use a value such as `gpu`, or leave it empty." }));
    });
  });
  return out;
};
