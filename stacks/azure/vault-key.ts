import { Token } from "cdktf";
import { Construct } from "constructs";
import type { KeyVault } from "@cdktf/provider-azurerm/lib/key-vault/index.js";
import { AzapiResourceAction } from "./azapi-resource-action.js";
import { ForgetRemoved } from "./forget-removed.js";

/** ARM API version of `Microsoft.KeyVault/vaults/keys` (the version azurerm 4.x uses for vaults). */
export const KEY_API_VERSION = "2023-07-01";

/**
 * One customer-managed key, created through Key Vault's *management plane* (ARM
 * `Keys - Create If Not Exist`), not through the vault's data plane as `azurerm_key_vault_key`
 * does. Why:
 *  - Key Vault firewall and virtual-network rules apply to the data plane only; management-plane
 *    operations are not affected by them
 *    (https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints). So the
 *    first `mlplat deploy` on a fresh subscription creates the keys behind a Deny firewall from
 *    anywhere, and no later plan refreshes a key through the data plane (no 403).
 *  - The API creates the first version when the key does not exist and otherwise returns the
 *    existing key without writing anything; it never creates versions or updates keys
 *    (https://learn.microsoft.com/rest/api/keyvault/keyvault/keys/create-if-not-exist). That makes
 *    it safe to send for a key that an earlier mlplat created with `azurerm_key_vault_key`.
 *  - It has no DELETE, so the request is an `azapi_resource_action` (nothing on destroy), not an
 *    `azapi_resource` (whose destroy would fail, Azure/terraform-provider-azapi#917). The key goes
 *    away with its vault, soft-deleted and purge-protected like any key.
 *
 * Upgrade from v0.1, where the key was `azurerm_key_vault_key.<address>`: a `removed` block with
 * `destroy = false` makes Terraform forget that resource instead of destroying it, and this
 * action's PUT finds the existing key and leaves it as it is. Consumers use the same versionless
 * URI as before (`<vault_uri>keys/<name>`, built from the vault, known at plan time), so nothing
 * that points at the key changes.
 *
 * Construct ids are API: the action is `<scope>/<id>`; `legacyAddress` names the v0.1 resource.
 */
export interface VaultKeyProps {
  readonly vault: KeyVault;
  readonly name: string;
  /** `RSA` (the AKS KMS plugin documents RSA 2048) or `RSA-HSM`. */
  readonly keyType: "RSA" | "RSA-HSM";
  readonly keySize: 2048 | 3072 | 4096;
  /** Yearly automatic rotation (consumers that follow the versionless URI). */
  readonly rotate: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The v0.1 `azurerm_key_vault_key` address to forget (not destroy).
   * @default - nothing to forget
   */
  readonly legacyAddress?: string;
}

export class VaultKey extends Construct {
  readonly action: AzapiResourceAction;
  /** ARM id of the key: the scope of role assignments on it. */
  readonly resourceId: string;
  /** `https://<vault>.vault.azure.net/keys/<name>`: storage and ACR follow rotations through it. */
  readonly versionlessUri: string;
  /** The current version's URI (the AKS KMS plugin needs a version). */
  readonly versionedUri: string;

  constructor(scope: Construct, id: string, props: VaultKeyProps) {
    super(scope, id);
    this.resourceId = `${props.vault.id}/keys/${props.name}`;
    this.action = new AzapiResourceAction(this, "Resource", {
      type: `Microsoft.KeyVault/vaults/keys@${KEY_API_VERSION}`,
      resourceId: this.resourceId,
      method: "PUT",
      body: {
        tags: { ...props.tags },
        properties: {
          kty: props.keyType,
          keySize: props.keySize,
          keyOps: ["decrypt", "encrypt", "unwrapKey", "wrapKey"],
          attributes: { enabled: true },
          rotationPolicy: props.rotate
            ? {
                attributes: { expiryTime: "P1Y" },
                lifetimeActions: [
                  { trigger: { timeBeforeExpiry: "P30D" }, action: { type: "Rotate" } },
                  { trigger: { timeBeforeExpiry: "P29D" }, action: { type: "Notify" } },
                ],
              }
            : undefined,
        },
      },
      responseExportValues: ["properties.keyUri", "properties.keyUriWithVersion"],
    });
    this.versionlessUri = `${props.vault.vaultUri}keys/${props.name}`;
    this.versionedUri = Token.asString(this.action.output("properties.keyUriWithVersion"));
    if (props.legacyAddress) new ForgetRemoved(this, "v01-forget", props.legacyAddress);
  }
}
