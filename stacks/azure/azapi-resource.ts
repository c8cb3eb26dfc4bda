import { TerraformResource, type IResolvable, type TerraformMetaArguments } from "cdktf";
import type { Construct } from "constructs";
import { genericResourceConfig } from "../common/generic-resource.js";

/**
 * An `azapi_resource` through cdktf's generic resource class (there are no prebuilt azapi
 * bindings). `body` is the ARM resource body as an object (azapi 2.x takes HCL objects, not
 * JSON strings), written to the synthesized JSON key for key, so ARM's camelCase survives.
 */
export interface AzapiResourceProps extends TerraformMetaArguments {
  /** ARM type with API version, `Microsoft.App/managedEnvironments@2024-03-01`. */
  readonly type: string;
  readonly name: string;
  /** ARM id of the parent: a resource group id for top-level resources. */
  readonly parentId: string;
  /**
   * Location of the resource.
   * @default - none (child resources such as Azure ML schedules have no location)
   */
  readonly location?: string;
  readonly body: Record<string, unknown>;
  /**
   * Tags on the resource.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Response paths exported into `output` (`properties.defaultDomain`).
   * @default - none
   */
  readonly responseExportValues?: readonly string[];
}

export class AzapiResource extends TerraformResource {
  static readonly tfResourceType = "azapi_resource";

  private readonly props: AzapiResourceProps;

  constructor(scope: Construct, id: string, props: AzapiResourceProps) {
    super(scope, id, genericResourceConfig(AzapiResource.tfResourceType, "azapi", props));
    this.props = props;
  }

  /** The ARM resource id. */
  get id(): string {
    return this.getStringAttribute("id");
  }

  /** A value of the exported response, e.g. `output("properties.staticIp")`. */
  output(path: string): IResolvable {
    return this.interpolationForAttribute(`output.${path}`);
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      type: this.props.type,
      name: this.props.name,
      parent_id: this.props.parentId,
      location: this.props.location,
      body: this.props.body,
      tags: this.props.tags,
      response_export_values: this.props.responseExportValues,
    };
  }
}
