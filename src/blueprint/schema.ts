import { z } from "zod";

/**
 * Blueprint format v1 (../shared/BLUEPRINT-SPEC.md) as a zod schema. Shape, types, defaults and
 * single-field limits live here; rules that need several fields or the catalog live in
 * ./rules/. Every field carries a description: the JSON Schema generated from this file
 * (`mlplat schema`) gives editors hover docs and completion.
 *
 * Adding optional fields is fine; renaming or removing one is a breaking change (mlplat/v2).
 */
// A blueprint is parsed once per run: zod's JIT (compiling a fast path per object schema with
// `new Function`) costs more than it saves for a single parse.
z.config({ jitless: true });

export { GpuSchema } from "./schema/gpu.js";
import { GpuSchema } from "./schema/gpu.js";
import { WorkspacesSchema } from "./schema/workspaces.js";
import { TrackingSchema } from "./schema/tracking.js";
import { PipelineSchema } from "./schema/pipelines.js";
import { RolloutSchema } from "./schema/rollout.js";
import { MonitoringSchema } from "./schema/monitoring.js";

const d = (description: string) => ({ description });

const NAME = /^[a-z][a-z0-9-]{0,30}$/;
const itemName = (what: string) =>
  z
    .string()
    .regex(NAME, { message: `must be 1-31 characters: a lowercase letter, then lowercase letters, digits or '-'` })
    .meta(d(`Name of the ${what}, unique in its list; the cloud resource name is derived from it.`));

const email = z.email({ message: "must be an e-mail address" });
const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().min(0);

export const TaintSchema = z
  .strictObject({
    key: z.string().min(1).max(253).meta(d("Taint key.")),
    value: z.string().max(63).default("").meta(d("Taint value.")),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).meta(d("NoSchedule | PreferNoSchedule | NoExecute")),
  })
  .meta(d("A Kubernetes taint on the pool's nodes."));

export const BucketSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,30}$/, { message: "must be 2-31 characters: a lowercase letter, then lowercase letters, digits or '-'" })
      .meta(d("Bucket name, unique among buckets: [a-z][a-z0-9-]{1,30}. The cloud name gets a stable hashed suffix.")),
    versioning: z.boolean().default(true).meta(d("Keep object versions. @default true")),
    tiering: z
      .strictObject({
        coolAfterDays: positiveInt.optional().meta(d("Move objects to the cool/infrequent-access tier after this many days.")),
        archiveAfterDays: positiveInt.optional().meta(d("Move objects to the archive tier after this many days; greater than coolAfterDays.")),
      })
      .optional()
      .meta(d("Storage-class transitions (lifecycle).")),
    expireAfterDays: positiveInt.optional().meta(d("Delete objects after this many days; greater than archiveAfterDays when both are set.")),
    protect: z.boolean().default(true).meta(d("The bucket and its key can't be destroyed by mlplat or terraform (prevent_destroy). @default true")),
  })
  .meta(d("An encrypted, private object-storage bucket."));

export const ImageRepoSchema = z
  .strictObject({
    name: itemName("image repository"),
    immutableTags: z.boolean().default(true).meta(d("Tags can't be overwritten. @default true")),
    scanOnPush: z.boolean().default(true).meta(d("Scan images for vulnerabilities on push. @default true")),
    keepLast: positiveInt.max(10000).optional().meta(d("Keep only the newest N images; older ones expire.")),
  })
  .meta(d("A container image repository."));

export const SystemPoolSchema = z
  .strictObject({
    instanceType: z.string().min(1).optional().meta(d("Instance type of the system pool. @default the cloud's default (m6i.large, e2-standard-4, Standard_D4s_v5)")),
    min: nonNegativeInt.default(1).meta(d("@default 1")),
    max: positiveInt.default(3).meta(d("@default 3")),
  })
  .meta(d("The pool that runs cluster add-ons."));

