/**
 * The day-2 edits the change-impact tier plans against a deployed v1 (issue 14). Each edit
 * changes the reference blueprint's `spec` the way a platform team would, and states what the
 * plan must do: the resources replaced and deleted (exactly: anything else replaced is a
 * finding), and the resources created and updated (at least these). Replacements listed here
 * are intended and documented in stacks/aws/README.md ("Day-2 changes").
 */
type Spec = Record<string, any>;

export interface Expected {
  /** Addresses (or prefixes ending in `.` or `_`) replaced: every replacement matches one, each matches some (default: none). */
  readonly replace?: readonly string[];
  /** Addresses (or prefixes) deleted: every deletion matches one, each matches some (default: none). */
  readonly delete?: readonly string[];
  /** Addresses (or `type.` prefixes) created, at least (default: none created at all). */
  readonly create?: readonly string[];
  /** Addresses updated in place, at least; `[]` with `noop` unset still allows other updates. */
  readonly update?: readonly string[];
  /** Nothing at all changes. */
  readonly noop?: boolean;
}

export type Cloud = "aws" | "gcp" | "azure";

export interface Edit {
  readonly name: string;
  /** `cloud`: the environment the edit is planned on (gcp-azure.test.ts); undefined on AWS. */
  readonly edit: (spec: Spec, cloud?: Cloud) => void;
  readonly expect: Expected;
  /**
   * What the disruption guard flags, as `<kind> <action>` (`node pool replace`), on every cloud
   * unless `disruptsOn` says otherwise for one (default: nothing). AWS reads it from the real
   * plan, GCP and Azure from the synthesized JSON and the ForceNew tables (force-new.ts).
   */
  readonly disrupts?: readonly string[];
  readonly disruptsOn?: Partial<Record<Cloud, readonly string[]>>;
  /** The clouds the edit makes sense on (admins are IAM ARNs on AWS only, …). @default all three */
  readonly clouds?: readonly Cloud[];
}

/** The disruptions an edit is expected to trigger on a cloud. */
export function expectedDisruptions(e: Pick<Edit, "disrupts" | "disruptsOn">, cloud: Cloud): string[] {
  return [...(e.disruptsOn?.[cloud] ?? e.disrupts ?? [])].sort();
}

const pool = (spec: Spec, name: string) => spec.cluster.nodePools.find((p: Spec) => p.name === name);
const endpoint = (spec: Spec, name: string) => spec.serving.endpoints.find((e: Spec) => e.name === name);
const bucket = (spec: Spec, name: string) => spec.storage.buckets.find((b: Spec) => b.name === name);

const ADMIN = "arn:aws:iam::123456789012:role/platform-admins";
/** What a SageMaker rollout replaces, on purpose (stacks/aws/managed-endpoint.ts). */
const ROLLOUT = ["aws_sagemaker_model.", "aws_sagemaker_endpoint_configuration.", "aws_appautoscaling_target.", "aws_appautoscaling_policy."];
const LLM_GROUP = "aws_eks_node_group.cluster_llm";
const EMBED = "aws_sagemaker_endpoint.serving_embed";
const EMBED_CONFIG = "aws_sagemaker_endpoint_configuration.serving_embed_config";

