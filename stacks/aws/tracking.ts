/**
 * The `tracking` section on AWS: a SageMaker managed MLflow tracking server
 * (`aws_sagemaker_mlflow_tracking_server`) with artifacts under `s3://<bucket>/mlflow/`, and the
 * role it runs as, which may only read and write that prefix (and use the bucket's key through S3).
 *
 * Sourced exception to the security rules: the resource has no KMS key or VPC field in hashicorp/aws
 * 5.100 (arguments: artifact_store_uri, role_arn, tracking_server_name, tracking_server_size,
 * mlflow_version, automatic_model_registration, weekly_maintenance_window_start, tags:
 * https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/sagemaker_mlflow_tracking_server).
 * Its metadata store is AWS-managed and encrypted by SageMaker with an AWS-owned key; the artifacts
 * are in the platform bucket, encrypted with the bucket's own key. Clients reach it over HTTPS
 * with SigV4 (the `sagemaker-mlflow` plugin, tracking URI = the server's ARN).
 *
 * Construct ids are API: the server is `tracking` (`aws_sagemaker_mlflow_tracking_server.tracking`),
 * its role `role` and policy `policy`.
 */
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { SagemakerMlflowTrackingServer } from "@cdktf/provider-aws/lib/sagemaker-mlflow-tracking-server/index.js";
import { policyDocument, serviceTrustPolicy } from "./policies.js";

export interface MlflowTrackingProps {
  readonly trackingServerName: string;
  /** `Small` | `Medium` | `Large`. */
  readonly trackingServerSize: "Small" | "Medium" | "Large";
  readonly roleName: string;
  /** Derived name of the artifact bucket, for the `s3://` URI. */
  readonly bucketName: string;
  readonly bucketArn: string;
  readonly bucketKeyArn: string;
  /** `mlflow/`. */
  readonly artifactPrefix: string;
  /** `s3.<region>.<dns suffix>`: the only way the role may use the bucket key. */
  readonly s3ViaService: string;
}

export class MlflowTracking extends Construct {
  readonly server: SagemakerMlflowTrackingServer;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: MlflowTrackingProps) {
    super(scope, id);
    const prefix = props.artifactPrefix;
    if (!prefix.endsWith("/") || prefix.startsWith("/")) throw new Error(`tracking: artifact prefix must be a folder like mlflow/, got ${prefix}`);
    this.role = new IamRole(this, "role", {
      name: props.roleName,
      assumeRolePolicy: serviceTrustPolicy("sagemaker.amazonaws.com"),
    });
    const policy = new IamRolePolicy(this, "policy", {
      role: this.role.id,
      name: "mlflow-artifacts",
      policy: policyDocument([
        { Sid: "Artifacts", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], Resource: `${props.bucketArn}/${prefix}*` },
        { Sid: "ListArtifacts", Effect: "Allow", Action: "s3:ListBucket", Resource: props.bucketArn, Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } } },
        { Sid: "BucketLocation", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: props.bucketArn },
        {
          Sid: "BucketKey",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
          Resource: props.bucketKeyArn,
          Condition: { StringEquals: { "kms:ViaService": props.s3ViaService } },
        },
      ]),
    });
    this.server = new SagemakerMlflowTrackingServer(this, "Resource", {
      trackingServerName: props.trackingServerName,
      trackingServerSize: props.trackingServerSize,
      artifactStoreUri: `s3://${props.bucketName}/${prefix}`,
      roleArn: this.role.arn,
      automaticModelRegistration: false,
      dependsOn: [policy],
    });
  }
}
