import { Construct } from "constructs";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone/index.js";
import { PrivateDnsARecord } from "@cdktf/provider-azurerm/lib/private-dns-a-record/index.js";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link/index.js";
import { AzapiResource } from "./azapi-resource.js";
import { ContainerAppEndpoint, type ContainerAppEndpointProps } from "./container-app-endpoint.js";
import { assertNoReservedIds } from "./reserved-ids.js";

/**
 * `serving` endpoints with `runtime: managed` on Azure: a Container Apps environment with
 * serverless GPU workload profiles, and one Container App per endpoint.
 *
 * The environment is an `azapi_resource`: azurerm 4.x sends a MinimumCount for every workload
 * profile and the API rejects it for Consumption-GPU profiles (terraform-provider-azurerm issue
 * 31763). It is internal (no public IP) and VNet-integrated in the platform's delegated apps
 * subnet; logs go to Azure Monitor (diagnostic settings into Log Analytics, no shared key in
 * the config). A private DNS zone for the environment's default domain resolves the apps from
 * the VNet. Apps run as a user-assigned identity with AcrPull on the platform registry and
 * Storage Blob Data Reader on the containers of their model artifacts.
 *
 * Construct ids are API: `serving` (environment), `serving/<endpoint>`, `serving/identity`,
 * `serving/acr-pull`, `serving/model-read-<container>`, `serving/dns`, `serving/dns-link`,
 * `serving/dns-wildcard`.
 */
export interface ContainerAppsServingProps {
  readonly resourceGroupName: string;
  readonly resourceGroupId: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly environmentName: string;
  readonly identityName: string;
  /** Workload profiles: always `Consumption`, plus one per GPU profile type in use. */
  readonly workloadProfiles: readonly { readonly name: string; readonly type: string }[];
  readonly appsSubnetId: string;
  readonly vnetId: string;
  readonly registryId: string;
  readonly registryLoginServer: string;
  readonly storageAccountId: string;
  /** Blob endpoint of the platform storage account, for model URIs. */
  readonly storageBlobEndpoint: string;
  readonly endpoints: readonly Omit<ContainerAppEndpointProps, "resourceGroupName" | "tags" | "environmentId" | "identityId" | "identityClientId" | "registryLoginServer" | "storageBlobEndpoint" | "dependsOnAccess">[];
  /**
   * ARM API version of Microsoft.App/managedEnvironments.
   * @default "2024-03-01"
   */
  readonly apiVersion?: string;
}

export class ContainerAppsServing extends Construct {
  readonly environment: AzapiResource;
  readonly identity: UserAssignedIdentity;
  readonly apps: ReadonlyMap<string, ContainerAppEndpoint>;

  constructor(scope: Construct, id: string, props: ContainerAppsServingProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    assertNoReservedIds("serving.endpoints", props.endpoints.map((e) => e.endpoint), ["Resource", "identity", "acr-pull", "model-read-*", "dns", "dns-link", "dns-wildcard"]);
    const gpuProfiles = props.workloadProfiles.filter((p) => p.type !== "Consumption");
    if (props.workloadProfiles.filter((p) => p.type === "Consumption").length !== 1) {
      throw new Error("serving: the environment needs exactly one Consumption workload profile");
    }
    for (const p of gpuProfiles) {
      if (!p.type.startsWith("Consumption-GPU-")) {
        throw new Error(`serving: workload profile ${p.name} has type ${p.type}; only Consumption-GPU-* serverless profiles are supported`);
      }
    }

    this.identity = new UserAssignedIdentity(this, "identity", { ...common, name: props.identityName });
    const access = [
      new RoleAssignment(this, "acr-pull", {
        scope: props.registryId,
        roleDefinitionName: "AcrPull",
        principalId: this.identity.principalId,
        principalType: "ServicePrincipal",
      }),
    ];
    const modelContainers = [...new Set(props.endpoints.flatMap((e) => (e.model ? [e.model.container] : [])))];
    for (const c of modelContainers) {
      access.push(
        new RoleAssignment(this, `model-read-${c}`, {
          scope: `${props.storageAccountId}/blobServices/default/containers/${c}`,
          roleDefinitionName: "Storage Blob Data Reader",
          principalId: this.identity.principalId,
          principalType: "ServicePrincipal",
        }),
      );
    }

    this.environment = new AzapiResource(this, "Resource", {
      type: `Microsoft.App/managedEnvironments@${props.apiVersion ?? "2024-03-01"}`,
      name: props.environmentName,
      parentId: props.resourceGroupId,
      location: props.location,
      tags: props.tags,
      body: {
        properties: {
          vnetConfiguration: { infrastructureSubnetId: props.appsSubnetId, internal: true },
          workloadProfiles: props.workloadProfiles.map((p) => ({ name: p.name, workloadProfileType: p.type })),
          appLogsConfiguration: { destination: "azure-monitor" },
          zoneRedundant: false,
          peerAuthentication: { mtls: { enabled: true } },
        },
      },
      responseExportValues: ["properties.defaultDomain", "properties.staticIp"],
    });

    // Internal environments publish no DNS: resolve <app>.<defaultDomain> to the environment's
    // internal load balancer from the VNet.
    const zone = new PrivateDnsZone(this, "dns", {
      resourceGroupName: props.resourceGroupName,
      name: this.environment.output("properties.defaultDomain").toString(),
      tags: props.tags,
    });
    new PrivateDnsZoneVirtualNetworkLink(this, "dns-link", {
      resourceGroupName: props.resourceGroupName,
      name: `${props.environmentName}-link`,
      privateDnsZoneName: zone.name,
      virtualNetworkId: props.vnetId,
      registrationEnabled: false,
      tags: props.tags,
    });
    new PrivateDnsARecord(this, "dns-wildcard", {
      resourceGroupName: props.resourceGroupName,
      zoneName: zone.name,
      name: "*",
      ttl: 300,
      records: [this.environment.output("properties.staticIp").toString()],
    });

    const apps = new Map<string, ContainerAppEndpoint>();
    for (const e of props.endpoints) {
      if (!props.workloadProfiles.some((p) => p.name === e.workloadProfileName)) {
        throw new Error(`serving endpoint ${e.endpoint}: workload profile ${e.workloadProfileName} is not in the environment`);
      }
      apps.set(
        e.endpoint,
        new ContainerAppEndpoint(this, e.endpoint, {
          ...e,
          resourceGroupName: props.resourceGroupName,
          tags: props.tags,
          environmentId: this.environment.id,
          identityId: this.identity.id,
          identityClientId: this.identity.clientId,
          registryLoginServer: props.registryLoginServer,
          storageBlobEndpoint: props.storageBlobEndpoint,
          dependsOnAccess: access,
        }),
      );
    }
    this.apps = apps;
  }
}
