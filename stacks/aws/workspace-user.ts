/**
 * One `workspaces.users[]` entry on AWS: a SageMaker user profile in the platform's domain, with its
 * own execution role, and the IAM policy that lets the user's identity open it.
 *
 * - The execution role (what the notebook runs as) may read and write only the workspace buckets
 *   (objects and their keys, through S3 only), pull from the platform's ECR repositories, manage
 *   its own private spaces and JupyterLab apps of its own size (`sagemaker:InstanceTypes`), write
 *   the Studio log group and, with `tracking`, use the platform's MLflow server.
 * - The open policy allows `sagemaker:CreatePresignedDomainUrl` on this profile's ARN only. It is a
 *   standalone `aws_iam_policy`: mlplat does not attach it, because the identity belongs to the
 *   account's people management (an IAM Identity Center role under `aws-reserved/` cannot be
 *   changed outside Identity Center; an IAM user or role may be managed elsewhere). The
 *   `workspace_access` output gives the attach command per user (see stacks/aws/README.md).
 *
 * Construct ids are API: at `workspaces/<user>`, the profile is `Resource`
 * (`aws_sagemaker_user_profile.workspaces_<user>`), the role `execution-role`, its policy
 * `execution-policy`, the open policy `open-policy`. Changing the profile name replaces it (and the
 * user's private spaces go with it).
 */
import { Construct } from "constructs";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { SagemakerUserProfile } from "@cdktf/provider-aws/lib/sagemaker-user-profile/index.js";
import { policyDocument, serviceTrustPolicy, type AccountScope, type Statement } from "./policies.js";

/** Read/write actions on the workspace buckets' objects. */
export const WORKSPACE_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"] as const;

/**
 * What a notebook may do on the MLflow server, listed (no `sagemaker-mlflow:*`): the actions of
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemakerwithmlflow.html
 * an experiment needs.
 */
export const MLFLOW_USER_ACTIONS = [
  "sagemaker-mlflow:AccessUI",
  "sagemaker-mlflow:CreateExperiment",
  "sagemaker-mlflow:SearchExperiments",
  "sagemaker-mlflow:GetExperiment",
  "sagemaker-mlflow:GetExperimentByName",
  "sagemaker-mlflow:UpdateExperiment",
  "sagemaker-mlflow:SetExperimentTag",
  "sagemaker-mlflow:CreateRun",
  "sagemaker-mlflow:UpdateRun",
  "sagemaker-mlflow:GetRun",
  "sagemaker-mlflow:SearchRuns",
  "sagemaker-mlflow:LogMetric",
  "sagemaker-mlflow:LogParam",
  "sagemaker-mlflow:LogBatch",
  "sagemaker-mlflow:LogModel",
  "sagemaker-mlflow:LogInputs",
  "sagemaker-mlflow:SetTag",
  "sagemaker-mlflow:GetMetricHistory",
  "sagemaker-mlflow:ListArtifacts",
  "sagemaker-mlflow:CreateRegisteredModel",
  "sagemaker-mlflow:GetRegisteredModel",
  "sagemaker-mlflow:SearchRegisteredModels",
  "sagemaker-mlflow:CreateModelVersion",
  "sagemaker-mlflow:GetModelVersion",
  "sagemaker-mlflow:SearchModelVersions",
  "sagemaker-mlflow:GetLatestModelVersions",
] as const;

export interface WorkspaceUserProps extends AccountScope {
  /** The blueprint user name (also the profile name: unique within the domain). */
  readonly profileName: string;
  /** The IAM principal ARN allowed to open the profile (blueprint `identity`). */
  readonly identity: string;
  readonly executionRoleName: string;
  readonly openPolicyName: string;
  /** `ml.*` type of the user's JupyterLab apps (the only size the role may start, besides `system`). */
  readonly instanceType: string;
  readonly domainId: string;
  readonly domainArn: string;
  readonly securityGroupId: string;
  /** ARNs of the workspace buckets and their keys. @default [] */
  readonly buckets?: readonly { readonly bucketArn: string; readonly keyArn: string }[];
  /** ECR repositories the notebook may pull from. @default [] */
  readonly repositoryArns?: readonly string[];
  /** The platform's MLflow tracking server. @default - no MLflow access */
  readonly trackingServerArn?: string;
}

export class WorkspaceUser extends Construct {
  readonly profile: SagemakerUserProfile;
  readonly role: IamRole;
  readonly openPolicy: IamPolicy;
  /** `arn:<partition>:sagemaker:<region>:<account>:user-profile/<domain id>/<name>`. */
  readonly profileArn: string;

