/**
 * Which Compute Engine machine families carry which NVIDIA accelerators, and with how many.
 *
 * GCP has two kinds of GPU machines:
 *  - attached GPUs: a general-purpose N1 host plus `guest_accelerator` (T4, V100, P4, P100), in
 *    counts the accelerator allows;
 *  - accelerator-optimized families with the GPUs built in (A2: A100, G2: L4, A3: H100/H200,
 *    A4: B200). The machine type fixes the accelerator and the count (`a2-highgpu-4g` = 4 A100),
 *    and GKE still wants the matching `guest_accelerator` block on the node pool: it is what
 *    tells GKE the node is a GPU node (device plugin, GPU taint, `gpu_driver_installation_config`).
 *
 * A mismatched pair (a `g2-standard-8` with a T4, `a2-highgpu-2g` with count 1) is rejected by
 * the Compute API only at apply time, after the cluster already exists; we reject it at synth.
 * Pure data and functions: no cdktf import.
 */

/** Accelerator-optimized machine prefixes: the accelerator they carry built in. */
const BUILT_IN: readonly { readonly prefix: string; readonly acceleratorId: string }[] = [
  { prefix: "a2-highgpu-", acceleratorId: "nvidia-tesla-a100" },
  { prefix: "a2-megagpu-", acceleratorId: "nvidia-tesla-a100" },
  { prefix: "a2-ultragpu-", acceleratorId: "nvidia-a100-80gb" },
  { prefix: "a3-highgpu-", acceleratorId: "nvidia-h100-80gb" },
  { prefix: "a3-edgegpu-", acceleratorId: "nvidia-h100-80gb" },
  { prefix: "a3-megagpu-", acceleratorId: "nvidia-h100-mega-80gb" },
  { prefix: "a3-ultragpu-", acceleratorId: "nvidia-h200-141gb" },
  { prefix: "a4-highgpu-", acceleratorId: "nvidia-b200" },
  { prefix: "g2-standard-", acceleratorId: "nvidia-l4" },
];

/** G2 machine types and their L4 count (the name does not say it, unlike `a*-…-Ng`). */
const G2_COUNTS: Readonly<Record<string, number>> = {
  "g2-standard-4": 1,
  "g2-standard-8": 1,
  "g2-standard-12": 1,
  "g2-standard-16": 1,
  "g2-standard-32": 1,
  "g2-standard-24": 2,
  "g2-standard-48": 4,
  "g2-standard-96": 8,
};

/** Attached accelerators: the only host family that takes them, and the counts allowed. */
const ATTACHED: Readonly<Record<string, { readonly family: string; readonly counts: readonly number[] }>> = {
  "nvidia-tesla-t4": { family: "n1", counts: [1, 2, 4] },
  "nvidia-tesla-v100": { family: "n1", counts: [1, 2, 4, 8] },
  "nvidia-tesla-p4": { family: "n1", counts: [1, 2, 4] },
  "nvidia-tesla-p100": { family: "n1", counts: [1, 2, 4] },
};

/** The family a machine type belongs to: `n1-highmem-8` → `n1`, `a3-megagpu-8g` → `a3`. */
export function machineFamily(machineType: string): string {
  return machineType.split("-")[0] ?? machineType;
}

/** The family an accelerator requires, when we know it. */
export function requiredFamily(acceleratorId: string): string | undefined {
  const attached = ATTACHED[acceleratorId];
  if (attached) return attached.family;
  const builtIn = BUILT_IN.find((b) => b.acceleratorId === acceleratorId);
  return builtIn ? machineFamily(builtIn.prefix) : undefined;
}

/** Accelerator and count built into an accelerator-optimized machine type; undefined for other types. */
export function builtInAccelerator(machineType: string): { readonly acceleratorId: string; readonly count?: number } | undefined {
  const entry = BUILT_IN.find((b) => machineType.startsWith(b.prefix));
  if (!entry) return undefined;
  if (entry.prefix === "g2-standard-") return { acceleratorId: entry.acceleratorId, count: G2_COUNTS[machineType] };
  const m = /-(\d+)g$/.exec(machineType);
  return { acceleratorId: entry.acceleratorId, count: m ? Number(m[1]) : undefined };
}

export type PairingResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: "MLP_GCP_GPU_MACHINE_FAMILY" | "MLP_GCP_GPU_COUNT"; readonly message: string; readonly hint: string };

/**
 * Checks that a machine type can carry `count` accelerators of `acceleratorId`:
 * the family matches (n1 for T4/V100/P4/P100, a2 A100, g2 L4, a3 H100/H200, a4 B200), the
 * variant matches (a2-ultragpu is A100 80GB, a3-ultragpu is H200), and the count matches what
 * the machine type has built in or the accelerator allows attached.
 */
export function checkAcceleratorPairing(machineType: string, acceleratorId: string, count: number): PairingResult {
  const family = machineFamily(machineType);
  const builtIn = builtInAccelerator(machineType);
  const attached = ATTACHED[acceleratorId];
  if (builtIn) {
    if (builtIn.acceleratorId !== acceleratorId) {
      return {
        ok: false,
        code: "MLP_GCP_GPU_MACHINE_FAMILY",
        message: `machine type ${machineType} has ${builtIn.acceleratorId} built in, not ${acceleratorId}`,
        hint: hintFor(acceleratorId),
      };
    }
    if (builtIn.count !== undefined && builtIn.count !== count) {
      return {
        ok: false,
        code: "MLP_GCP_GPU_COUNT",
        message: `machine type ${machineType} has ${builtIn.count} × ${acceleratorId}, not ${count}`,
        hint: `set gpu.count to ${builtIn.count}, or let mlplat pick the machine type from gpu.type and gpu.count`,
      };
    }
    return { ok: true };
  }
  if (attached) {
    if (family !== attached.family) {
      return {
        ok: false,
        code: "MLP_GCP_GPU_MACHINE_FAMILY",
        message: `${acceleratorId} attaches only to ${attached.family} machine types, not ${machineType}`,
        hint: hintFor(acceleratorId),
      };
    }
    if (!attached.counts.includes(count)) {
      return {
        ok: false,
        code: "MLP_GCP_GPU_COUNT",
        message: `${acceleratorId} attaches in counts ${attached.counts.join(", ")}, not ${count}`,
        hint: `set gpu.count to one of ${attached.counts.join(", ")}`,
      };
    }
    return { ok: true };
  }
  const needed = requiredFamily(acceleratorId);
  return {
    ok: false,
    code: "MLP_GCP_GPU_MACHINE_FAMILY",
    message: needed
      ? `${acceleratorId} comes only built into ${needed} machine types, not ${machineType}`
      : `no known GCP machine family carries ${acceleratorId} (machine type ${machineType})`,
    hint: hintFor(acceleratorId),
  };
}

function hintFor(acceleratorId: string): string {
  const family = requiredFamily(acceleratorId);
  return family
    ? `use a machine type of the ${family} family for ${acceleratorId}, or give gpu instead of instanceType so mlplat picks one`
    : `give gpu instead of instanceType so mlplat picks a machine type`;
}
