import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ContainerRegistry } from "@cdktf/provider-azurerm/lib/container-registry/index.js";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";
import { PrivateLink } from "./private-link.js";

/**
 * The `registry` section's images on Azure: one Premium container registry for the platform
 * (repositories are created on push). Admin user, anonymous pull and public network access are
 * off, so it is reached through its private endpoint with Entra identities; images are encrypted
 * with a customer-managed key through a user-assigned identity; untagged manifests expire after
 * `untaggedRetentionDays`. The key lives in its own vault (`RegistryKeyVault`): ACR cannot be
 * created against a firewalled vault with a user-assigned identity.
 *
 * ACR sets the customer-managed key only at creation (later changes are
 * `az acr encryption rotate-key`), so `encryption` is in `ignore_changes`: a registry created by
 * an earlier mlplat keeps the key it was created with instead of being replaced.
 *
 * azurerm cannot express per-repository immutable tags or scan on push (ACR scanning is the
 * subscription-level Defender for Containers plan); the resolver lists them in the stack's
 * `azure_limitations` output.
 *
 * Construct ids are API: `registry` (registry), `registry/identity`, `registry/key-access`,
 * `registry/endpoint`.
 */
export interface PlatformRegistryProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly name: string;
  readonly identityName: string;
  /** Versionless id of the encryption key (ACR follows key rotation). */
  readonly keyVersionlessId: string;
  /** ARM id of the key, the scope of the identity's crypto role. */
  readonly keyResourceId: string;
  /** What creates the key: the role assignment on it waits for it. */
  readonly keyDependency: ITerraformDependable;
  /**
   * Public CIDRs allowed through the registry firewall. Empty: public network access off and
   * exports disabled (ACR disables exports only with public access off,
   * https://learn.microsoft.com/azure/container-registry/data-loss-prevention).
   * @default - none
   */
  readonly ipRules?: readonly string[];
  /** @default 7 */
  readonly untaggedRetentionDays?: number;
  readonly endpointsSubnetId: string;
  readonly dnsZoneId: string;
}

export class PlatformRegistry extends Construct {
  readonly registry: ContainerRegistry;
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: PlatformRegistryProps) {
    super(scope, id);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    const ipRules = props.ipRules ?? [];
    const open = ipRules.length > 0;

    this.identity = new UserAssignedIdentity(this, "identity", { ...common, name: props.identityName });
    const keyAccess = new RoleAssignment(this, "key-access", {
      scope: props.keyResourceId,
      roleDefinitionName: "Key Vault Crypto Service Encryption User",
      principalId: this.identity.principalId,
      principalType: "ServicePrincipal",
      dependsOn: [props.keyDependency],
    });

    this.registry = new ContainerRegistry(this, "Resource", {
      ...common,
      name: props.name,
      sku: "Premium",
      adminEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccessEnabled: open,
      // Disabling export (import/transfer out) needs public access off; keep images inside the
      // platform unless adminCidrs open the public endpoint.
      exportPolicyEnabled: open,
      networkRuleSet: open ? [{ defaultAction: "Deny", ipRule: ipRules.map((r) => ({ action: "Allow", ipRange: r })) }] : undefined,
      networkRuleBypassOption: "AzureServices",
      retentionPolicyInDays: props.untaggedRetentionDays ?? 7,
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      encryption: [{ keyVaultKeyId: props.keyVersionlessId, identityClientId: this.identity.clientId }],
      dependsOn: [keyAccess],
      lifecycle: { ignoreChanges: ["encryption"] },
    });

    new PrivateLink(this, "endpoint", {
      ...common,
      name: `${props.name}-registry`,
      subnetId: props.endpointsSubnetId,
      targetResourceId: this.registry.id,
      subresource: "registry",
      privateDnsZoneIds: [props.dnsZoneId],
    });
  }
}
