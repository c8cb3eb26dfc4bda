import { MachineLearningWorkspaceNetworkOutboundRulePrivateEndpoint } from "@cdktf/provider-azurerm/lib/machine-learning-workspace-network-outbound-rule-private-endpoint/index.js";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment/index.js";
import { Construct } from "constructs";
import { ComputeInstance } from "./compute-instance.js";

/**
 * `spec.workspaces` on Azure: one compute instance per user (ComputeInstance) in the platform's
 * Azure ML workspace, and the path from the workspace's managed network to the platform storage
 * account that holds the buckets: that account has public network access off, and a workspace
 * whose managed network allows only approved outbound traffic reaches other resources through
 * private-endpoint outbound rules (https://learn.microsoft.com/azure/machine-learning/how-to-managed-network#private-endpoint-outbound-rules).
 * The workspace's identity gets "Azure AI Enterprise Network Connection Approver" on the account so
 * that the managed private endpoint is approved (https://aka.ms/azureaipeapproval).
 *
 * Construct ids are API: `workspaces/storage-outbound`, `workspaces/storage-approver`,
 * `workspaces/<user>`.
 */
export interface AzureNotebookProps {
  /** Blueprint user name: the construct id. */
  readonly user: string;
  readonly name: string;
  readonly identityName: string;
  readonly vmSize: string;
  readonly userObjectId: string;
}

/** The resolved section: AzurePlatformProps.workspaces. */
export interface AzureWorkspacesProps {
  /** ISO 8601 (`PT60M`); undefined = no idle shutdown (0 in the blueprint). */
  readonly idleTimeBeforeShutdown?: string;
  /** Blueprint bucket names the notebooks may read and write. */
  readonly buckets: readonly string[];
  readonly notebooks: readonly AzureNotebookProps[];
  /** Name of the workspace's outbound rule to the platform storage account. */
  readonly outboundRuleName: string;
}

export interface AzureWorkspacesConstructProps extends AzureWorkspacesProps {
  readonly resourceGroupName: string;
  readonly location: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly tenantId: string;
  readonly workspaceId: string;
  /** The workspace's system-assigned identity. */
  readonly workspacePrincipalId: string;
  readonly storageAccountId: string;
  /** Blueprint bucket → blob container name. */
  readonly containerNames: Readonly<Record<string, string>>;
}

export class AzureWorkspaces extends Construct {
  readonly notebooks: ReadonlyMap<string, ComputeInstance>;

  constructor(scope: Construct, id: string, props: AzureWorkspacesConstructProps) {
    super(scope, id);
    const approver = new RoleAssignment(this, "storage-approver", {
      scope: props.storageAccountId,
      roleDefinitionName: "Azure AI Enterprise Network Connection Approver",
      principalId: props.workspacePrincipalId,
      principalType: "ServicePrincipal",
    });
    const outbound = new MachineLearningWorkspaceNetworkOutboundRulePrivateEndpoint(this, "storage-outbound", {
      name: props.outboundRuleName,
      workspaceId: props.workspaceId,
      serviceResourceId: props.storageAccountId,
      subResourceTarget: "blob",
      dependsOn: [approver],
    });
    const containerIds: Record<string, string> = {};
    for (const b of props.buckets) {
      const name = props.containerNames[b];
      if (!name) throw new Error(`workspaces: no container for bucket '${b}'`);
      containerIds[b] = `${props.storageAccountId}/blobServices/default/containers/${name}`;
    }
    const notebooks = new Map<string, ComputeInstance>();
    for (const n of props.notebooks) {
      notebooks.set(
        n.user,
        new ComputeInstance(this, n.user, {
          resourceGroupName: props.resourceGroupName,
          location: props.location,
          tags: props.tags,
          workspaceId: props.workspaceId,
          name: n.name,
          identityName: n.identityName,
          vmSize: n.vmSize,
          userObjectId: n.userObjectId,
          tenantId: props.tenantId,
          containerIds,
          idleTimeBeforeShutdown: props.idleTimeBeforeShutdown,
          dependsOn: [outbound],
        }),
      );
    }
    this.notebooks = notebooks;
  }
}
