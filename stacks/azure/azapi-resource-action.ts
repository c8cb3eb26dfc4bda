import { TerraformResource, type IResolvable, type TerraformMetaArguments } from "cdktf";
import type { Construct } from "constructs";
import { genericResourceConfig } from "../common/generic-resource.js";

/**
 * An `azapi_resource_action` through cdktf's generic resource class (azapi has no prebuilt
 * bindings): one ARM request made when the resource is created or its inputs change, never on
 * refresh and never on destroy (`when = "apply"`). mlplat uses it for ARM operations that are
 * idempotent by contract and have no DELETE, such as Key Vault's management-plane
 * `Keys - Create If Not Exist`.
 *
 * https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource_action
 */
export interface AzapiResourceActionProps extends TerraformMetaArguments {
  /** ARM type with API version, `Microsoft.KeyVault/vaults/keys@2023-07-01`. */
  readonly type: string;
  /** ARM id the request goes to. */
  readonly resourceId: string;
  /**
   * The action appended to the resource id (`updateIdleShutdownSetting`).
   * @default - the request goes to the resource id itself
   */
  readonly action?: string;
  /** HTTP method. */
  readonly method: "PUT" | "POST" | "PATCH";
  readonly body: Record<string, unknown>;
  /**
   * Response paths exported into `output` (`properties.keyUriWithVersion`).
   * @default - none
   */
  readonly responseExportValues?: readonly string[];
}

export class AzapiResourceAction extends TerraformResource {
  static readonly tfResourceType = "azapi_resource_action";

  private readonly props: AzapiResourceActionProps;

  constructor(scope: Construct, id: string, props: AzapiResourceActionProps) {
    super(scope, id, genericResourceConfig(AzapiResourceAction.tfResourceType, "azapi", props));
    this.props = props;
  }

  /** A value of the exported response, e.g. `output("properties.keyUriWithVersion")`. */
  output(path: string): IResolvable {
    return this.interpolationForAttribute(`output.${path}`);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      type: this.props.type,
      resource_id: this.props.resourceId,
      action: this.props.action,
      method: this.props.method,
      body: this.props.body,
      response_export_values: this.props.responseExportValues,
    };
  }
}