  constructor(scope: Construct, id: string, props: WorkspaceUserProps) {
    super(scope, id);
    if (!props.instanceType.startsWith("ml.")) throw new Error(`workspace ${props.profileName}: SageMaker takes ml.* instance types, got ${props.instanceType}`);
    const sm = `arn:${props.partition}:sagemaker:${props.region}:${props.accountId}`;
    this.profileArn = `${sm}:user-profile/${props.domainId}/${props.profileName}`;

    this.role = new IamRole(this, "execution-role", { name: props.executionRoleName, assumeRolePolicy: serviceTrustPolicy("sagemaker.amazonaws.com") });
    const rolePolicy = new IamRolePolicy(this, "execution-policy", { role: this.role.id, name: "workspace", policy: policyDocument(WorkspaceUser.statements(props, sm, this.profileArn)) });

    this.profile = new SagemakerUserProfile(this, "Resource", {
      domainId: props.domainId,
      userProfileName: props.profileName,
      userSettings: {
        executionRole: this.role.arn,
        securityGroups: [props.securityGroupId],
        jupyterLabAppSettings: { defaultResourceSpec: { instanceType: props.instanceType } },
      },
      dependsOn: [rolePolicy],
    });

    this.openPolicy = new IamPolicy(this, "open-policy", {
      name: props.openPolicyName,
      description: `Lets ${props.identity} open the SageMaker Studio workspace ${props.profileName} (attach it to that principal)`,
      policy: policyDocument([{ Sid: "OpenOwnWorkspace", Effect: "Allow", Action: "sagemaker:CreatePresignedDomainUrl", Resource: this.profileArn }]),
    });
  }

  private static statements(props: WorkspaceUserProps, sm: string, profileArn: string): Statement[] {
    const buckets = props.buckets ?? [];
    const repos = props.repositoryArns ?? [];
    const out: Statement[] = [];
    if (buckets.length) {
      out.push(
        { Sid: "BucketObjects", Effect: "Allow", Action: [...WORKSPACE_OBJECT_ACTIONS], Resource: buckets.map((b) => `${b.bucketArn}/*`) },
        { Sid: "BucketList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: buckets.map((b) => b.bucketArn) },
        {
          Sid: "BucketKeys",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
          Resource: buckets.map((b) => b.keyArn),
          Condition: { StringEquals: { "kms:ViaService": `s3.${props.region}.${props.dnsSuffix}` } },
        },
      );
    }
    if (repos.length) {
      out.push(
        // GetAuthorizationToken has no resource type: "*" is the only form IAM accepts.
        { Sid: "EcrToken", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        { Sid: "PullImages", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], Resource: [...repos] },
      );
    }
    out.push(
      { Sid: "Studio", Effect: "Allow", Action: ["sagemaker:DescribeDomain"], Resource: props.domainArn },
      { Sid: "OwnProfile", Effect: "Allow", Action: ["sagemaker:DescribeUserProfile", "sagemaker:ListTags"], Resource: profileArn },
      // Private spaces and their apps owned by this profile only: the statements AWS documents in
      // "Give your users access to private spaces" (SageMaker AI Developer Guide), narrowed to
      // private spaces and, for CreateApp, to the user's size ("system" is the default app).
      {
        Sid: "OwnSpaces",
        Effect: "Allow",
        Action: ["sagemaker:CreateSpace", "sagemaker:UpdateSpace", "sagemaker:DeleteSpace"],
        Resource: `${sm}:space/${props.domainId}/*`,
        Condition: { ArnLike: { "sagemaker:OwnerUserProfileArn": profileArn }, StringEquals: { "sagemaker:SpaceSharingType": "Private" } },
      },
      { Sid: "DescribeSpacesAndApps", Effect: "Allow", Action: ["sagemaker:DescribeSpace", "sagemaker:DescribeApp"], Resource: [`${sm}:space/${props.domainId}/*`, `${sm}:app/${props.domainId}/*`] },
      {
        Sid: "AppsOfOwnSize",
        Effect: "Allow",
        Action: "sagemaker:CreateApp",
        Resource: `${sm}:app/${props.domainId}/*`,
        Condition: {
          ArnLike: { "sagemaker:OwnerUserProfileArn": profileArn },
          StringEquals: { "sagemaker:SpaceSharingType": "Private" },
          "ForAllValues:StringEquals": { "sagemaker:InstanceTypes": [props.instanceType, "system"] },
        },
      },
      {
        Sid: "StopOwnApps",
        Effect: "Allow",
        Action: "sagemaker:DeleteApp",
        Resource: `${sm}:app/${props.domainId}/*`,
        Condition: { ArnLike: { "sagemaker:OwnerUserProfileArn": profileArn }, StringEquals: { "sagemaker:SpaceSharingType": "Private" } },
      },
      {
        // Studio tags what it creates; tagging only as part of a create (sagemaker:TaggingAction set).
        Sid: "TagOnCreate",
        Effect: "Allow",
        Action: "sagemaker:AddTags",
        Resource: [`${sm}:space/${props.domainId}/*`, `${sm}:app/${props.domainId}/*`],
        Condition: { Null: { "sagemaker:TaggingAction": "false" } },
      },
      // List actions have no resource type.
      { Sid: "ListStudio", Effect: "Allow", Action: ["sagemaker:ListApps", "sagemaker:ListSpaces"], Resource: "*" },
      {
        Sid: "StudioLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [`arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:/aws/sagemaker/studio`, `arn:${props.partition}:logs:${props.region}:${props.accountId}:log-group:/aws/sagemaker/studio:*`],
      },
    );
    if (props.trackingServerArn) {
      out.push(
        { Sid: "MlflowServer", Effect: "Allow", Action: ["sagemaker:DescribeMlflowTrackingServer", "sagemaker:CreatePresignedMlflowTrackingServerUrl"], Resource: props.trackingServerArn },
        { Sid: "Mlflow", Effect: "Allow", Action: [...MLFLOW_USER_ACTIONS], Resource: props.trackingServerArn },
      );
    }
    return out;
  }
}
