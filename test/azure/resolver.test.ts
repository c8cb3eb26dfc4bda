import { describe, expect, it } from "vitest";
import { AKS_SPOT_LABEL, AKS_SPOT_TAINT, aksPoolNames, azureTags, azureTarget, carve, imageUrl, resolveAzure, workloadProfileName } from "../../src/targets/azure/index.js";
import { MlplatError } from "../../src/util/errors.js";
import type { NodePoolModel, PlatformModel } from "../../src/model/platform.js";
import { aksMlModel, ctx, platformModel } from "./fixtures.js";

const pool = (name: string, extra: Partial<NodePoolModel> = {}): NodePoolModel => ({
  name,
  instanceType: "Standard_D4s_v5",
  spot: false,
  min: 1,
  max: 2,
  diskGiB: 100,
  labels: {},
  taints: [],
  ...extra,
});

describe("azure resolver", () => {
  const props = resolveAzure(platformModel, ctx);

  it("derives globally unique names within Azure's rules", () => {
    expect(props.storage.accountName).toMatch(/^[a-z0-9]{3,24}$/);
    expect(props.storage.accountName.startsWith("frauddefaultst")).toBe(true);
    expect(props.registry.name).toMatch(/^[a-z0-9]{5,50}$/);
    expect(props.keyVault.name).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
    expect(props.keyVault.name).not.toContain("--");
    expect(props.registry.models?.storageAccountName).toMatch(/^[a-z0-9]{3,24}$/);
    expect(props.registry.models?.keyVaultName).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
    expect(props.registry.models?.storageAccountName).not.toBe(props.storage.accountName);
  });

  it("gives another subscription other global names", () => {
    const other = resolveAzure({ ...platformModel, azure: { ...platformModel.azure!, subscriptionId: "99999999-9999-9999-9999-999999999999" } }, ctx);
    expect(other.storage.accountName).not.toBe(props.storage.accountName);
    expect(other.registry.name).not.toBe(props.registry.name);
    expect(other.keyVault.name).not.toBe(props.keyVault.name);
    // Ordinary names do not depend on the subscription.
    expect(other.network.vnetName).toBe(props.network.vnetName);
  });

  it("is deterministic", () => {
    expect(resolveAzure(platformModel, ctx)).toEqual(props);
  });

  it("uses the model's resource group and region", () => {
    expect(props.resourceGroupName).toBe("fraud-default");
    expect(props.location).toBe("eastus");
    expect(resolveAzure(aksMlModel, ctx).resourceGroupName).toBe("vision-ml");
  });

  it("carves a /16 into nodes, a /23 for Container Apps, endpoints and a /28 for the API server", () => {
    expect(props.network.nodes.cidr).toBe("10.40.0.0/17");
    expect(props.network.apps.cidr).toBe("10.40.128.0/23");
    expect(props.network.endpoints.cidr).toBe("10.40.130.0/24");
    expect(props.network.apiServer.cidr).toBe("10.40.131.0/28");
  });

  it("carves a /24 without overlap, keeping the Container Apps subnet at /27 or larger", () => {
    const small = resolveAzure({ ...platformModel, network: { ...platformModel.network, cidr: "192.168.5.0/24" } }, ctx);
    expect([small.network.nodes.cidr, small.network.apps.cidr, small.network.endpoints.cidr, small.network.apiServer.cidr]).toEqual([
      "192.168.5.0/25",
      "192.168.5.128/26",
      "192.168.5.192/27",
      "192.168.5.224/28",
    ]);
  });

  it("aligns subnets to their size", () => {
    expect(carve(0x0a000000, 20, [21, 23, 24, 28])).toEqual(["10.0.0.0/21", "10.0.8.0/23", "10.0.10.0/24", "10.0.11.0/28"]);
  });

  it("throws when the network has no room", () => {
    expect(() => carve(0x0a000000, 24, [24, 25])).toThrow(MlplatError);
  });

  it("picks pod and service ranges outside the VNet", () => {
    expect(props.cluster?.podCidr).toBe("10.244.0.0/16");
    expect(props.cluster?.serviceCidr).toBe("172.20.0.0/16");
    expect(props.cluster?.dnsServiceIp).toBe("172.20.0.10");
    const clash = resolveAzure({ ...platformModel, network: { ...platformModel.network, cidr: "10.244.0.0/16" } }, ctx);
    expect(clash.cluster?.podCidr).toBe("172.28.0.0/14");
  });

  it("declares the spot taint and label AKS adds, beside the model's", () => {
    const train = props.cluster!.nodePools.find((p) => p.pool === "train")!;
    expect(train.taints).toEqual(["team=risk:NoSchedule", "nvidia.com/gpu=present:NoSchedule", AKS_SPOT_TAINT]);
    expect(train.labels[AKS_SPOT_LABEL.key]).toBe("spot");
    expect(train.labels["mlplat.io/capacity"]).toBe("spot");
    expect(train).toMatchObject({ vmSize: "Standard_ND96amsr_A100_v4", gpu: true, spot: true, min: 0, max: 4, osDiskSizeGiB: 500 });
    const infer = props.cluster!.nodePools.find((p) => p.pool === "infer")!;
    expect(infer.taints).toEqual(["nvidia.com/gpu=present:NoSchedule"]);
    expect(infer.labels).not.toHaveProperty(AKS_SPOT_LABEL.key);
  });

  it("fits AKS pool names to 12 alphanumerics, unique and never `system`", () => {
    const names = aksPoolNames([pool("gpu-a"), pool("gpua"), pool("system"), pool("a-very-long-pool-name-indeed")]).map(([, n]) => n);
    expect(names[0]).toBe("gpua");
    expect(names[1]).toMatch(/^gpua[a-z0-9]{4}$/);
    expect(names[2]).toMatch(/^system[a-z0-9]{4}$/);
    expect(names[3]).toMatch(/^[a-z][a-z0-9]{0,11}$/);
    expect(new Set(names).size).toBe(4);
  });

  it("builds image URLs on the platform registry, and keeps full URIs", () => {
    expect(props.serving?.endpoints[0].image).toBe(`${props.registry.name}.azurecr.io/serving:1.4.2`);
    expect(props.serving?.endpoints[0].fromRegistry).toBe(true);
    expect(imageUrl({ kind: "uri", uri: "mcr.microsoft.com/azureml/x:1" }, "r.azurecr.io")).toBe("mcr.microsoft.com/azureml/x:1");
  });

  it("maps GPU endpoints to a serverless GPU workload profile beside Consumption", () => {
    expect(props.serving?.workloadProfiles).toEqual([
      { name: "Consumption", type: "Consumption" },
      { name: "gpu-nc8as-t4", type: "Consumption-GPU-NC8as-T4" },
    ]);
    expect(props.serving?.endpoints[0]).toMatchObject({ workloadProfileName: "gpu-nc8as-t4", cpu: 8, memoryGiB: 56, minReplicas: 1, maxReplicas: 8, targetConcurrency: 8 });
    expect(workloadProfileName("Consumption-GPU-NC24-A100")).toBe("gpu-nc24-a100");
  });

  it("runs CPU endpoints on the Consumption profile", () => {
    const cpu = resolveAzure(
      { ...platformModel, endpoints: [{ ...platformModel.endpoints[0], gpu: undefined, instanceType: undefined, cpu: 1, memoryGiB: 2 }] },
      ctx,
    );
    expect(cpu.serving?.workloadProfiles).toEqual([{ name: "Consumption", type: "Consumption" }]);
    expect(cpu.serving?.endpoints[0].workloadProfileName).toBe("Consumption");
  });

  it("throws naming `runtime: kubernetes` when a GPU endpoint has no serverless profile", () => {
    const bad = { ...platformModel, endpoints: [{ ...platformModel.endpoints[0], gpu: { type: "H100", count: 1 }, instanceType: undefined }] };
    expect(() => resolveAzure(bad, ctx)).toThrow(/runtime: kubernetes|Container Apps serverless GPU/);
    try {
      resolveAzure(bad, ctx);
    } catch (e) {
      expect((e as MlplatError).hint).toContain("runtime: kubernetes");
    }
  });

  it("leaves kubernetes endpoints out of Container Apps", () => {
    const k8s = resolveAzure({ ...platformModel, endpoints: [{ ...platformModel.endpoints[0], runtime: "kubernetes", pool: "infer" }] }, ctx);
    expect(k8s.serving).toBeUndefined();
  });

  it("points endpoint models at the bucket's container", () => {
    expect(props.serving?.endpoints[0].model).toEqual({ container: "models", path: "scorer/1.4.2/" });
  });

  it("protects the account, vault and ML storage when any bucket is protected", () => {
    expect(props.storage.protect).toBe(true);
    expect(props.keyVault.protect).toBe(true);
    expect(props.registry.models?.protect).toBe(true);
    const loose = resolveAzure({ ...platformModel, buckets: platformModel.buckets.map((b) => ({ ...b, protect: false })) }, ctx);
    expect(loose.storage.protect).toBe(false);
    expect(loose.keyVault.protect).toBe(false);
  });

  it("uses the azurerm backend, or the local one offline and by default", () => {
    expect(resolveAzure(aksMlModel, ctx).backend).toEqual({
      kind: "azurerm",
      resourceGroupName: "tfstate",
      storageAccountName: "acmetfstate",
      containerName: "tfstate",
      key: "vision-default.tfstate",
      subscriptionId: "11111111-1111-1111-1111-111111111111",
    });
    expect(resolveAzure(aksMlModel, { ...ctx, offline: true }).backend).toEqual({ kind: "local", path: ctx.localStatePath });
    expect(props.backend).toEqual({ kind: "local", path: ctx.localStatePath });
  });

  it("lists what azurerm cannot enforce", () => {
    const text = props.limitations.join("\n");
    expect(text).toContain("registry.images[serving].immutableTags");
    expect(text).toContain("registry.images[serving].scanOnPush");
    expect(text).toContain("registry.images[serving].keepLast");
    expect(text).toContain("Azure ML managed online endpoints do not exist in azurerm");
    expect(text).toContain("serving.endpoints[scorer].alarms.errorRatePercent");
  });

  it("says in the output when a private cluster has no network path, and names the command-invoke fallback", () => {
    expect(props.limitations.some((l) => l.startsWith("network.adminCidrs is empty"))).toBe(false);
    const closed = resolveAzure({ ...platformModel, network: { ...platformModel.network, adminCidrs: [] } }, ctx);
    const line = closed.limitations.find((l) => l.startsWith("network.adminCidrs is empty"));
    expect(line).toContain("az aks command invoke");
    expect(closed.cluster?.commandInvoke).toBe(
      "az aks command invoke --resource-group fraud-default --name fraud-default-aks --subscription 00000000-0000-0000-0000-000000000000 --command",
    );
    // Without a cluster there is no API to reach: the vault needs no path from the runner.
    const noCluster = resolveAzure({ ...platformModel, cluster: undefined, endpoints: [], network: { ...platformModel.network, adminCidrs: [] } }, ctx);
    expect(noCluster.limitations.some((l) => l.startsWith("network.adminCidrs"))).toBe(false);
  });

  it("puts only the public adminCidrs into the vault firewall (Key Vault IP rules reject private ranges)", () => {
    const mixed = resolveAzure({ ...platformModel, network: { ...platformModel.network, adminCidrs: ["10.99.0.0/16", "203.0.113.0/24", "172.16.4.0/22", "192.168.1.0/24"] } }, ctx);
    expect(mixed.keyVault.ipRules).toEqual(["203.0.113.0/24"]);
    expect(mixed.cluster?.adminCidrs).toEqual(["10.99.0.0/16", "203.0.113.0/24", "172.16.4.0/22", "192.168.1.0/24"]);
  });

  it("gives the registry key its own vault name, within Key Vault's 24 characters", () => {
    expect(props.keyVault.registryVaultName).toMatch(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/);
    expect(props.keyVault.registryVaultName).not.toBe(props.keyVault.name);
    expect(props.network.privateDnsZones).toContain("privatelink.vaultcore.azure.net");
    expect(props.storage.noncurrentVersionDays).toBe(90);
  });

  it("fits tag names to Azure's characters", () => {
    expect(azureTags({ "team/area": "ml", ok: "v" })).toEqual({ "team-area": "ml", ok: "v" });
    expect(azureTags({ "a${x}%{y}": "v${z}" })).toEqual({ "a--x---y-": "v${z}" });
  });

  it("throws for a model without the azure block", () => {
    expect(() => resolveAzure({ ...platformModel, azure: undefined } as PlatformModel, ctx)).toThrow(/subscriptionId/);
  });

  it("loads the Azure stack factory lazily", async () => {
    expect(azureTarget.cloud).toBe("azure");
    expect(typeof (await azureTarget.loadStack())).toBe("function");
  });
});
