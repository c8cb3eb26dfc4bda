import type { Catalog, GpuMiss, InstanceRow } from "../catalog/types.js";
import { diag, type Diagnostic, type FieldPath } from "../blueprint/diagnostics.js";
import type { Cloud, ResolvedGpu } from "./platform.js";

/**
 * Compute resolution shared by the rules (which report problems) and the model builder (which
 * keeps the answers): GPU intent → instance type through the catalog. Pure; the catalog's
 * indexes make each call cheap, so rules and builder may both call it.
 */
export type Resolved<T> = { ok: true; value: T; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

export interface PoolCompute {
  readonly instanceType: string;
  readonly gpu?: ResolvedGpu;
  readonly row?: InstanceRow;
}

interface GpuInput {
  readonly type: string;
  readonly count: number;
}

const gpuOf = (row: InstanceRow): ResolvedGpu | undefined =>
  row.accelerator && row.acceleratorCount >= 1
    ? { type: row.accelerator, count: row.acceleratorCount, memoryGiB: row.acceleratorMemoryGiB, acceleratorId: row.acceleratorId }
    : undefined;

/** GPU miss → diagnostic located at the field the miss is about. */
export function gpuMissDiagnostic(miss: GpuMiss, path: FieldPath, gpu: GpuInput, region: string): Diagnostic {
  const field = miss.code === "MLP_GPU_COUNT" ? "count" : "type";
  const at = miss.code === "MLP_GPU_NOT_IN_REGION" ? path : [...path, field];
  return diag({
    code: miss.code,
    message: sentence(miss.message),
    path: at,
    found: miss.code === "MLP_GPU_COUNT" ? String(gpu.count) : miss.code === "MLP_GPU_NOT_IN_REGION" ? `${gpu.type} in ${region}` : gpu.type,
    allowed: miss.suggestions.length ? miss.suggestions.join(", ") : undefined,
    hint: sentence(miss.hint),
  });
}

const sentence = (s: string) => (/[.?!)]$/.test(s) ? s : `${s}.`);

/** A node pool's instance type and GPUs: from `gpu` through the catalog, or the explicit `instanceType` checked against it. */
export function resolvePoolCompute(
  catalog: Catalog,
  q: { cloud: Cloud; region: string; spot: boolean; gpu?: GpuInput; instanceType?: string; path: FieldPath },
): Resolved<PoolCompute> {
  if (q.gpu) {
    const r = catalog.findGpuInstance({ cloud: q.cloud, accelerator: q.gpu.type, count: q.gpu.count, region: q.region, spot: q.spot });
    if (!r.ok) return { ok: false, diagnostics: [gpuMissDiagnostic(r, [...q.path, "gpu"], q.gpu, q.region)] };
    return { ok: true, value: { instanceType: r.row.instanceType, gpu: gpuOf(r.row), row: r.row }, warnings: [] };
  }
  const type = q.instanceType!;
  const at = [...q.path, "instanceType"];
  const check = catalog.checkInstanceType(q.cloud, type, q.region);
  if (!check.ok) {
    const base = { message: sentence(check.message), path: at, found: type, allowed: check.suggestions.length ? check.suggestions.join(", ") : undefined, hint: sentence(check.hint) };
    if (check.code === "MLP_INSTANCE_NOT_IN_REGION") return { ok: false, diagnostics: [diag({ ...base, code: check.code })] };
    // Unknown to the catalog: used as written, with a warning (the spec: accepted where the catalog does not know it).
    return {
      ok: true,
      value: { instanceType: type },
      warnings: [
        diag({
          ...base,
          severity: "warning",
          code: "MLP_INSTANCE_UNKNOWN",
          message: `${sentence(check.message)} It is used as written, unchecked: no GPU taint or driver, no price.`,
        }),
      ],
    };
  }
  const row = check.row;
  const warnings: Diagnostic[] = [];
  if (row.accelerator && row.acceleratorCount > 0 && row.acceleratorCount < 1) {
    warnings.push(
      diag({
        severity: "warning",
        code: "MLP_INSTANCE_FRACTIONAL_GPU",
        message: `${type} has a fraction (${row.acceleratorCount}) of a ${row.accelerator}; it is treated as a CPU pool (no GPU taint, no nvidia.com/gpu resource).`,
        path: at,
        found: type,
      }),
    );
    return { ok: true, value: { instanceType: type, row }, warnings };
  }
  return { ok: true, value: { instanceType: type, gpu: gpuOf(row), row }, warnings };
}

/** Per-replica CPU and memory defaults where a runtime sizes containers. */
export function defaultReplicaSize(gpuCount: number, node?: { vcpus?: number; memoryGiB?: number }): { cpu: number; memoryGiB: number } {
  if (gpuCount === 0) return { cpu: 1, memoryGiB: 2 };
  const cpu = 4 * gpuCount;
  const mem = 16 * gpuCount;
  // Leave a fifth of the node for the kubelet and daemonsets.
  return {
    cpu: node?.vcpus ? Math.max(1, Math.min(cpu, Math.floor(node.vcpus * 0.8))) : cpu,
    memoryGiB: node?.memoryGiB ? Math.max(1, Math.min(mem, Math.floor(node.memoryGiB * 0.8))) : mem,
  };
}
