import { TerraformProvider } from "cdktf";
import type { Construct } from "constructs";

/**
 * The `azure/azapi` provider, declared through cdktf's generic provider class: there are no
 * prebuilt cdktf bindings for azapi, and mlplat needs it only where azurerm falls short: the
 * Container Apps environment with a serverless GPU workload profile (azurerm 4.x sends a
 * MinimumCount the API rejects, terraform-provider-azurerm issue 31763), and Key Vault keys
 * created through the management plane (`VaultKey`: azurerm_key_vault_key uses the data plane,
 * which the vault firewall blocks).
 */
export interface AzapiProviderProps {
  /** Subscription the provider works in; the same as azurerm's. */
  readonly subscriptionId: string;
  /**
   * Entra tenant.
   * @default - the tenant of the credentials in use
   */
  readonly tenantId?: string;
}

export class AzapiProvider extends TerraformProvider {
  /** Version constraint written into `required_providers`. */
  static readonly versionConstraint = "~> 2.7";

  private readonly subscriptionId: string;
  private readonly tenantId?: string;

  constructor(scope: Construct, id: string, props: AzapiProviderProps) {
    super(scope, id, {
      terraformResourceType: "azapi",
      terraformGeneratorMetadata: { providerName: "azapi", providerVersionConstraint: AzapiProvider.versionConstraint },
      terraformProviderSource: "azure/azapi",
    });
    this.subscriptionId = props.subscriptionId;
    this.tenantId = props.tenantId;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { subscription_id: this.subscriptionId, tenant_id: this.tenantId };
  }
}
