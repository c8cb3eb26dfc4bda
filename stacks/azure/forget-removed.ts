import { TerraformElement } from "cdktf";
import type { Construct } from "constructs";

/**
 * A Terraform `removed` block with `lifecycle { destroy = false }` (Terraform >= 1.7): when state
 * still holds `from` (a platform deployed by an earlier mlplat) Terraform forgets the object
 * instead of destroying it; when state does not hold it (a fresh deploy) the block does nothing.
 * mlplat's plan summary counts a forget as no change (src/engine/summary.ts), so the data-loss
 * guard does not trip on it.
 *
 * https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources
 */
export class ForgetRemoved extends TerraformElement {
  /** @param from the address the earlier version used, `azurerm_key_vault_key.kms_storage-key`. */
  constructor(
    scope: Construct,
    id: string,
    readonly from: string,
  ) {
    super(scope, id, "removed");
  }

  override toTerraform(): Record<string, unknown> {
    return { removed: [{ from: this.from, lifecycle: { destroy: false } }] };
  }
}