/** Edits of blueprints/llm-serving.yaml (EKS, an L4 pool, a SageMaker endpoint, buckets, registries). */
export const LLM_SERVING_EDITS: readonly Edit[] = [
  { name: "nothing (v1 again)", edit: () => {}, expect: { noop: true } },
  {
    name: "add the first cluster admin",
    edit: (s) => (s.cluster.admins = [ADMIN]),
    expect: { create: ["aws_eks_access_entry.", "aws_eks_access_policy_association."] },
    clouds: ["aws"],
  },
  {
    name: "add two cluster admins",
    edit: (s) => (s.cluster.admins = [ADMIN, "arn:aws:iam::123456789012:role/sre"]),
    expect: { create: ["aws_eks_access_entry.", "aws_eks_access_policy_association."] },
    clouds: ["aws"],
  },
  {
    name: "add a node pool",
    edit: (s) => s.cluster.nodePools.push({ name: "batch", instanceType: "m6i.2xlarge", min: 0, max: 4 }),
    expect: { create: ["aws_eks_node_group.cluster_batch", "aws_launch_template.cluster_batch_launch-template"] },
  },
  {
    name: "remove the node pool",
    edit: (s) => {
      s.cluster.nodePools = [];
      s.serving.endpoints = s.serving.endpoints.filter((e: Spec) => e.runtime !== "kubernetes");
    },
    // The chat endpoint (runtime: kubernetes) goes with the pool it ran on: its IRSA role too.
    expect: { delete: [LLM_GROUP, "aws_launch_template.cluster_llm_launch-template", "aws_autoscaling_group_tag.cluster_llm_", "aws_iam_role.serving_chat", "aws_iam_role_policy.serving_chat_"] },
    disrupts: ["node pool delete"],
    // Azure's overlay names the chat endpoint, which needs the pool.
    clouds: ["aws", "gcp"],
  },
  { name: "raise a pool's max", edit: (s) => (pool(s, "llm").max = 8), expect: { update: [LLM_GROUP] } },
  { name: "raise a pool's min", edit: (s) => (pool(s, "llm").min = 2), expect: { update: [LLM_GROUP] } },
  {
    name: "change the pool's GPU type (a new node group before the old one drains)",
    edit: (s) => {
      pool(s, "llm").gpu = { type: "T4", count: 1 };
      endpoint(s, "chat").gpu = { type: "T4", count: 1 };
    },
    expect: { replace: [LLM_GROUP, "aws_autoscaling_group_tag.cluster_llm_"] },
    disrupts: ["node pool replace"],
    // Azure's overlay sets the pool's GPU (A100): the base edit changes nothing there.
    disruptsOn: { azure: [] },
  },
  {
    name: "change the system pool's instance type",
    edit: (s) => (s.cluster.systemPool.instanceType = "m6i.xlarge"),
    expect: { replace: ["aws_eks_node_group.cluster_system", "aws_autoscaling_group_tag.cluster_system_"] },
    // EKS: instance_types is ForceNew; GKE and AKS change the machine type in place (rolling).
    disruptsOn: { aws: ["node pool replace"] },
  },
  {
    name: "turn spot on",
    edit: (s) => (pool(s, "llm").spot = true),
    // The new group also gets the autoscaler's capacity-type label tag.
    expect: { replace: [LLM_GROUP, "aws_autoscaling_group_tag.cluster_llm_"], create: ["aws_autoscaling_group_tag.cluster_llm_"] },
    disrupts: ["node pool replace"],
  },
  { name: "grow the pool's disk", edit: (s) => (pool(s, "llm").diskGiB = 300), expect: { update: ["aws_launch_template.cluster_llm_launch-template", LLM_GROUP] } },
  // A new label or taint is also a new node-template tag on the ASG, for scale from zero.
  {
    name: "change the pool's labels",
    edit: (s) => (pool(s, "llm").labels = { workload: "llm", tier: "gold" }),
    expect: { update: [LLM_GROUP], create: ["aws_autoscaling_group_tag.cluster_llm_asg-tag-node-template-label-tier"] },
  },
  {
    name: "add a taint",
    edit: (s) => (pool(s, "llm").taints = [{ key: "team", value: "llm", effect: "NoSchedule" }]),
    expect: { update: [LLM_GROUP], create: ["aws_autoscaling_group_tag.cluster_llm_asg-tag-node-template-taint-team"] },
  },
  {
    name: "bump the Kubernetes minor",
    edit: (s) => (s.cluster.version = "1.35"),
    // v1 runs 1.34 (aws.test.ts); GKE and AKS get 1.35 from their overlays already.
    expect: { update: ["aws_eks_cluster.cluster", "aws_eks_addon.cluster_vpc-cni", "aws_eks_addon.cluster_coredns"] },
  },
  { name: "add a bucket", edit: (s) => s.storage.buckets.push({ name: "features" }), expect: { create: ["aws_s3_bucket.storage_features", "aws_kms_key.storage_features_key"] } },
  {
    name: "remove a bucket (data loss: the guard's job, replaced by nothing)",
    edit: (s) => (s.storage.buckets = s.storage.buckets.filter((b: Spec) => b.name !== "evals")),
    expect: { delete: ["aws_s3_bucket.storage_evals", "aws_kms_key.storage_evals_key", "aws_kms_alias.storage_evals_", "aws_s3_bucket_lifecycle_configuration.storage_evals_", "aws_s3_bucket_logging.storage_evals_", "aws_s3_bucket_ownership_controls.storage_evals_", "aws_s3_bucket_policy.storage_evals_", "aws_s3_bucket_public_access_block.storage_evals_", "aws_s3_bucket_server_side_encryption_configuration.storage_evals_", "aws_s3_bucket_versioning.storage_evals_"], update: ["aws_s3_bucket_policy.storage_access-logs_policy"] },
  },
  { name: "change tiering", edit: (s) => (bucket(s, "models").tiering = { coolAfterDays: 60 }), expect: { update: ["aws_s3_bucket_lifecycle_configuration.storage_models_lifecycle"] } },
  { name: "add an expiry", edit: (s) => (bucket(s, "evals").expireAfterDays = 365), expect: { update: ["aws_s3_bucket_lifecycle_configuration.storage_evals_lifecycle"] } },
  { name: "turn versioning off", edit: (s) => (bucket(s, "evals").versioning = false), expect: { update: ["aws_s3_bucket_versioning.storage_evals_versioning"] } },
  { name: "add an image repository", edit: (s) => s.registry.images.push({ name: "trainer" }), expect: { create: ["aws_ecr_repository.registry_trainer"] } },
  {
    name: "remove an image repository (data loss: the guard's job)",
    edit: (s) => {
      s.registry.images = s.registry.images.filter((i: Spec) => i.name !== "vllm");
      endpoint(s, "chat").image = "public.ecr.aws/example/vllm:0.11.0";
    },
    expect: { delete: ["aws_ecr_repository.registry_vllm", "aws_ecr_lifecycle_policy.registry_vllm_"] },
  },
  // Intended: `policy` of aws_ecr_lifecycle_policy is ForceNew; the policy holds no data (images stay).
  { name: "change keepLast", edit: (s) => (s.registry.images[0].keepLast = 50), expect: { replace: ["aws_ecr_lifecycle_policy.registry_vllm_lifecycle"] } },
  {
    name: "roll out a new endpoint image",
    edit: (s) => (endpoint(s, "embed").image = "embeddings:1.9.0"),
    // Intended: a new model and configuration come up before the old go (create_before_destroy);
    // scaling is deregistered around the endpoint's in-place update and registered again.
    expect: { update: [EMBED], replace: ROLLOUT },
  },
  {
    name: "point the endpoint at a new model",
    edit: (s) => (endpoint(s, "embed").model = { bucket: "models", path: "bge-m3/" }),
    expect: { update: [EMBED], replace: ROLLOUT },
  },
  {
    name: "change the endpoint's autoscaling",
    edit: (s) => (endpoint(s, "embed").autoscaling = { min: 1, max: 4, targetConcurrency: 16 }),
    expect: { update: ["aws_appautoscaling_target.serving_embed_scaling-target", "aws_appautoscaling_policy.serving_embed_scaling-policy"] },
  },
  {
    name: "change the endpoint's GPU type",
    edit: (s) => (endpoint(s, "embed").gpu = { type: "A10G", count: 1 }),
    // The instance type lives in the configuration only: the model stays.
    expect: { update: [EMBED], replace: ROLLOUT.filter((p) => p !== "aws_sagemaker_model.") },
  },
  {
    name: "change the endpoint's alarms",
    edit: (s) => (endpoint(s, "embed").alarms = { latencyP99Ms: 800, errorRatePercent: 2 }),
    expect: { update: ["aws_cloudwatch_metric_alarm.serving_embed_latency-alarm", "aws_cloudwatch_metric_alarm.serving_embed_error-alarm"] },
  },
  {
    name: "add an alert e-mail",
    edit: (s) => s.observability.alertEmails.push("sre@example.com"),
    expect: { create: ["aws_sns_topic_subscription."] },
  },
  { name: "change log retention", edit: (s) => (s.observability.logRetentionDays = 90), expect: { update: ["aws_cloudwatch_log_group.observability_cluster"] } },
  { name: "change the budget", edit: (s) => (s.budget.monthlyUsd = 9000), expect: { update: ["aws_budgets_budget.budget"] } },
  {
    name: "switch the local backend to the cloud's bucket backend (planned offline: resources unchanged)",
    // Each cloud's own: another cloud's bucket backend is refused at validate (MLP_STATE_BACKEND_CLOUD).
    edit: (s, cloud) =>
      (s.state =
        cloud === "gcp"
          ? { backend: "gcs", bucket: "acme-tfstate" }
          : cloud === "azure"
            ? { backend: "azurerm", resourceGroup: "tfstate", storageAccount: "acmetfstate", container: "tfstate" }
            : { backend: "s3", bucket: "acme-tfstate", region: "us-east-1" }),
    expect: { noop: true },
  },
];

/** Labels live in metadata: an edit of the whole document. */
export const LLM_SERVING_DOC_EDITS: readonly (Omit<Edit, "edit"> & { edit: (doc: Spec) => void })[] = [
  {
    name: "change the platform's labels (default tags)",
    edit: (d) => (d.metadata.labels = { ...d.metadata.labels, team: "llm" }),
    expect: { update: ["aws_eks_cluster.cluster", "aws_s3_bucket.storage_models"] },
  },
];

export { ADMIN, EMBED, EMBED_CONFIG, LLM_GROUP };
