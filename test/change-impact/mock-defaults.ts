/**
 * `mock_resource` defaults for `mock_provider "aws"` in the change-impact tier's `terraform test`.
 *
 * The mock provider fills every computed attribute it is not told about with a random string (or
 * leaves optional+computed ones null). That is fine until the real provider validates a value it
 * reads from the state or from a reference: an ARN must parse as an ARN, a launch template id is
 * `lt-…`, a node group's ASG name is read by the ASG tags, an EKS cluster's OIDC issuer is read by
 * the OIDC provider. These defaults give such values a realistic shape. Every type with a computed
 * `arn` gets one generically (see `defaultsFor`); the rest are listed here.
 *
 * Values that differ between the mock and the real provider's plan (defaults the provider fills
 * in at apply) are not listed: the harness heals them from the real plan of v1 (state.ts).
 */
const ACCOUNT = "123456789012";
const REGION = "us-east-1";

const SPECIFIC: Record<string, Record<string, unknown>> = {
  aws_launch_template: { id: "lt-0123456789abcdef0", latest_version: 1 },
  aws_eks_cluster: {
    identity: [{ oidc: [{ issuer: `https://oidc.eks.${REGION}.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF` }] }],
    certificate_authority: [{ data: "bW9jay1jZXJ0aWZpY2F0ZQ==" }],
    endpoint: `https://0123456789ABCDEF.gr7.${REGION}.eks.amazonaws.com`,
    status: "ACTIVE",
  },
  aws_eks_node_group: {
    resources: [{ autoscaling_groups: [{ name: "eks-mock-0123456789abcdef" }], remote_access_security_group_id: "" }],
    status: "ACTIVE",
  },
  aws_kms_key: { key_id: "0123abcd-0000-4000-8000-0123456789ab" },
  aws_ecr_repository: { registry_id: ACCOUNT, repository_url: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/mock` },
  aws_ecr_lifecycle_policy: { registry_id: ACCOUNT },
};

/**
 * What a real apply stores for optional+computed attributes mlplat leaves unset, by type and
 * attribute path (nested blocks joined with dots). `*` matches any type. `null` means the API
 * returns nothing there. Sources: each resource's page in the provider docs
 * (node_modules/@cdktf/provider-aws/lib/<resource>/index.d.ts) and the AWS API defaults.
 */
const REALISTIC: Record<string, Record<string, unknown>> = {
  "*": { name_prefix: "", bucket_prefix: "", node_group_name_prefix: "", policy: "", ip_address_type: "ipv4" },
  aws_appautoscaling_target: {
    role_arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
  },
  aws_budgets_budget: { account_id: ACCOUNT, time_period_start: "2026-01-01_00:00" },
  aws_cloudwatch_log_group: { log_group_class: "STANDARD" },
  aws_cloudwatch_metric_alarm: { evaluate_low_sample_count_percentiles: "" },
  aws_eip: { instance: "", ipam_pool_id: null, network_border_group: REGION, network_interface: "", public_ipv4_pool: "amazon" },
  aws_eks_addon: { configuration_values: "" },
  aws_eks_node_group: { release_version: "1.34.2-20251120" },
  aws_flow_log: { log_format: "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}" },
  aws_launch_template: { "metadata_options.http_protocol_ipv6": "disabled", "metadata_options.instance_metadata_tags": "disabled" },
  aws_nat_gateway: { private_ip: "10.0.0.10" },
  aws_s3_bucket: { acceleration_status: "", acl: null, request_payer: "BucketOwner" },
  aws_s3_bucket_lifecycle_configuration: { expected_bucket_owner: "", "rule.prefix": "", transition_default_minimum_object_size: "all_storage_classes_128K" },
  aws_s3_bucket_versioning: { "versioning_configuration.mfa_delete": "Disabled" },
  aws_sns_topic: { fifo_throughput_scope: "", tracing_config: "" },
  aws_sns_topic_subscription: { filter_policy_scope: "" },
  aws_subnet: { availability_zone_id: "use1-az1", private_dns_hostname_type_on_launch: "ip-name" },
  aws_vpc: { ipv6_cidr_block: "", ipv6_cidr_block_network_border_group: "" },
  aws_vpc_endpoint: { service_region: REGION },
};

/** The stored value for an unset optional+computed attribute, or undefined to keep the mock's. */
export function realisticValue(type: string, path: string): unknown {
  const own = REALISTIC[type];
  if (own && path in own) return own[path];
  const any = REALISTIC["*"]!;
  return path in any ? any[path] : undefined;
}

/** The defaults for one resource type, given whether its schema has a computed `arn`. */
export function defaultsFor(type: string, hasComputedArn: boolean): Record<string, unknown> {
  const service = type.split("_")[1] ?? "mock";
  return {
    ...(hasComputedArn ? { arn: `arn:aws:${service}:${REGION}:${ACCOUNT}:${type.slice(4)}/mock` } : {}),
    ...SPECIFIC[type],
  };
}

/**
 * The test file that applies the stack under `./stack` with the mock provider. HCL object
 * expressions accept JSON (quoted keys, `:`), so values are written with JSON.stringify.
 */
export function mockApplyTestFile(types: Iterable<[type: string, hasComputedArn: boolean]>): string {
  const blocks: string[] = [];
  for (const [type, hasArn] of types) {
    const d = defaultsFor(type, hasArn);
    if (Object.keys(d).length > 0) blocks.push(`  mock_resource "${type}" {\n    defaults = ${JSON.stringify(d)}\n  }`);
  }
  return [
    `mock_provider "aws" {`,
    ...blocks,
    `}`,
    ``,
    `run "v1" {`,
    `  command = apply`,
    `  module { source = "./stack" }`,
    `  state_key = "v1"`,
    `}`,
    ``,
  ].join("\n");
}