export const NodePoolSchema = z
  .strictObject({
    name: itemName("node pool"),
    gpu: GpuSchema.optional(),
    instanceType: z.string().min(1).optional().meta(d("Explicit instance type; exactly one of gpu / instanceType.")),
    spot: z.boolean().default(false).meta(d("Spot/preemptible capacity. @default false")),
    min: nonNegativeInt.optional().meta(d("Minimum nodes. @default 0 for GPU pools, 1 otherwise")),
    max: positiveInt.max(1000).meta(d("Maximum nodes.")),
    diskGiB: positiveInt.min(20).max(16384).default(100).meta(d("Root/OS disk size in GiB. @default 100")),
    labels: z.record(z.string(), z.string()).default({}).meta(d("Kubernetes node labels.")),
    taints: z.array(TaintSchema).default([]).meta(d("Taints; GPU pools always also get nvidia.com/gpu=present:NoSchedule.")),
    zones: z
      .array(z.string().regex(/^[a-z0-9-]+$/, { message: "must be a zone name like us-central1-a (gcp), an AZ like us-east-1a or zone ID use1-az1 (aws), or 1, 2, 3 (azure)" }))
      .min(1)
      .refine((zs) => new Set(zs).size === zs.length, { message: "must not repeat a zone" })
      .optional()
      .meta(d("Zones of the region the pool's nodes go in (v1.1). @default for GPU pools, the region's zones that offer the accelerator (catalog); otherwise the cloud's default")),
  })
  .meta(d("A Kubernetes node pool: exactly one of gpu / instanceType."));

export const ClusterSchema = z
  .strictObject({
    version: z
      .string()
      .regex(/^1\.\d{2}$/, { message: "must be a Kubernetes minor version like \"1.33\" (quote it in YAML)" })
      .default("1.35")
      .meta(d("Kubernetes minor version, quoted: \"1.35\". @default \"1.35\" (in standard support on EKS, GKE and AKS; see src/catalog/data/kubernetes.json)")),
    admins: z.array(z.string().min(1)).default([]).meta(d("Principals given cluster-admin (IAM role ARNs, Entra group object IDs, Google groups). @default the identity that deploys")),
    systemPool: SystemPoolSchema.default({ min: 1, max: 3 }),
    nodePools: z.array(NodePoolSchema).default([]).meta(d("Worker node pools.")),
  })
  .meta(d("A private Kubernetes cluster; without it there is no Kubernetes."));

export const EndpointSchema = z
  .strictObject({
    name: itemName("endpoint"),
    runtime: z.enum(["managed", "kubernetes"]).default("managed").meta(d("managed (SageMaker, Cloud Run, Container Apps) | kubernetes (manifests on a GPU pool). @default managed")),
    image: z.string().min(1).meta(d("`<registry.images name>:<tag>`, or a full image URI.")),
    model: z
      .strictObject({
        bucket: z.string().min(1).meta(d("A declared storage bucket.")),
        path: z.string().default("").meta(d("Prefix of the model artifact in the bucket.")),
      })
      .optional()
      .meta(d("Model artifact in a declared bucket.")),
    gpu: GpuSchema.optional(),
    instanceType: z.string().min(1).optional().meta(d("Explicit instance type (SageMaker: ml.g5.xlarge); neither gpu nor instanceType = CPU-only.")),
    cpu: z.number().positive().max(96).optional().meta(d("vCPUs per replica where the runtime sizes containers (Cloud Run, Container Apps, Kubernetes). @default sized for the GPU")),
    memoryGiB: z.number().positive().max(1024).optional().meta(d("Memory per replica in GiB where the runtime sizes containers. @default sized for the GPU")),
    autoscaling: z
      .strictObject({
        min: nonNegativeInt.default(1).meta(d("@default 1")),
        max: positiveInt.max(1000).optional().meta(d("@default max(min, 1)")),
        targetConcurrency: positiveInt.optional().meta(d("Target concurrent requests per replica.")),
      })
      .default({ min: 1 })
      .meta(d("Replica autoscaling.")),
    alarms: z
      .strictObject({
        latencyP99Ms: positiveInt.optional().meta(d("Alert when p99 latency exceeds this many milliseconds.")),
        errorRatePercent: z.number().positive().max(100).optional().meta(d("Alert when the 5xx error rate exceeds this percentage.")),
      })
      .default({})
      .meta(d("Alarms to observability.alertEmails.")),
    rollout: RolloutSchema.optional(),
    monitoring: MonitoringSchema.optional(),
  })
  .meta(d("A model-serving endpoint."));

