/**
 * The `workspaces` section on AWS: one SageMaker AI domain for the platform (IAM auth, VpcOnly in
 * the private subnets, home EFS and space volumes encrypted with the platform key, JupyterLab idle
 * shutdown, home EFS retained on delete), its security group, an execution role for the domain's
 * defaults that can do nothing, and a `WorkspaceUser` per blueprint user.
 *
 * VpcOnly (https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-and-internet-access.html):
 * private subnets only; interface endpoints for the SageMaker API and runtime and STS (the network
 * adds `sagemaker.api` when there are workspaces; the others are always there) or a NAT gateway
 * (the platform has one per zone); a security group allowing TCP within itself (8192-65535, between
 * a space's apps) and outbound HTTPS. SageMaker adds the NFS group for the home EFS itself.
 *
 * Idle shutdown (`idleShutdownMinutes`, 60-525600, or 0 = never) is a domain default, so a change
 * updates the domain in place and no profile; the user's size is their profile's default
 * JupyterLab resource spec, an in-place profile update.
 *
 * Construct ids are API: the domain is `workspaces` (`aws_sagemaker_domain.workspaces`), the
 * security group `security-group`, the default role `default-role`, users by blueprint name.
 * Deleting the domain fails while apps or spaces created in Studio (outside Terraform) exist:
 * `mlplat destroy` lists them first (src/engine/workspace-apps.ts).
 */
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { SagemakerDomain } from "@cdktf/provider-aws/lib/sagemaker-domain/index.js";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group/index.js";
import { serviceTrustPolicy, type AccountScope } from "./policies.js";
import { WorkspaceUser, type WorkspaceUserProps } from "./workspace-user.js";

/** A user as resolved; the section fills in the domain, security group, buckets, repositories and server. */
export type WorkspaceUserSpec = Omit<WorkspaceUserProps, keyof AccountScope | "domainId" | "domainArn" | "securityGroupId" | "buckets" | "repositoryArns" | "trackingServerArn">;

export interface WorkspacesProps extends AccountScope {
  readonly domainName: string;
  readonly securityGroupName: string;
  /** The domain's default execution role (no permissions; every user has their own). */
  readonly defaultRoleName: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  /** The platform key: home EFS and space EBS volumes. */
  readonly kmsKeyArn: string;
  /** 0 = idle apps are never stopped; else 60-525600. */
  readonly idleShutdownMinutes: number;
  /** Each space's EBS volume (default and maximum), GiB. */
  readonly diskGiB: number;
  readonly users: readonly WorkspaceUserSpec[];
  /** @default [] */
  readonly buckets?: readonly { readonly bucketArn: string; readonly keyArn: string }[];
  /** @default [] */
  readonly repositoryArns?: readonly string[];
  /** @default - no MLflow access */
  readonly trackingServerArn?: string;
  /** The VPC's egress (NAT, endpoints) before the domain. @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

export class Workspaces extends Construct {
  readonly domain: SagemakerDomain;
  readonly securityGroup: SecurityGroup;
  readonly users: Record<string, WorkspaceUser> = {};

  constructor(scope: Construct, id: string, props: WorkspacesProps) {
    super(scope, id);
    const idle = props.idleShutdownMinutes;
    if (idle !== 0 && (idle < 60 || idle > 525_600)) throw new Error(`workspaces: idle shutdown is 0 or 60-525600 minutes on SageMaker, got ${idle}`);
    if (props.users.length === 0) throw new Error("workspaces: at least one user");

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: props.securityGroupName,
      description: `SageMaker domain ${props.domainName}: apps of a space talk to each other, HTTPS out`,
      vpcId: props.vpcId,
      ingress: [{ description: "Between the apps of a space (SageMaker VpcOnly requirement)", protocol: "tcp", fromPort: 8192, toPort: 65535, selfAttribute: true }],
      egress: [
        { description: "Between the apps of a space", protocol: "tcp", fromPort: 8192, toPort: 65535, selfAttribute: true },
        { description: "HTTPS to AWS APIs (endpoints, S3, NAT)", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
      ],
    });
    const defaultRole = new IamRole(this, "default-role", { name: props.defaultRoleName, assumeRolePolicy: serviceTrustPolicy("sagemaker.amazonaws.com") });

    this.domain = new SagemakerDomain(this, "Resource", {
      domainName: props.domainName,
      authMode: "IAM",
      appNetworkAccessType: "VpcOnly",
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      kmsKeyId: props.kmsKeyArn,
      retentionPolicy: { homeEfsFileSystem: "Retain" },
      defaultUserSettings: {
        executionRole: defaultRole.arn,
        securityGroups: [this.securityGroup.id],
        jupyterLabAppSettings: {
          appLifecycleManagement: {
            idleSettings:
              idle === 0
                ? { lifecycleManagement: "DISABLED" }
                : { lifecycleManagement: "ENABLED", idleTimeoutInMinutes: idle, minIdleTimeoutInMinutes: 60, maxIdleTimeoutInMinutes: idle },
          },
        },
        spaceStorageSettings: { defaultEbsStorageSettings: { defaultEbsVolumeSizeInGb: props.diskGiB, maximumEbsVolumeSizeInGb: props.diskGiB } },
      },
      dependsOn: props.dependsOn,
    });

    const account: AccountScope = { partition: props.partition, accountId: props.accountId, region: props.region, dnsSuffix: props.dnsSuffix };
    for (const u of props.users) {
      this.users[u.profileName] = new WorkspaceUser(this, u.profileName, {
        ...account,
        ...u,
        domainId: this.domain.id,
        domainArn: this.domain.arn,
        securityGroupId: this.securityGroup.id,
        buckets: props.buckets,
        repositoryArns: props.repositoryArns,
        trackingServerArn: props.trackingServerArn,
      });
    }
  }
}
