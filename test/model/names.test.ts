import { describe, expect, it } from "vitest";
import { NAME_RULES, deriveName, fitName, globalName, stableHash } from "../../src/model/names.js";
import type { PlatformModel } from "../../src/model/platform.js";

const model = { name: "fraud", env: "default", cloud: "aws", aws: { accountId: "123456789012" } } as PlatformModel;

describe("names", () => {
  it("derives <name>-<env>-<item>", () => {
    expect(deriveName(model, "datasets", NAME_RULES.dns63)).toBe("fraud-default-datasets");
  });
  it("gives globally unique names a stable hashed suffix that depends on the account", () => {
    const a = globalName(model, "datasets", NAME_RULES.dns63);
    expect(a).toMatch(/^fraud-default-datasets-[a-z0-9]{6}$/);
    expect(globalName(model, "datasets", NAME_RULES.dns63)).toBe(a);
    const other = { ...model, aws: { accountId: "210987654321" } } as PlatformModel;
    expect(globalName(other, "datasets", NAME_RULES.dns63)).not.toBe(a);
  });
  it("fits Azure storage account rules: 3-24 lowercase alphanumerics", () => {
    const n = globalName({ ...model, cloud: "azure", azure: { subscriptionId: "s", resourceGroup: "r" }, name: "very-long-platform", env: "production" } as PlatformModel, "st", NAME_RULES.azureStorageAccount);
    expect(n).toMatch(/^[a-z0-9]{3,24}$/);
  });
  it("cuts long names and keeps them unique with a hash", () => {
    const a = fitName("a".repeat(80), NAME_RULES.dns63);
    const b = fitName("a".repeat(81), NAME_RULES.dns63);
    expect(a.length).toBe(63);
    expect(a).not.toBe(b);
  });
  it("fits AKS pool names to 12 alphanumerics starting with a letter", () => {
    expect(fitName("gpu-train-a100-spot", NAME_RULES.aksNodePool)).toMatch(/^[a-z][a-z0-9]{0,11}$/);
    expect(fitName("9pool", NAME_RULES.aksNodePool)).toBe("x9pool");
  });
  it("hashes stably", () => {
    expect(stableHash(["a", "b"])).toBe(stableHash(["a", "b"]));
    expect(stableHash(["a", "b"])).not.toBe(stableHash(["ab"]));
  });
});