const StateSchema = z
  .discriminatedUnion("backend", [
    z.strictObject({ backend: z.literal("local").meta(d("State at .mlplat/state/<stack>.tfstate beside the blueprint.")) }),
    z.strictObject({
      backend: z.literal("s3"),
      bucket: z.string().min(3).meta(d("Existing S3 bucket for state.")),
      region: z.string().min(1).meta(d("Region of the state bucket.")),
      key: z.string().min(1).optional().meta(d("@default <stack>.tfstate")),
    }),
    z.strictObject({
      backend: z.literal("gcs"),
      bucket: z.string().min(3).meta(d("Existing GCS bucket for state.")),
      prefix: z.string().min(1).optional().meta(d("@default <stack>")),
    }),
    z.strictObject({
      backend: z.literal("azurerm"),
      resourceGroup: z.string().min(1),
      storageAccount: z.string().min(3),
      container: z.string().min(3),
      key: z.string().min(1).optional().meta(d("@default <stack>.tfstate")),
    }),
    z
      .strictObject({
        backend: z.literal("hcp"),
        organization: z
          .string()
          .regex(/^[A-Za-z0-9_-]+$/, { message: "must be an HCP Terraform organization name: letters, digits, - and _" })
          .meta(d("HCP Terraform / Terraform Enterprise organization.")),
        hostname: z
          .string()
          .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:\d+)?$/, { message: "must be a host name such as app.terraform.io or tfe.example.com (no scheme, no path)" })
          .optional()
          .meta(d("@default app.terraform.io; a Terraform Enterprise host otherwise.")),
        workspace: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,90}$/, { message: "must be a workspace name: 1 to 90 letters, digits, - and _" })
          .optional()
          .meta(d("@default <stack> (`<name>-<env>`): one workspace per environment. Not with tags.")),
        tags: z
          .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9:_-]{0,254}$/, { message: "must be a workspace tag: letters, digits, :, - and _" }))
          .min(1)
          .optional()
          .meta(d("Workspaces by tag instead of a name: mlplat selects the workspace named <stack> among them.")),
        // HCP Terraform's projects API: letters, digits, inner spaces, - and _, up to 40 characters.
        // Restricted here also because the cloud block is the one place a string reaches terraform unescaped.
        project: z
          .string()
          .regex(/^[A-Za-z0-9_-]([A-Za-z0-9_ -]{0,38}[A-Za-z0-9_-])?$/, { message: "must be an HCP Terraform project name: up to 40 letters, digits, inner spaces, - and _" })
          .optional()
          .meta(d("HCP Terraform project of the workspace (new workspaces are created in it).")),
      })
      .refine((s) => !(s.workspace && s.tags), { message: "set either workspace or tags, not both: Terraform's cloud block takes one", path: ["tags"] }),
  ])
  .default({ backend: "local" })
  .meta(d("Terraform state backend: local (default) | s3 | gcs | azurerm | hcp (HCP Terraform / Terraform Enterprise: plans and applies run there)."));

