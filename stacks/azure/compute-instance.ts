import { MachineLearningComputeInstance } from "@cdktf/provider-azurerm/lib/machine-learning-compute-instance/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";
import { UserAssignedIdentity } from "@cdktf/provider-azurerm/lib/user-assigned-identity/index.js";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { AzapiResourceAction } from "./azapi-resource-action.js";

/**
 * One data scientist's Azure ML compute instance (`azurerm_machine_learning_compute_instance`) in
 * the platform's ML workspace: assigned to the user's Entra object id (personal compute, no one
 * else opens it), no public IP, local (key) auth off, SSH off, and its own user-assigned identity
 * with Storage Blob Data Contributor on the listed buckets' containers only.
 *
 * Network: the workspace uses a managed virtual network (stacks/azure/ml-workspace.ts), and
 * "compute resources can only be created inside the managed virtual network"
 * (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#limitations), so
 * `subnet_resource_id` stays unset; azurerm accepts no public IP without a subnet on a
 * managed-network workspace since terraform-provider-azurerm PR 29811 (4.38+).
 *
 * Idle shutdown: azurerm 4.55 has no field for it, so an `azapi_resource_action` posts
 * `updateIdleShutdownSetting` (ISO 8601, 15 minutes to 3 days) on the compute after it exists, and
 * again when the time changes (REST: Compute - Update Idle Shutdown Setting,
 * https://learn.microsoft.com/azure/machine-learning/how-to-create-compute-instance#configure-idle-shutdown).
 *
 * Day 2 (azurerm 4.55, machine_learning_compute_instance_resource.go): every argument is ForceNew,
 * so a new size or identity replaces the instance (the user's files live on the workspace's file
 * share, not on the instance); a new idle time only re-runs the action.
 *
 * Construct ids are API: `Resource`, `identity`, `bucket-<bucket>`, `user-access`, `idle-shutdown`.
 */
export interface ComputeInstanceProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly workspaceId: string;
  /** 3-24 characters, unique in the region. */
  readonly name: string;
  readonly identityName: string;
  readonly vmSize: string;
  /** The user's Entra object id and tenant. */
  readonly userObjectId: string;
  readonly tenantId: string;
  /** Blueprint bucket → ARM id of its blob container. */
  readonly containerIds: Readonly<Record<string, string>>;
  /**
   * ISO 8601 idle time before shutdown (`PT60M`).
   * @default - no idle shutdown
   */
  readonly idleTimeBeforeShutdown?: string;
  /** The azapi provider for the idle-shutdown action. */
  readonly azapi?: TerraformProvider;
  /**
   * What the instance waits for (the workspace's outbound rule to the platform storage).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** GA API version of Microsoft.MachineLearningServices with Compute_UpdateIdleShutdownSetting. */
export const ML_COMPUTE_API_VERSION = "2024-10-01";

export class ComputeInstance extends Construct {
  readonly instance: MachineLearningComputeInstance;
  readonly identity: UserAssignedIdentity;

  constructor(scope: Construct, id: string, props: ComputeInstanceProps) {
    super(scope, id);
    if (!/^[a-zA-Z][a-zA-Z0-9-]{2,23}$/.test(props.name)) throw new Error(`compute instance ${id}: invalid name ${props.name}`);
    this.identity = new UserAssignedIdentity(this, "identity", {
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      name: props.identityName,
      tags: { ...props.tags },
    });
    const grants = Object.entries(props.containerIds).map(
      ([bucket, scope]) =>
        new RoleAssignment(this, `bucket-${bucket}`, {
          scope,
          roleDefinitionName: "Storage Blob Data Contributor",
          principalId: this.identity.principalId,
          principalType: "ServicePrincipal",
        }),
    );
    // The user opens their instance in Azure ML studio and logs MLflow runs to the workspace:
    // AzureML Data Scientist on this workspace only (no compute creation or deletion rights).
    new RoleAssignment(this, "user-access", {
      scope: props.workspaceId,
      roleDefinitionName: "AzureML Data Scientist",
      principalId: props.userObjectId,
      principalType: "User",
    });
    this.instance = new MachineLearningComputeInstance(this, "Resource", {
      name: props.name,
      machineLearningWorkspaceId: props.workspaceId,
      virtualMachineSize: props.vmSize,
      authorizationType: "personal",
      assignToUser: { objectId: props.userObjectId, tenantId: props.tenantId },
      identity: { type: "UserAssigned", identityIds: [this.identity.id] },
      localAuthEnabled: false,
      nodePublicIpEnabled: false,
      // No tags: they are ForceNew on this resource (commonschema.TagsForceNew), so a change of
      // the platform's labels would replace every notebook. The identity carries the tags.
      dependsOn: [...(props.dependsOn ?? []), ...grants],
    });
    if (props.idleTimeBeforeShutdown) {
      new AzapiResourceAction(this, "idle-shutdown", {
        type: `Microsoft.MachineLearningServices/workspaces/computes@${ML_COMPUTE_API_VERSION}`,
        resourceId: this.instance.id,
        action: "updateIdleShutdownSetting",
        method: "POST",
        body: { idleTimeBeforeShutdown: props.idleTimeBeforeShutdown },
        provider: props.azapi,
      });
    }
  }
}
