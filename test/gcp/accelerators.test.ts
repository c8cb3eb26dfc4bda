import { describe, expect, it } from "vitest";
import { builtInAccelerator, checkAcceleratorPairing, machineFamily, requiredFamily } from "../../src/targets/gcp/accelerators.js";

describe("GCP machine family and accelerator pairing", () => {
  it("accepts a T4 attached to an n1 host in the counts T4 allows", () => {
    for (const n of [1, 2, 4]) expect(checkAcceleratorPairing("n1-highmem-8", "nvidia-tesla-t4", n)).toEqual({ ok: true });
  });

  it("never gives a g2 machine a T4", () => {
    const r = checkAcceleratorPairing("g2-standard-8", "nvidia-tesla-t4", 1);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("MLP_GCP_GPU_MACHINE_FAMILY");
    expect(r.message).toBe("machine type g2-standard-8 has nvidia-l4 built in, not nvidia-tesla-t4");
    expect(r.hint).toBe("use a machine type of the n1 family for nvidia-tesla-t4, or give gpu instead of instanceType so mlplat picks one");
  });

  it("rejects a T4 on a general-purpose host other than n1", () => {
    const r = checkAcceleratorPairing("n2-standard-8", "nvidia-tesla-t4", 1);
    expect(r).toMatchObject({ ok: false, code: "MLP_GCP_GPU_MACHINE_FAMILY", message: "nvidia-tesla-t4 attaches only to n1 machine types, not n2-standard-8" });
  });

  it("rejects attached counts the accelerator does not come in", () => {
    expect(checkAcceleratorPairing("n1-standard-8", "nvidia-tesla-t4", 3)).toMatchObject({ ok: false, code: "MLP_GCP_GPU_COUNT" });
    expect(checkAcceleratorPairing("n1-standard-8", "nvidia-tesla-v100", 8)).toEqual({ ok: true });
    expect(checkAcceleratorPairing("n1-standard-8", "nvidia-tesla-p100", 8)).toMatchObject({ ok: false, code: "MLP_GCP_GPU_COUNT" });
  });

  it("accepts each built-in family with its own accelerator and count", () => {
    expect(checkAcceleratorPairing("g2-standard-8", "nvidia-l4", 1)).toEqual({ ok: true });
    expect(checkAcceleratorPairing("g2-standard-48", "nvidia-l4", 4)).toEqual({ ok: true });
    expect(checkAcceleratorPairing("a2-highgpu-4g", "nvidia-tesla-a100", 4)).toEqual({ ok: true });
    expect(checkAcceleratorPairing("a2-megagpu-16g", "nvidia-tesla-a100", 16)).toEqual({ ok: true });
    expect(checkAcceleratorPairing("a2-ultragpu-8g", "nvidia-a100-80gb", 8)).toEqual({ ok: true });
    expect(checkAcceleratorPairing("a3-highgpu-8g", "nvidia-h100-80gb", 8)).toEqual({ ok: true });
    expect(checkAcceleratorPairing("a3-megagpu-8g", "nvidia-h100-mega-80gb", 8)).toEqual({ ok: true });
    expect(checkAcceleratorPairing("a3-ultragpu-8g", "nvidia-h200-141gb", 8)).toEqual({ ok: true });
    expect(checkAcceleratorPairing("a4-highgpu-8g", "nvidia-b200", 8)).toEqual({ ok: true });
  });

  it("rejects the wrong variant inside a family: A100 40GB on a2-ultragpu, H100 on a3-ultragpu", () => {
    expect(checkAcceleratorPairing("a2-ultragpu-1g", "nvidia-tesla-a100", 1)).toMatchObject({ ok: false, code: "MLP_GCP_GPU_MACHINE_FAMILY" });
    expect(checkAcceleratorPairing("a3-ultragpu-8g", "nvidia-h100-80gb", 8)).toMatchObject({ ok: false, code: "MLP_GCP_GPU_MACHINE_FAMILY" });
  });

  it("rejects a count that differs from what the machine type has built in", () => {
    const r = checkAcceleratorPairing("a2-highgpu-2g", "nvidia-tesla-a100", 1);
    expect(r).toMatchObject({ ok: false, code: "MLP_GCP_GPU_COUNT", message: "machine type a2-highgpu-2g has 2 × nvidia-tesla-a100, not 1" });
    expect(checkAcceleratorPairing("g2-standard-24", "nvidia-l4", 1)).toMatchObject({ ok: false, code: "MLP_GCP_GPU_COUNT" });
  });

  it("rejects an L4 or an A100 attached to an n1 host", () => {
    expect(checkAcceleratorPairing("n1-standard-8", "nvidia-l4", 1)).toMatchObject({
      ok: false,
      message: "nvidia-l4 comes only built into g2 machine types, not n1-standard-8",
    });
    expect(checkAcceleratorPairing("n1-standard-8", "nvidia-a100-80gb", 1)).toMatchObject({ ok: false, code: "MLP_GCP_GPU_MACHINE_FAMILY" });
  });

  it("rejects accelerators it knows no family for", () => {
    expect(checkAcceleratorPairing("n1-standard-8", "nvidia-made-up", 1)).toMatchObject({
      ok: false,
      message: "no known GCP machine family carries nvidia-made-up (machine type n1-standard-8)",
    });
  });

  it("names families and built-in accelerators", () => {
    expect(machineFamily("a3-megagpu-8g")).toBe("a3");
    expect(requiredFamily("nvidia-tesla-t4")).toBe("n1");
    expect(requiredFamily("nvidia-l4")).toBe("g2");
    expect(requiredFamily("nvidia-h200-141gb")).toBe("a3");
    expect(requiredFamily("nvidia-b200")).toBe("a4");
    expect(builtInAccelerator("g2-standard-96")).toEqual({ acceleratorId: "nvidia-l4", count: 8 });
    expect(builtInAccelerator("n1-standard-4")).toBeUndefined();
  });
});