export const SpecSchema = z
  .strictObject({
    cloud: z.enum(["aws", "gcp", "azure"]).meta(d("aws | gcp | azure")),
    region: z.string().min(1).meta(d("A region of the chosen cloud (us-east-1, us-central1, eastus, …).")),
    aws: z
      .strictObject({ accountId: z.string().regex(/^\d{12}$/, { message: "must be the 12-digit AWS account id, quoted" }).meta(d("12-digit account id, quoted.")) })
      .optional()
      .meta(d("Required for aws.")),
    gcp: z
      .strictObject({
        project: z
          .string()
          .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, { message: "must be a GCP project id: 6-30 lowercase letters, digits or '-'" })
          .meta(d("Project id.")),
        billingAccount: z
          .string()
          .regex(/^[0-9A-Fa-f]{6}-[0-9A-Fa-f]{6}-[0-9A-Fa-f]{6}$/, { message: "must look like 0X0X0X-0X0X0X-0X0X0X" })
          .optional()
          .meta(d("Billing account; needed for a budget.")),
      })
      .optional()
      .meta(d("Required for gcp.")),
    azure: z
      .strictObject({
        subscriptionId: z.guid({ message: "must be a subscription id (a UUID)" }).meta(d("Subscription id.")),
        resourceGroup: z.string().min(1).max(90).optional().meta(d("@default <name>-<env>")),
        tenantId: z.guid({ message: "must be a tenant id (a UUID)" }).optional().meta(d("Entra tenant id. @default the provider's")),
      })
      .optional()
      .meta(d("Required for azure.")),
    network: z
      .strictObject({
        cidr: z.string().default("10.0.0.0/16").meta(d("RFC 1918 CIDR, /16 to /24. @default 10.0.0.0/16")),
        privateCluster: z.boolean().default(true).meta(d("Private API endpoint only, no public node IPs. @default true")),
        adminCidrs: z.array(z.string()).default([]).meta(d("Who reaches the cluster API and the firewalled key vault / registry. Private cluster: VPN, peered or on-premises ranges (RFC 1918 allowed; aws: 443 on the cluster security group; azure: through the private endpoints, public ranges also open the vault and registry firewalls; gcp: master authorized networks beside the DNS endpoint). Public cluster: public ranges only, then required. Never 0.0.0.0/0.")),
      })
      .default({ cidr: "10.0.0.0/16", privateCluster: true, adminCidrs: [] })
      .meta(d("The platform's private network: VPC/VNet, subnets, NAT.")),
    storage: z
      .strictObject({ buckets: z.array(BucketSchema).default([]).meta(d("Encrypted buckets for datasets and models.")) })
      .default({ buckets: [] })
      .meta(d("Object storage.")),
    registry: z
      .strictObject({
        images: z.array(ImageRepoSchema).default([]).meta(d("Container image repositories.")),
        models: z.boolean().default(false).meta(d("Provision the cloud's model registry. @default false")),
      })
      .default({ images: [], models: false })
      .meta(d("Container image repositories and the model registry.")),
    cluster: ClusterSchema.optional(),
    serving: z
      .strictObject({ endpoints: z.array(EndpointSchema).default([]).meta(d("Model-serving endpoints.")) })
      .default({ endpoints: [] })
      .meta(d("Model serving.")),
    observability: z
      .strictObject({
        logRetentionDays: positiveInt.max(3653).default(30).meta(d("Log retention in days, rounded up to a value the cloud accepts. @default 30")),
        alertEmails: z.array(email).default([]).meta(d("Where alarms go.")),
      })
      .default({ logRetentionDays: 30, alertEmails: [] })
      .meta(d("Logs and alarms.")),
    workspaces: WorkspacesSchema.optional(),
    tracking: TrackingSchema.optional(),
    pipelines: z
      .array(PipelineSchema)
      .default([])
      .meta(d("Retraining pipelines (v1.1), defined with the team's own SDK, run on a schedule or on events.")),
    budget: z
      .strictObject({
        monthlyUsd: z.number().positive().meta(d("Monthly budget in USD.")),
        alertAtPercent: z.array(positiveInt.max(1000)).min(1).default([80, 100]).meta(d("@default [80, 100]")),
        emails: z.array(email).default([]).meta(d("Who is told. @default observability.alertEmails")),
      })
      .optional()
      .meta(d("A monthly cost budget with alerts.")),
    state: StateSchema,
  })
  .meta(d("The platform."));

export const MetadataSchema = z.strictObject({
  name: z
    .string()
    .min(3, { message: "must be 3-20 characters" })
    .max(20, { message: "must be 3-20 characters" })
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, { message: "must start with a lowercase letter, hold lowercase letters, digits or '-', and not end with '-'" })
    .meta(d("3-20 chars, [a-z][a-z0-9-]*[a-z0-9]; prefix of every resource name.")),
  owner: z.string().min(1).meta(d("Required; becomes an `owner` tag/label on every resource.")),
  labels: z.record(z.string(), z.string()).default({}).meta(d("Tags (AWS, Azure) / labels (GCP) on every resource.")),
});

/** An environment overlay: a partial spec and metadata.labels, merged over the base. */
export const EnvironmentSchema = z
  .strictObject({
    spec: z.record(z.string(), z.unknown()).optional().meta(d("A partial spec merged over the base.")),
    metadata: z.strictObject({ labels: z.record(z.string(), z.string().nullable()).optional() }).optional(),
  })
  .meta(d("An overlay chosen with --env NAME: maps merge, named lists merge on name, null deletes."));

export const BlueprintSchema = z
  .strictObject({
    apiVersion: z.literal("mlplat/v1", { message: "must be mlplat/v1" }).meta(d("mlplat/v1")),
    kind: z.literal("Platform", { message: "must be Platform" }).meta(d("Platform")),
    metadata: MetadataSchema,
    spec: SpecSchema,
    environments: z
      .record(z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, { message: "environment names are 1-20 lowercase letters, digits or '-'" }), EnvironmentSchema)
      .optional()
      .meta(d("Optional overlays, chosen with --env NAME.")),
  })
  .meta({ title: "mlplat blueprint v1", description: "One YAML file that describes one ML platform on AWS, GCP or Azure." });

export type Blueprint = z.output<typeof BlueprintSchema>;
export type BlueprintSpec = Blueprint["spec"];
export type NodePool = z.output<typeof NodePoolSchema>;
export type Endpoint = z.output<typeof EndpointSchema>;
export type Bucket = z.output<typeof BucketSchema>;
