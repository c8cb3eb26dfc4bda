import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group/index.js";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network/index.js";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet/index.js";
import { NatGateway } from "@cdktf/provider-azurerm/lib/nat-gateway/index.js";
import { PublicIp } from "@cdktf/provider-azurerm/lib/public-ip/index.js";
import { NatGatewayPublicIpAssociation } from "@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association/index.js";
import { SubnetNatGatewayAssociation } from "@cdktf/provider-azurerm/lib/subnet-nat-gateway-association/index.js";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone/index.js";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link/index.js";
import { PrivateDnsARecord } from "@cdktf/provider-azurerm/lib/private-dns-a-record/index.js";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint/index.js";
import { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity/index.js";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account/index.js";
import { StorageContainer } from "@cdktf/provider-azurerm/lib/storage-container/index.js";
import { StorageManagementPolicy } from "@cdktf/provider-azurerm/lib/storage-management-policy/index.js";
import { ContainerRegistry } from "@cdktf/provider-azurerm/lib/container-registry/index.js";
import { MachineLearningWorkspace } from "@cdktf/provider-azurerm/lib/machine-learning-workspace/index.js";
import { ApplicationInsights } from "@cdktf/provider-azurerm/lib/application-insights/index.js";
import { KubernetesCluster } from "@cdktf/provider-azurerm/lib/kubernetes-cluster/index.js";
import { KubernetesClusterNodePool } from "@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool/index.js";
import { ContainerApp } from "@cdktf/provider-azurerm/lib/container-app/index.js";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace/index.js";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group/index.js";
import { MonitorDiagnosticSetting } from "@cdktf/provider-azurerm/lib/monitor-diagnostic-setting/index.js";
import { MonitorMetricAlert } from "@cdktf/provider-azurerm/lib/monitor-metric-alert/index.js";
import { ConsumptionBudgetResourceGroup } from "@cdktf/provider-azurerm/lib/consumption-budget-resource-group/index.js";
import { DataAzurermClientConfig } from "@cdktf/provider-azurerm/lib/data-azurerm-client-config/index.js";
import { AzurePlatformStack, RESOURCE_PROVIDERS } from "../../stacks/azure/index.js";
import { AzapiResource } from "../../stacks/azure/azapi-resource.js";
import { AzapiResourceAction } from "../../stacks/azure/azapi-resource-action.js";
import { NONCURRENT_VERSION_DAYS, resolveAzure, type AzurePlatformProps } from "../../src/targets/azure/index.js";
import type { PlatformModel, SynthContext } from "../../src/model/platform.js";
import { Template } from "../helpers/template.js";
import { aksMlModel, ctx, platformModel } from "./fixtures.js";

function synth(model: PlatformModel, c: SynthContext = ctx): { t: Template; props: AzurePlatformProps } {
  const props = resolveAzure(model, c);
  const stack = new AzurePlatformStack(Testing.app(), model.stackName, props);
  return { t: Template.fromJson(Testing.synth(stack)), props };
}

const T = {
  rg: ResourceGroup.tfResourceType,
  vnet: VirtualNetwork.tfResourceType,
  subnet: Subnet.tfResourceType,
  nat: NatGateway.tfResourceType,
  pip: PublicIp.tfResourceType,
  natPip: NatGatewayPublicIpAssociation.tfResourceType,
  subnetNat: SubnetNatGatewayAssociation.tfResourceType,
  zone: PrivateDnsZone.tfResourceType,
  zoneLink: PrivateDnsZoneVirtualNetworkLink.tfResourceType,
  aRecord: PrivateDnsARecord.tfResourceType,
  pe: PrivateEndpoint.tfResourceType,
  kv: KeyVault.tfResourceType,
  key: AzapiResourceAction.tfResourceType,
  role: RoleAssignment.tfResourceType,
  uai: UserAssignedIdentity.tfResourceType,
  sa: StorageAccount.tfResourceType,
  container: StorageContainer.tfResourceType,
  policy: StorageManagementPolicy.tfResourceType,
  acr: ContainerRegistry.tfResourceType,
  mlw: MachineLearningWorkspace.tfResourceType,
  appi: ApplicationInsights.tfResourceType,
  aks: KubernetesCluster.tfResourceType,
  pool: KubernetesClusterNodePool.tfResourceType,
  app: ContainerApp.tfResourceType,
  law: LogAnalyticsWorkspace.tfResourceType,
  ag: MonitorActionGroup.tfResourceType,
  diag: MonitorDiagnosticSetting.tfResourceType,
  alert: MonitorMetricAlert.tfResourceType,
  budget: ConsumptionBudgetResourceGroup.tfResourceType,
  azapi: AzapiResource.tfResourceType,
};

const ref = (type: string, id: string, attr = "id") => `\${${type}.${id}.${attr}}`;

describe("Azure platform stack (the spec's example)", () => {
  const { t, props } = synth(platformModel);
  const tags = props.tags;

  it("produces exactly the expected resources", () => {
    expect(t.addresses()).toEqual(
      [
        `${T.azapi}.serving`,
        `${T.appi}.registry_models_insights`,
        `${T.budget}.budget`,
        `${T.app}.serving_scorer`,
        `${T.acr}.registry`,
        `${T.kv}.kms`,
        `${T.kv}.kms_registry-vault`,
        `${T.kv}.registry_models_key-vault`,
        `${T.key}.kms_cluster-key`,
        `${T.key}.kms_registry-vault_key`,
        `${T.key}.kms_storage-key`,
        `${T.aks}.cluster`,
        `${T.pool}.cluster_infer`,
        `${T.pool}.cluster_train`,
        `${T.law}.observability`,
        `${T.mlw}.registry_models`,
        `${T.ag}.observability_alerts`,
        ...["cluster", "kms", "kms-registry-vault", "registry", "serving", "storage"].map((s) => `${T.diag}.observability_${s}-logs`),
        ...["cluster-cpu", "cluster-memory", "scorer-errors", "scorer-latency", "storage-availability"].map((s) => `${T.alert}.observability_${s}`),
        `${T.nat}.network_nat`,
        `${T.natPip}.network_nat-ip-association`,
        `${T.aRecord}.serving_dns-wildcard`,
        ...["api-azureml-ms", "azurecr-io", "blob-core-windows-net", "file-core-windows-net", "notebooks-azure-net", "vaultcore-azure-net"].map((z) => `${T.zone}.network_dns-${z}`),
        `${T.zone}.serving_dns`,
        ...["api-azureml-ms", "azurecr-io", "blob-core-windows-net", "file-core-windows-net", "notebooks-azure-net", "vaultcore-azure-net"].map((z) => `${T.zoneLink}.network_dns-${z}-link`),
        `${T.zoneLink}.serving_dns-link`,
        ...["kms_endpoint", "registry_endpoint", "registry_models_endpoint", "registry_models_storage-blob-endpoint", "registry_models_storage-file-endpoint", "storage_blob-endpoint"].map((p) => `${T.pe}.${p}`),
        `${T.pip}.network_nat-ip`,
        `${T.rg}.resource-group`,
        ...[
          "cluster_admin",
          "cluster_key-access",
          "cluster_kubelet-acr-pull",
          "cluster_network-access",
          "cluster_vault-access",
          "kms_crypto-officer",
          "registry_key-access",
          "serving_acr-pull",
          "serving_model-read-models",
          "storage_key-access",
        ].map((r) => `${T.role}.${r}`),
        `${T.sa}.registry_models_storage`,
        `${T.sa}.storage`,
        `${T.container}.storage_datasets`,
        `${T.container}.storage_models`,
        `${T.policy}.storage_lifecycle`,
        ...["apiserver", "apps", "endpoints", "nodes"].map((s) => `${T.subnet}.network_${s}`),
        `${T.subnetNat}.network_apps-nat`,
        `${T.subnetNat}.network_nodes-nat`,
        ...["cluster_identity", "registry_identity", "serving_identity", "storage_identity"].map((u) => `${T.uai}.${u}`),
        `${T.vnet}.network`,
      ].sort(),
    );
  });

  it("configures azurerm with key vault recovery, ARM-only storage and the resource providers it needs, and azapi from azure/azapi", () => {
    const azurerm = t.providers().azurerm[0];
    expect(azurerm).toMatchObject({
      subscription_id: "00000000-0000-0000-0000-000000000000",
      storage_use_azuread: true,
      resource_provider_registrations: "core",
      resource_providers_to_register: [...RESOURCE_PROVIDERS],
      features: [
        {
          key_vault: [
            { recover_soft_deleted_key_vaults: true, recover_soft_deleted_keys: true, purge_soft_delete_on_destroy: false, purge_soft_deleted_keys_on_destroy: false },
          ],
          resource_group: [{ prevent_deletion_if_contains_resources: true }],
          storage: [{ data_plane_available: false }],
        },
      ],
    });
    expect(t.providers().azapi).toEqual([{ subscription_id: "00000000-0000-0000-0000-000000000000" }]);
    expect(t.json.terraform.required_providers.azapi).toEqual({ source: "azure/azapi", version: "~> 2.7" });
    expect(t.json.terraform.required_providers.azurerm.version).toBe("4.55.0");
  });

  it("keeps state in the local backend at the context's path", () => {
    expect(t.backend()).toEqual({ local: { path: ctx.localStatePath } });
  });

  it("reads the deploying identity from azurerm_client_config", () => {
    expect(Object.keys(t.dataSources(DataAzurermClientConfig.tfResourceType))).toEqual(["deployer"]);
  });

  it("creates the resource group with the model's tags", () => {
    expect(t.resource(T.rg, "resource-group")).toEqual({ name: "fraud-default", location: "eastus", tags });
    expect(tags).toMatchObject({ owner: "risk-ml@example.com", "cost-center": "4411", "managed-by": "mlplat" });
  });

  it("tags every taggable resource", () => {
    for (const type of [T.vnet, T.nat, T.pip, T.kv, T.sa, T.acr, T.aks, T.pool, T.app, T.law, T.uai, T.pe, T.zone, T.azapi, T.mlw, T.appi, T.ag, T.alert]) {
      t.allResourcesHaveProperties(type, { tags });
    }
  });

  describe("network", () => {
    it("creates the VNet from network.cidr", () => {
      expect(t.resource(T.vnet, "network")).toMatchObject({ name: "fraud-default-vnet", address_space: ["10.40.0.0/16"], location: "eastus" });
    });

    it("turns default outbound access off on every subnet", () => {
      t.allResourcesHaveProperties(T.subnet, { default_outbound_access_enabled: false, virtual_network_name: ref(T.vnet, "network", "name") });
    });

    it("delegates the apps subnet to Container Apps and the apiserver subnet to AKS", () => {
      expect(t.resource(T.subnet, "network_apps")).toMatchObject({
        address_prefixes: ["10.40.128.0/23"],
        delegation: [{ service_delegation: { name: "Microsoft.App/environments" } }],
      });
      expect(t.resource(T.subnet, "network_apiserver")).toMatchObject({
        address_prefixes: ["10.40.131.0/28"],
        delegation: [{ service_delegation: { name: "Microsoft.ContainerService/managedClusters" } }],
      });
      expect(t.resource(T.subnet, "network_nodes")).toMatchObject({ address_prefixes: ["10.40.0.0/17"], service_endpoints: ["Microsoft.KeyVault", "Microsoft.Storage"] });
      expect(t.resource(T.subnet, "network_endpoints")).toMatchObject({ address_prefixes: ["10.40.130.0/24"] });
    });

    it("sends egress of nodes and apps through a NAT gateway with a static public IP", () => {
      expect(t.resource(T.pip, "network_nat-ip")).toMatchObject({ allocation_method: "Static", sku: "Standard" });
      expect(t.resource(T.nat, "network_nat")).toMatchObject({ sku_name: "Standard" });
      expect(t.resource(T.natPip, "network_nat-ip-association")).toEqual({
        nat_gateway_id: ref(T.nat, "network_nat"),
        public_ip_address_id: ref(T.pip, "network_nat-ip"),
      });
      expect(t.resource(T.subnetNat, "network_nodes-nat")).toEqual({ subnet_id: ref(T.subnet, "network_nodes"), nat_gateway_id: ref(T.nat, "network_nat") });
      expect(t.resource(T.subnetNat, "network_apps-nat")).toEqual({ subnet_id: ref(T.subnet, "network_apps"), nat_gateway_id: ref(T.nat, "network_nat") });
    });

    it("links the private endpoint DNS zones to the VNet", () => {
      expect(Object.values(t.resources(T.zone)).map((z) => z.name).filter((n) => n.startsWith("privatelink.")).sort()).toEqual([
        "privatelink.api.azureml.ms",
        "privatelink.azurecr.io",
        "privatelink.blob.core.windows.net",
        "privatelink.file.core.windows.net",
        "privatelink.notebooks.azure.net",
        "privatelink.vaultcore.azure.net",
      ]);
      t.allResourcesHaveProperties(T.zoneLink, { registration_enabled: false });
      expect(t.resource(T.zoneLink, "network_dns-blob-core-windows-net-link")).toMatchObject({
        private_dns_zone_name: ref(T.zone, "network_dns-blob-core-windows-net", "name"),
        virtual_network_id: ref(T.vnet, "network"),
      });
    });
  });

  describe("kms", () => {
    it("creates a premium Key Vault with RBAC, purge protection and a deny-by-default firewall", () => {
      expect(t.resource(T.kv, "kms")).toMatchObject({
        name: props.keyVault.name,
        sku_name: "premium",
        rbac_authorization_enabled: true,
        purge_protection_enabled: true,
        soft_delete_retention_days: 90,
        tenant_id: ref("data.azurerm_client_config", "deployer", "tenant_id"),
        network_acls: {
          default_action: "Deny",
          bypass: "AzureServices",
          ip_rules: ["203.0.113.0/24"],
          virtual_network_subnet_ids: [ref(T.subnet, "network_nodes"), ref(T.subnet, "network_apps")],
        },
        lifecycle: { prevent_destroy: true },
      });
    });

    it("gives the deploying identity Key Vault Crypto Officer (for rotating the AKS key by hand); keys do not wait for it", () => {
      expect(t.resource(T.role, "kms_crypto-officer")).toEqual({
        scope: ref(T.kv, "kms"),
        role_definition_name: "Key Vault Crypto Officer",
        principal_id: ref("data.azurerm_client_config", "deployer", "object_id"),
      });
      for (const k of Object.values(t.resources(T.key))) expect(k.depends_on).toBeUndefined();
    });

    it("creates the keys through the management plane (ARM Keys - Create If Not Exist), never through the vault's data plane", () => {
      expect(t.resources("azurerm_key_vault_key")).toEqual({});
      expect(t.resource(T.key, "kms_storage-key")).toEqual({
        type: "Microsoft.KeyVault/vaults/keys@2023-07-01",
        resource_id: `${ref(T.kv, "kms")}/keys/storage`,
        method: "PUT",
        body: {
          tags: props.tags,
          properties: {
            kty: "RSA-HSM",
            keySize: 3072,
            keyOps: ["decrypt", "encrypt", "unwrapKey", "wrapKey"],
            attributes: { enabled: true },
            rotationPolicy: {
              attributes: { expiryTime: "P1Y" },
              lifetimeActions: [
                { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Rotate" } },
                { trigger: { timeBeforeExpiry: "P29D" }, action: { type: "Notify" } },
              ],
            },
          },
        },
        response_export_values: ["properties.keyUri", "properties.keyUriWithVersion"],
      });
      const cluster = t.resource(T.key, "kms_cluster-key");
      expect(cluster).toMatchObject({ resource_id: `${ref(T.kv, "kms")}/keys/cluster`, body: { properties: { kty: "RSA", keySize: 2048 } } });
      expect(cluster.body.properties.rotationPolicy).toBeUndefined();
      expect(t.resource(T.key, "kms_registry-vault_key")).toMatchObject({
        resource_id: `${ref(T.kv, "kms_registry-vault")}/keys/registry`,
        body: { properties: { kty: "RSA-HSM", keySize: 3072 } },
      });
    });

    it("forgets, never destroys, the v0.1 azurerm_key_vault_key resources", () => {
      expect(t.json.removed).toEqual(
        ["kms_storage-key", "kms_cluster-key", "kms_registry-key"].map((k) => ({ from: `azurerm_key_vault_key.${k}`, lifecycle: { destroy: false } })),
      );
    });

    it("reaches the vault through a private endpoint with the privatelink.vaultcore.azure.net zone", () => {
      expect(t.resource(T.pe, "kms_endpoint")).toMatchObject({
        subnet_id: ref(T.subnet, "network_endpoints"),
        private_service_connection: { private_connection_resource_id: ref(T.kv, "kms"), subresource_names: ["vault"] },
        private_dns_zone_group: { private_dns_zone_ids: [ref(T.zone, "network_dns-vaultcore-azure-net")] },
      });
      expect(t.resource(T.zone, "network_dns-vaultcore-azure-net").name).toBe("privatelink.vaultcore.azure.net");
    });

    it("keeps the registry key in its own vault without an IP firewall (ACR cannot use a firewalled vault at creation)", () => {
      expect(t.resource(T.kv, "kms_registry-vault")).toMatchObject({
        name: props.keyVault.registryVaultName,
        sku_name: "premium",
        rbac_authorization_enabled: true,
        purge_protection_enabled: true,
        network_acls: { default_action: "Allow", bypass: "AzureServices" },
        lifecycle: { prevent_destroy: true },
      });
      expect(props.keyVault.registryVaultName).not.toBe(props.keyVault.name);
    });
  });

  describe("storage", () => {
    it("creates one locked-down storage account encrypted with the platform key", () => {
      expect(t.resource(T.sa, "storage")).toMatchObject({
        name: props.storage.accountName,
        account_kind: "StorageV2",
        account_tier: "Standard",
        min_tls_version: "TLS1_2",
        https_traffic_only_enabled: true,
        allow_nested_items_to_be_public: false,
        shared_access_key_enabled: false,
        default_to_oauth_authentication: true,
        public_network_access_enabled: false,
        cross_tenant_replication_enabled: false,
        infrastructure_encryption_enabled: true,
        identity: { type: "UserAssigned", identity_ids: [ref(T.uai, "storage_identity")] },
        customer_managed_key: {
          key_vault_key_id: `${ref(T.kv, "kms", "vault_uri")}keys/storage`,
          user_assigned_identity_id: ref(T.uai, "storage_identity"),
        },
        network_rules: { default_action: "Deny", bypass: ["AzureServices"] },
        blob_properties: { versioning_enabled: true, delete_retention_policy: { days: 14 }, container_delete_retention_policy: { days: 14 } },
        depends_on: [`${T.role}.storage_key-access`],
        lifecycle: { prevent_destroy: true },
      });
    });

    it("lets the storage identity use the key", () => {
      expect(t.resource(T.role, "storage_key-access")).toEqual({
        scope: `${ref(T.kv, "kms")}/keys/storage`,
        role_definition_name: "Key Vault Crypto Service Encryption User",
        principal_id: ref(T.uai, "storage_identity", "principal_id"),
        principal_type: "ServicePrincipal",
        depends_on: [`${T.key}.kms_storage-key`],
      });
    });

    it("creates a private container per bucket through ARM, protected when the bucket is", () => {
      for (const b of ["datasets", "models"]) {
        expect(t.resource(T.container, `storage_${b}`)).toEqual({
          name: b,
          storage_account_id: ref(T.sa, "storage"),
          container_access_type: "private",
          lifecycle: { prevent_destroy: true },
        });
      }
    });

    it("writes a management policy rule from tiering and expireAfterDays, for current and previous versions", () => {
      expect(t.resource(T.policy, "storage_lifecycle")).toEqual({
        storage_account_id: ref(T.sa, "storage"),
        rule: [
          {
            name: "datasets",
            enabled: true,
            filters: { blob_types: ["blockBlob"], prefix_match: ["datasets/"] },
            actions: {
              base_blob: {
                tier_to_cool_after_days_since_modification_greater_than: 30,
                tier_to_archive_after_days_since_modification_greater_than: 180,
                delete_after_days_since_modification_greater_than: 730,
              },
              version: {
                change_tier_to_cool_after_days_since_creation: 30,
                change_tier_to_archive_after_days_since_creation: 180,
                delete_after_days_since_creation: 730,
              },
            },
          },
          {
            // Versioned account, no tiering or expiry on this bucket: previous versions still go.
            name: "models",
            enabled: true,
            filters: { blob_types: ["blockBlob"], prefix_match: ["models/"] },
            actions: { version: { delete_after_days_since_creation: NONCURRENT_VERSION_DAYS } },
          },
        ],
      });
      expect(NONCURRENT_VERSION_DAYS).toBe(90);
    });

    it("reaches the account through a blob private endpoint", () => {
      expect(t.resource(T.pe, "storage_blob-endpoint")).toMatchObject({
        subnet_id: ref(T.subnet, "network_endpoints"),
        private_service_connection: { is_manual_connection: false, private_connection_resource_id: ref(T.sa, "storage"), subresource_names: ["blob"] },
        private_dns_zone_group: { private_dns_zone_ids: [ref(T.zone, "network_dns-blob-core-windows-net")] },
      });
    });
  });

  describe("registry", () => {
    it("creates a Premium ACR with admin and anonymous pull off, its public endpoint open to the public adminCidrs only, encrypted with the registry vault's key", () => {
      expect(t.resource(T.acr, "registry")).toMatchObject({
        name: props.registry.name,
        sku: "Premium",
        admin_enabled: false,
        anonymous_pull_enabled: false,
        // The spec example lists 203.0.113.0/24: a runner there pushes images and mlplat checks them.
        public_network_access_enabled: true,
        network_rule_set: [{ default_action: "Deny", ip_rule: [{ action: "Allow", ip_range: "203.0.113.0/24" }] }],
        export_policy_enabled: true,
        retention_policy_in_days: 7,
        identity: { type: "UserAssigned", identity_ids: [ref(T.uai, "registry_identity")] },
        encryption: [{ key_vault_key_id: `${ref(T.kv, "kms_registry-vault", "vault_uri")}keys/registry`, identity_client_id: ref(T.uai, "registry_identity", "client_id") }],
        depends_on: [`${T.role}.registry_key-access`],
        lifecycle: { ignore_changes: ["encryption"] },
      });
      expect(t.resource(T.role, "registry_key-access")).toMatchObject({
        scope: `${ref(T.kv, "kms_registry-vault")}/keys/registry`,
        depends_on: [`${T.key}.kms_registry-vault_key`],
        role_definition_name: "Key Vault Crypto Service Encryption User",
      });
      expect(t.resource(T.pe, "registry_endpoint")).toMatchObject({
        private_service_connection: { private_connection_resource_id: ref(T.acr, "registry"), subresource_names: ["registry"] },
        private_dns_zone_group: { private_dns_zone_ids: [ref(T.zone, "network_dns-azurecr-io")] },
      });
    });

    it("creates the Azure ML workspace with its own key vault, insights and storage, linked to the ACR", () => {
      expect(t.resource(T.mlw, "registry_models")).toMatchObject({
        name: "fraud-default-mlw",
        application_insights_id: ref(T.appi, "registry_models_insights"),
        key_vault_id: ref(T.kv, "registry_models_key-vault"),
        storage_account_id: ref(T.sa, "registry_models_storage"),
        container_registry_id: ref(T.acr, "registry"),
        identity: { type: "SystemAssigned" },
        public_network_access_enabled: false,
        managed_network: { isolation_mode: "AllowOnlyApprovedOutbound" },
      });
      expect(t.resource(T.appi, "registry_models_insights")).toMatchObject({ workspace_id: ref(T.law, "observability"), local_authentication_disabled: true });
      expect(t.resource(T.kv, "registry_models_key-vault")).toMatchObject({
        rbac_authorization_enabled: true,
        purge_protection_enabled: true,
        network_acls: { default_action: "Deny", ip_rules: ["203.0.113.0/24"] },
        lifecycle: { prevent_destroy: true },
      });
    });

    it("keeps shared keys on the workspace storage only, and protects it like the platform's", () => {
      expect(t.resource(T.sa, "registry_models_storage")).toMatchObject({
        name: props.registry.models!.storageAccountName,
        shared_access_key_enabled: true,
        public_network_access_enabled: false,
        min_tls_version: "TLS1_2",
        allow_nested_items_to_be_public: false,
        customer_managed_key: { key_vault_key_id: `${ref(T.kv, "kms", "vault_uri")}keys/storage`, user_assigned_identity_id: ref(T.uai, "storage_identity") },
        lifecycle: { prevent_destroy: true },
      });
      expect(t.resource(T.pe, "registry_models_endpoint")).toMatchObject({
        private_service_connection: { subresource_names: ["amlworkspace"] },
        private_dns_zone_group: { private_dns_zone_ids: [ref(T.zone, "network_dns-api-azureml-ms"), ref(T.zone, "network_dns-notebooks-azure-net")] },
      });
      expect(t.resource(T.pe, "registry_models_storage-file-endpoint")).toMatchObject({ private_service_connection: { subresource_names: ["file"] } });
      expect(t.resource(T.pe, "registry_models_storage-blob-endpoint")).toMatchObject({ private_service_connection: { subresource_names: ["blob"] } });
    });
  });

  describe("cluster", () => {
    const aks = t.resource(T.aks, "cluster");

    it("creates a private AKS cluster with local accounts off and Entra RBAC", () => {
      expect(aks).toMatchObject({
        name: "fraud-default-aks",
        kubernetes_version: "1.33",
        private_cluster_enabled: true,
        private_cluster_public_fqdn_enabled: false,
        private_dns_zone_id: "System",
        local_account_disabled: true,
        role_based_access_control_enabled: true,
        azure_active_directory_role_based_access_control: { azure_rbac_enabled: true },
        oidc_issuer_enabled: true,
        workload_identity_enabled: true,
        sku_tier: "Standard",
      });
      expect(aks.azure_active_directory_role_based_access_control.admin_group_object_ids).toBeUndefined();
      expect(aks.api_server_access_profile).toEqual({ virtual_network_integration_enabled: true, subnet_id: ref(T.subnet, "network_apiserver") });
    });

    it("makes the deploying identity cluster admin when no admins are given", () => {
      expect(t.resource(T.role, "cluster_admin")).toEqual({
        scope: ref(T.aks, "cluster"),
        role_definition_name: "Azure Kubernetes Service RBAC Cluster Admin",
        principal_id: ref("data.azurerm_client_config", "deployer", "object_id"),
      });
    });

    it("encrypts secrets with the KMS key in private mode", () => {
      expect(aks.key_management_service).toEqual({ key_vault_key_id: ref(T.key, "kms_cluster-key", "output.properties.keyUriWithVersion"), key_vault_network_access: "Private" });
      expect(t.resource(T.role, "cluster_key-access")).toMatchObject({
        scope: `${ref(T.kv, "kms")}/keys/cluster`,
        depends_on: [`${T.key}.kms_cluster-key`],
        role_definition_name: "Key Vault Crypto User",
        principal_id: ref(T.uai, "cluster_identity", "principal_id"),
      });
      expect(t.resource(T.role, "cluster_vault-access")).toMatchObject({ scope: ref(T.kv, "kms"), role_definition_name: "Key Vault Contributor" });
      expect(t.resource(T.role, "cluster_network-access")).toMatchObject({ scope: ref(T.vnet, "network"), role_definition_name: "Network Contributor" });
      expect(aks.identity).toEqual({ type: "UserAssigned", identity_ids: [ref(T.uai, "cluster_identity")] });
      expect(aks.depends_on).toEqual([
        `${T.role}.cluster_key-access`,
        `${T.role}.cluster_vault-access`,
        `${T.role}.cluster_network-access`,
        `${T.subnetNat}.network_nodes-nat`,
        `${T.subnetNat}.network_apps-nat`,
      ]);
    });

    it("uses Azure CNI overlay with Cilium and egress through the NAT gateway", () => {
      expect(aks.network_profile).toEqual({
        network_plugin: "azure",
        network_plugin_mode: "overlay",
        network_data_plane: "cilium",
        network_policy: "cilium",
        pod_cidr: "10.244.0.0/16",
        service_cidr: "172.20.0.0/16",
        dns_service_ip: "172.20.0.10",
        load_balancer_sku: "standard",
        outbound_type: "userAssignedNATGateway",
      });
      expect(aks.oms_agent).toEqual({ log_analytics_workspace_id: ref(T.law, "observability"), msi_auth_for_monitoring_enabled: true });
    });

    it("restricts the system pool to critical add-ons and lets it autoscale", () => {
      expect(aks.default_node_pool).toMatchObject({
        name: "system",
        vm_size: "Standard_D4s_v5",
        only_critical_addons_enabled: true,
        auto_scaling_enabled: true,
        min_count: 1,
        max_count: 3,
        vnet_subnet_id: ref(T.subnet, "network_nodes"),
        node_public_ip_enabled: false,
      });
      expect(aks.lifecycle).toEqual({ ignore_changes: ["default_node_pool[0].node_count", "key_management_service[0].key_vault_key_id"] });
    });

    it("grants the kubelet identity AcrPull on the registry", () => {
      expect(t.resource(T.role, "cluster_kubelet-acr-pull")).toEqual({
        scope: ref(T.acr, "registry"),
        role_definition_name: "AcrPull",
        principal_id: "${azurerm_kubernetes_cluster.cluster.kubelet_identity[0].object_id}",
        principal_type: "ServicePrincipal",
      });
    });

    it("creates a spot GPU pool with the driver install, eviction Delete, no price cap and the AKS spot taint", () => {
      expect(t.resource(T.pool, "cluster_train")).toMatchObject({
        name: "train",
        kubernetes_cluster_id: ref(T.aks, "cluster"),
        mode: "User",
        vm_size: "Standard_ND96amsr_A100_v4",
        gpu_driver: "Install",
        priority: "Spot",
        eviction_policy: "Delete",
        spot_max_price: -1,
        auto_scaling_enabled: true,
        min_count: 0,
        max_count: 4,
        os_disk_size_gb: 500,
        orchestrator_version: "1.33",
        vnet_subnet_id: ref(T.subnet, "network_nodes"),
        node_taints: ["team=risk:NoSchedule", "nvidia.com/gpu=present:NoSchedule", "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"],
        node_labels: { "kubernetes.azure.com/scalesetpriority": "spot", "mlplat.io/capacity": "spot", "mlplat.io/pool": "train", workload: "training" },
        lifecycle: { ignore_changes: ["node_count"] },
      });
      expect(t.resource(T.pool, "cluster_train").upgrade_settings).toBeUndefined();
    });

    it("creates a regular GPU pool scaling from zero", () => {
      const infer = t.resource(T.pool, "cluster_infer");
      expect(infer).toMatchObject({ vm_size: "Standard_NC4as_T4_v3", gpu_driver: "Install", priority: "Regular", min_count: 0, max_count: 8, upgrade_settings: { max_surge: "1" } });
      expect(infer.eviction_policy).toBeUndefined();
      expect(infer.spot_max_price).toBeUndefined();
      expect(infer.node_taints).toEqual(["nvidia.com/gpu=present:NoSchedule"]);
    });
  });

  describe("serving", () => {
    const env = t.resource(T.azapi, "serving");

    it("creates an internal, VNet-integrated Container Apps environment with a T4 serverless GPU profile through azapi", () => {
      expect(env).toEqual({
        type: "Microsoft.App/managedEnvironments@2024-03-01",
        name: "fraud-default-apps",
        parent_id: ref(T.rg, "resource-group"),
        location: "eastus",
        tags,
        body: {
          properties: {
            vnetConfiguration: { infrastructureSubnetId: ref(T.subnet, "network_apps"), internal: true },
            workloadProfiles: [
              { name: "Consumption", workloadProfileType: "Consumption" },
              { name: "gpu-nc8as-t4", workloadProfileType: "Consumption-GPU-NC8as-T4" },
            ],
            appLogsConfiguration: { destination: "azure-monitor" },
            zoneRedundant: false,
            peerAuthentication: { mtls: { enabled: true } },
          },
        },
        response_export_values: ["properties.defaultDomain", "properties.staticIp"],
      });
      // No MinimumCount anywhere: that is what azurerm sends and the API rejects for GPU profiles.
      expect(JSON.stringify(env)).not.toMatch(/[mM]inimumCount/);
    });

    it("resolves the environment's apps from the VNet with a wildcard record", () => {
      expect(t.resource(T.zone, "serving_dns").name).toBe("${azapi_resource.serving.output.properties.defaultDomain}");
      expect(t.resource(T.aRecord, "serving_dns-wildcard")).toMatchObject({
        name: "*",
        zone_name: ref(T.zone, "serving_dns", "name"),
        records: ["${azapi_resource.serving.output.properties.staticIp}"],
      });
      expect(t.resource(T.zoneLink, "serving_dns-link")).toMatchObject({ virtual_network_id: ref(T.vnet, "network") });
    });

    it("gives the serving identity AcrPull and read access to the model's container only", () => {
      expect(t.resource(T.role, "serving_acr-pull")).toMatchObject({ scope: ref(T.acr, "registry"), role_definition_name: "AcrPull", principal_id: ref(T.uai, "serving_identity", "principal_id") });
      expect(t.resource(T.role, "serving_model-read-models")).toMatchObject({
        scope: `${ref(T.sa, "storage")}/blobServices/default/containers/models`,
        role_definition_name: "Storage Blob Data Reader",
      });
    });

    it("runs the endpoint as a Container App on the GPU profile, pulling from the ACR with its identity", () => {
      expect(t.resource(T.app, "serving_scorer")).toMatchObject({
        name: "fraud-default-scorer",
        container_app_environment_id: ref(T.azapi, "serving"),
        workload_profile_name: "gpu-nc8as-t4",
        revision_mode: "Single",
        identity: { type: "UserAssigned", identity_ids: [ref(T.uai, "serving_identity")] },
        registry: [{ server: ref(T.acr, "registry", "login_server"), identity: ref(T.uai, "serving_identity") }],
        ingress: { external_enabled: true, target_port: 8080, allow_insecure_connections: false, traffic_weight: [{ latest_revision: true, percentage: 100 }] },
        template: {
          min_replicas: 1,
          max_replicas: 8,
          container: [
            {
              name: "scorer",
              image: `${props.registry.name}.azurecr.io/serving:1.4.2`,
              cpu: 8,
              memory: "56Gi",
              env: [
                { name: "AZURE_CLIENT_ID", value: ref(T.uai, "serving_identity", "client_id") },
                { name: "MODEL_URI", value: "${azurerm_storage_account.storage.primary_blob_endpoint}models/scorer/1.4.2/" },
              ],
            },
          ],
          http_scale_rule: [{ name: "concurrency", concurrent_requests: "8" }],
        },
        depends_on: [`${T.role}.serving_acr-pull`, `${T.role}.serving_model-read-models`],
      });
    });
  });

  describe("observability", () => {
    it("creates Log Analytics with the blueprint's retention and Entra-only access", () => {
      expect(t.resource(T.law, "observability")).toMatchObject({ name: "fraud-default-log", retention_in_days: 30, sku: "PerGB2018", local_authentication_enabled: false });
    });

    it("e-mails alertEmails through one action group", () => {
      expect(t.resource(T.ag, "observability_alerts")).toMatchObject({
        short_name: "fraud",
        location: "global",
        email_receiver: [{ name: "email-1", email_address: "oncall@example.com", use_common_alert_schema: true }],
      });
      t.allResourcesHaveProperties(T.alert, { action: [{ action_group_id: ref(T.ag, "observability_alerts") }] });
    });

    it("sends AKS control-plane and storage, vault, registry and environment audit logs to the workspace", () => {
      t.allResourcesHaveProperties(T.diag, { log_analytics_workspace_id: ref(T.law, "observability") });
      expect(t.resource(T.diag, "observability_cluster-logs")).toMatchObject({
        target_resource_id: ref(T.aks, "cluster"),
        log_analytics_destination_type: "Dedicated",
        enabled_log: ["kube-apiserver", "kube-audit-admin", "kube-controller-manager", "kube-scheduler", "cluster-autoscaler", "guard"].map((category) => ({ category })),
      });
      expect(t.resource(T.diag, "observability_storage-logs")).toMatchObject({
        target_resource_id: `${ref(T.sa, "storage")}/blobServices/default`,
        enabled_log: [{ category_group: "audit" }],
        enabled_metric: [{ category: "Transaction" }],
      });
      expect(t.resource(T.diag, "observability_storage-logs").log_analytics_destination_type).toBeUndefined();
      expect(t.resource(T.diag, "observability_kms-logs")).toMatchObject({ target_resource_id: ref(T.kv, "kms"), enabled_log: [{ category_group: "audit" }] });
      expect(t.resource(T.diag, "observability_kms-registry-vault-logs")).toMatchObject({
        target_resource_id: ref(T.kv, "kms_registry-vault"),
        enabled_log: [{ category_group: "audit" }],
      });
      expect(t.resource(T.diag, "observability_registry-logs")).toMatchObject({ target_resource_id: ref(T.acr, "registry") });
      expect(t.resource(T.diag, "observability_serving-logs")).toMatchObject({ target_resource_id: ref(T.azapi, "serving"), enabled_log: [{ category_group: "allLogs" }] });
    });

    it("alerts on storage availability, node pressure and the endpoint's latency and 5xx responses", () => {
      expect(t.resource(T.alert, "observability_storage-availability")).toMatchObject({
        scopes: [ref(T.sa, "storage")],
        criteria: [{ metric_namespace: "Microsoft.Storage/storageAccounts", metric_name: "Availability", operator: "LessThan", threshold: 99 }],
      });
      expect(t.resource(T.alert, "observability_cluster-cpu")).toMatchObject({
        scopes: [ref(T.aks, "cluster")],
        criteria: [{ metric_name: "node_cpu_usage_percentage", operator: "GreaterThan", threshold: 90 }],
      });
      expect(t.resource(T.alert, "observability_cluster-memory")).toMatchObject({ criteria: [{ metric_name: "node_memory_working_set_percentage" }] });
      expect(t.resource(T.alert, "observability_scorer-latency")).toMatchObject({
        scopes: [ref(T.app, "serving_scorer")],
        criteria: [{ metric_namespace: "Microsoft.App/containerApps", metric_name: "ResponseTime", aggregation: "Maximum", threshold: 300 }],
      });
      expect(t.resource(T.alert, "observability_scorer-errors")).toMatchObject({
        criteria: [{ metric_name: "Requests", aggregation: "Total", threshold: 0, dimension: [{ name: "statusCodeCategory", operator: "Include", values: ["5xx"] }] }],
      });
    });
  });

  describe("budget", () => {
    it("creates a monthly budget on the resource group with one notification per threshold", () => {
      const b = t.resource(T.budget, "budget");
      expect(b).toMatchObject({
        name: "fraud-default-monthly",
        resource_group_id: ref(T.rg, "resource-group"),
        amount: 25000,
        time_grain: "Monthly",
        time_period: { start_date: "${formatdate(\"YYYY-MM-01'T'00:00:00Z\", timestamp())}" },
        lifecycle: { ignore_changes: ["time_period"] },
      });
      expect(b.notification).toEqual(
        [50, 80, 100].map((threshold) => ({ enabled: true, threshold, operator: "GreaterThanOrEqualTo", threshold_type: "Actual", contact_emails: ["finance@example.com"] })),
      );
    });
  });

  describe("outputs", () => {
    it("writes the snake_case outputs mlplat reads", () => {
      const o = t.outputs();
      expect(Object.keys(o).sort()).toEqual(
        ["azure_limitations", "bucket_names", "cluster_name", "endpoint_urls", "kubeconfig_command", "kubectl_command_invoke", "region", "registry_url", "registry_urls", "resource_group", "storage_account"],
      );
      expect(o.kubectl_command_invoke.value).toBe(
        'az aks command invoke --resource-group fraud-default --name fraud-default-aks --subscription 00000000-0000-0000-0000-000000000000 --command "kubectl get nodes"',
      );
      expect(o.cluster_name.value).toBe(ref(T.aks, "cluster", "name"));
      expect(o.kubeconfig_command.value).toBe(
        "az aks get-credentials --resource-group fraud-default --name fraud-default-aks --subscription 00000000-0000-0000-0000-000000000000",
      );
      expect(o.bucket_names.value).toEqual({ datasets: "datasets", models: "models" });
      expect(o.storage_account.value).toBe(ref(T.sa, "storage", "name"));
      expect(o.registry_url.value).toBe(ref(T.acr, "registry", "login_server"));
      expect(o.registry_urls.value).toEqual({ serving: `${props.registry.name}.azurecr.io/serving` });
      expect(o.endpoint_urls.value).toEqual({ scorer: "https://${azurerm_container_app.serving_scorer.ingress[0].fqdn}" });
      expect(o.resource_group.value).toBe(ref(T.rg, "resource-group", "name"));
      expect(o.region.value).toBe("eastus");
    });

    it("says in an output what azurerm cannot express", () => {
      const lines: string[] = t.outputs().azure_limitations.value;
      expect(lines.some((l) => l.includes("immutableTags"))).toBe(true);
      expect(lines.some((l) => l.includes("scanOnPush"))).toBe(true);
      expect(lines.some((l) => l.includes("managed online endpoints"))).toBe(true);
    });
  });
});

describe("Azure platform stack (AKS + Azure ML)", () => {
  const { t, props } = synth(aksMlModel);

  it("uses the azurerm backend with Entra auth", () => {
    expect(t.backend()).toEqual({
      azurerm: {
        resource_group_name: "tfstate",
        storage_account_name: "acmetfstate",
        container_name: "tfstate",
        key: "vision-default.tfstate",
        subscription_id: "11111111-1111-1111-1111-111111111111",
        use_azuread_auth: true,
      },
    });
  });

  it("falls back to the local backend offline", () => {
    expect(synth(aksMlModel, { ...ctx, offline: true }).t.backend()).toEqual({ local: { path: ctx.localStatePath } });
  });

  it("passes the tenant to both providers, the vaults and AKS", () => {
    expect(t.providers().azurerm[0].tenant_id).toBe("22222222-2222-2222-2222-222222222222");
    expect(t.providers().azapi[0].tenant_id).toBe("22222222-2222-2222-2222-222222222222");
    t.allResourcesHaveProperties(T.kv, { tenant_id: "22222222-2222-2222-2222-222222222222" });
    expect(t.resource(T.aks, "cluster").azure_active_directory_role_based_access_control.tenant_id).toBe("22222222-2222-2222-2222-222222222222");
  });

  it("makes the admins' Entra group cluster admin instead of the deployer", () => {
    expect(t.resource(T.aks, "cluster").azure_active_directory_role_based_access_control).toMatchObject({
      azure_rbac_enabled: true,
      admin_group_object_ids: ["33333333-3333-3333-3333-333333333333"],
    });
    expect(t.resources(T.role)).not.toHaveProperty("cluster_admin");
  });

  it("creates the spot T4 pool with a fitted name", () => {
    expect(t.resource(T.pool, "cluster_t4-spot")).toMatchObject({
      name: "t4spot",
      vm_size: "Standard_NC4as_T4_v3",
      gpu_driver: "Install",
      priority: "Spot",
      eviction_policy: "Delete",
      spot_max_price: -1,
      min_count: 0,
      max_count: 6,
      node_taints: ["nvidia.com/gpu=present:NoSchedule", "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"],
    });
  });

  it("scales the Container Apps GPU endpoint to zero, without a concurrency rule when none is asked", () => {
    const app = t.resource(T.app, "serving_detector");
    expect(app.template).toMatchObject({ min_replicas: 0, max_replicas: 4 });
    expect(app.template.http_scale_rule).toBeUndefined();
    expect(app.template.container[0].env).toEqual([{ name: "AZURE_CLIENT_ID", value: ref(T.uai, "serving_identity", "client_id") }]);
    expect(t.resources(T.role)).not.toHaveProperty("serving_model-read-artifacts");
  });

  it("creates no action group, budget or endpoint alerts when the blueprint asks for none", () => {
    t.resourceCountIs(T.ag, 0);
    t.resourceCountIs(T.budget, 0);
    expect(Object.keys(t.resources(T.alert)).sort()).toEqual(["observability_cluster-cpu", "observability_cluster-memory", "observability_storage-availability"]);
    for (const a of Object.values(t.resources(T.alert))) expect(a.action).toBeUndefined();
  });

  it("keeps retention and names from the model", () => {
    expect(t.resource(T.law, "observability").retention_in_days).toBe(90);
    expect(t.resource(T.rg, "resource-group").name).toBe("vision-ml");
    expect(t.resource(T.sa, "storage").name).toBe(props.storage.accountName);
  });
});

describe("Azure platform stack (minimal)", () => {
  const minimal: PlatformModel = {
    ...aksMlModel,
    buckets: [{ name: "scratch", versioning: false, protect: false }],
    registry: { images: [], models: false },
    cluster: undefined,
    endpoints: [],
    state: { backend: "local", dir: "/tmp" },
  };
  const { t } = synth(minimal);

  it("has no cluster, serving, ML workspace or cluster key without those sections", () => {
    for (const type of [T.aks, T.pool, T.app, T.azapi, T.mlw, T.appi]) t.resourceCountIs(type, 0);
    expect(Object.keys(t.resources(T.key)).sort()).toEqual(["kms_registry-vault_key", "kms_storage-key"]);
    expect(t.json.removed.map((r: { from: string }) => r.from)).not.toContain("azurerm_key_vault_key.kms_cluster-key");
    expect(Object.keys(t.outputs())).not.toContain("cluster_name");
    expect(Object.keys(t.outputs())).not.toContain("endpoint_urls");
  });

  it("leaves unprotected data destroyable and versioning off", () => {
    expect(t.resource(T.sa, "storage").lifecycle).toBeUndefined();
    expect(t.resource(T.kv, "kms").lifecycle).toBeUndefined();
    expect(t.resource(T.key, "kms_storage-key").lifecycle).toBeUndefined();
    expect(t.resource(T.container, "storage_scratch").lifecycle).toBeUndefined();
    expect(t.resource(T.sa, "storage").blob_properties).toMatchObject({ versioning_enabled: false });
    t.resourceCountIs(T.policy, 0);
  });

  it("keeps the registry's public endpoint and exports off without public adminCidrs", () => {
    expect(t.resource(T.acr, "registry")).toMatchObject({ public_network_access_enabled: false, export_policy_enabled: false });
    expect(t.resource(T.acr, "registry").network_rule_set).toBeUndefined();
    const privateOnly = synth({ ...platformModel, network: { ...platformModel.network, adminCidrs: ["10.99.0.0/16"] } }).t;
    expect(privateOnly.resource(T.acr, "registry")).toMatchObject({ public_network_access_enabled: false, export_policy_enabled: false });
    expect(privateOnly.resource(T.kv, "kms").network_acls.ip_rules).toEqual([]);
  });

  it("creates only the private DNS zones its endpoints use", () => {
    expect(Object.values(t.resources(T.zone)).map((z) => z.name).sort()).toEqual([
      "privatelink.azurecr.io",
      "privatelink.blob.core.windows.net",
      "privatelink.vaultcore.azure.net",
    ]);
  });

  it("opens the API server to adminCidrs when the cluster is not private", () => {
    const pub = synth({ ...aksMlModel, network: { ...aksMlModel.network, privateCluster: false, adminCidrs: ["198.51.100.0/24"] } }).t.resource(T.aks, "cluster");
    expect(pub.private_cluster_enabled).toBe(false);
    expect(pub.private_dns_zone_id).toBeUndefined();
    expect(pub.api_server_access_profile.authorized_ip_ranges).toEqual(["198.51.100.0/24"]);
  });

  it("throws when the API server would be public without adminCidrs", () => {
    expect(() => synth({ ...aksMlModel, network: { ...aksMlModel.network, privateCluster: false, adminCidrs: [] } })).toThrow(/public API server needs network.adminCidrs/);
  });

  it("rejects an item named like one of a section's own resources", () => {
    expect(() => synth({ ...minimal, buckets: [{ name: "lifecycle", versioning: true, protect: true }] })).toThrow(/storage.buckets: the name "lifecycle" is reserved/);
  });
});

describe("Azure platform stack (variations)", () => {
  const base = platformModel;

  it("installs no GPU driver on CPU pools and keeps them regular", () => {
    const cpu: PlatformModel = {
      ...base,
      cluster: {
        ...base.cluster!,
        nodePools: [{ name: "cpu", instanceType: "Standard_D8s_v5", spot: false, min: 1, max: 3, diskGiB: 100, labels: { "mlplat.io/pool": "cpu" }, taints: [] }],
      },
    };
    const pool = synth(cpu).t.resource(T.pool, "cluster_cpu");
    expect(pool).toMatchObject({ name: "cpu", vm_size: "Standard_D8s_v5", priority: "Regular", min_count: 1, max_count: 3, node_taints: [] });
    expect(pool.gpu_driver).toBeUndefined();
  });

  it("adds one serverless GPU profile per GPU type and a CPU endpoint on Consumption", () => {
    const scorer = base.endpoints[0];
    const many: PlatformModel = {
      ...base,
      endpoints: [
        scorer,
        { ...scorer, name: "ranker", gpu: { type: "A100-80GB", count: 1 }, instanceType: "Consumption-GPU-NC24-A100", cpu: 24, memoryGiB: 220, alarms: {} },
        { ...scorer, name: "tagger", gpu: undefined, instanceType: undefined, cpu: 1, memoryGiB: 2, model: undefined, alarms: {} },
        { ...scorer, name: "reuse", alarms: {}, model: undefined },
      ],
    };
    const { t } = synth(many);
    expect(t.resource(T.azapi, "serving").body.properties.workloadProfiles).toEqual([
      { name: "Consumption", workloadProfileType: "Consumption" },
      { name: "gpu-nc8as-t4", workloadProfileType: "Consumption-GPU-NC8as-T4" },
      { name: "gpu-nc24-a100", workloadProfileType: "Consumption-GPU-NC24-A100" },
    ]);
    expect(t.resource(T.app, "serving_ranker")).toMatchObject({ workload_profile_name: "gpu-nc24-a100", template: { container: [{ cpu: 24, memory: "220Gi" }] } });
    expect(t.resource(T.app, "serving_tagger")).toMatchObject({ workload_profile_name: "Consumption", template: { container: [{ cpu: 1, memory: "2Gi" }] } });
    expect(t.resource(T.app, "serving_reuse").workload_profile_name).toBe("gpu-nc8as-t4");
    expect(Object.keys(t.outputs().endpoint_urls.value).sort()).toEqual(["ranker", "reuse", "scorer", "tagger"]);
  });

  it("pulls a full image URI without registry credentials", () => {
    const ext: PlatformModel = { ...base, endpoints: [{ ...base.endpoints[0], image: { kind: "uri", uri: "mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest" } }] };
    const app = synth(ext).t.resource(T.app, "serving_scorer");
    expect(app.registry).toBeUndefined();
    expect(app.template.container[0].image).toBe("mcr.microsoft.com/azureml/minimal-ubuntu22.04-py39-cpu-inference:latest");
  });

  it("throws when an endpoint's replicas are inverted", () => {
    const bad: PlatformModel = { ...base, endpoints: [{ ...base.endpoints[0], autoscaling: { min: 3, max: 1 } }] };
    expect(() => synth(bad)).toThrow(/min 3 is greater than max 1/);
  });

  it("notifies the resource group's owners when the budget has no e-mails", () => {
    const quiet: PlatformModel = { ...base, budget: { monthlyUsd: 100, alertAtPercent: [80, 100], emails: [] } };
    const n = synth(quiet).t.resource(T.budget, "budget").notification;
    expect(n).toEqual([80, 100].map((threshold) => ({ enabled: true, threshold, operator: "GreaterThanOrEqualTo", threshold_type: "Actual", contact_roles: ["Owner"] })));
  });
});
