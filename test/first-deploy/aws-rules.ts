import { loadCatalog } from "../../src/catalog/index.js";
import { AWS_PIPELINE_RULES } from "./aws-pipeline-rules.js";
import { AWS_ROLLOUT_RULES } from "./aws-rollout-rules.js";
import { resourcesOf, type FirstDeployRule, type SynthJson } from "./rule.js";

/**
 * First-deploy rules for AWS: what AWS checks when resources are created on a fresh account,
 * which `terraform validate` and `plan` do not. Each rule cites the page that states it.
 */

const one = (v: unknown): Record<string, any> | undefined => (Array.isArray(v) ? v[0] : (v as Record<string, any> | undefined));
const list = (v: unknown): Record<string, any>[] => (Array.isArray(v) ? v : v ? [v as Record<string, any>] : []);
/** A literal value (not a `${…}` reference the plan fills in). */
const literal = (v: unknown): v is string => typeof v === "string" && !v.includes("${");

interface NameLimit {
  readonly type: string;
  readonly attribute: string;
  readonly re: RegExp;
  readonly rule: string;
}

function nameRule(id: string, description: string, source: string, limits: readonly NameLimit[]): FirstDeployRule {
  return {
    id,
    cloud: "aws",
    description,
    source,
    check: (json) =>
      limits.flatMap((l) =>
        resourcesOf(json, l.type).flatMap(([name, r]) => {
          const value = r[l.attribute];
          if (!literal(value) || l.re.test(value)) return [];
          return [`${l.type}.${name} ${l.attribute} "${value}" (${value.length} characters) breaks the limit: ${l.rule}`];
        }),
      ),
  };
}

/** S3 general purpose bucket names. */
function s3NameProblem(n: string): string | undefined {
  if (n.length < 3 || n.length > 63) return `${n.length} characters (3-63)`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(n)) return "only lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit";
  if (n.includes("..")) return "two adjacent periods";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(n)) return "formatted as an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(n) || /(-s3alias|--ol-s3|--x-s3|--table-s3|\.mrap)$/.test(n)) return "a reserved prefix or suffix";
  return undefined;
}

export const AWS_RULES: readonly FirstDeployRule[] = [
  {
    id: "aws-private-api-access-path",
    cloud: "aws",
    description:
      "A private-only EKS API endpoint is reachable from outside the VPC only when the cluster security group admits 443 from the connected network (VPN, peering, Direct Connect); without it mlplat cannot apply k8s/.",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html#private-access",
    check: (json, ctx) =>
      resourcesOf(json, "aws_eks_cluster").flatMap(([name, c]) => {
        const vpc = one(c.vpc_config) ?? {};
        if (vpc.endpoint_public_access !== false) return [];
        const sg = `aws_eks_cluster.${name}.vpc_config[0].cluster_security_group_id`;
        const rules = resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter(
          ([, r]) => String(r.security_group_id).includes(sg) && (r.ip_protocol === "tcp" || r.ip_protocol === "-1") && (r.from_port ?? 0) <= 443 && (r.to_port ?? 65535) >= 443,
        );
        const cidrs = rules.map(([, r]) => r.cidr_ipv4).filter(Boolean);
        const missing = ctx.model.network.adminCidrs.filter((c) => !cidrs.includes(c));
        if (rules.length === 0) return [`aws_eks_cluster.${name} has a private-only endpoint and no 443 ingress on its cluster security group: nothing outside the VPC reaches the API`];
        return missing.map((c) => `aws_eks_cluster.${name}: adminCidrs range ${c} has no 443 ingress on the cluster security group`);
      }),
  },
  {
    id: "aws-endpoint-image-not-from-same-apply-registry",
    cloud: "aws",
    description:
      "SageMaker CreateModel pulls the container image when the model is created; an image in an ECR repository that the same apply creates cannot have been pushed yet, so the first apply fails (deploy defers such endpoints until the image is pushed).",
    source: "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html",
    check: (json) => {
      const repos = new Map(resourcesOf(json, "aws_ecr_repository").map(([name, r]) => [r.name as string, name]));
      return resourcesOf(json, "aws_sagemaker_model").flatMap(([name, m]) =>
        [...list(m.primary_container), ...list(m.container)].flatMap((c) => {
          const image = String(c.image ?? "");
          const path = /^[^/]+\.dkr\.ecr\.[^/]+\/([^:@]+)/.exec(image)?.[1];
          const repo = path ? repos.get(path) : undefined;
          return repo ? [`aws_sagemaker_model.${name} runs ${image} from aws_ecr_repository.${repo}, which this apply creates: the image cannot have been pushed yet`] : [];
        }),
      );
    },
  },
  {
    id: "aws-gpu-node-group-nvidia-ami",
    cloud: "aws",
    description:
      "EKS managed node groups on NVIDIA GPU instances need an accelerated AMI type (AL2023_x86_64_NVIDIA) for the driver and container toolkit; the standard AMI leaves GPUs invisible to the device plugin and GPU pods Pending.",
    source: "https://docs.aws.amazon.com/eks/latest/userguide/ml-eks-optimized-ami.html",
    check: (json) => {
      const catalog = loadCatalog();
      return resourcesOf(json, "aws_eks_node_group").flatMap(([name, g]) =>
        (g.instance_types ?? []).flatMap((t: string) => {
          const row = catalog.instance("aws", t);
          if (row?.acceleratorVendor !== "nvidia" || /NVIDIA/.test(String(g.ami_type))) return [];
          return [`aws_eks_node_group.${name} runs ${t} (${row.accelerator}) on ami_type ${g.ami_type ?? "default"}, not an NVIDIA AMI`];
        }),
      );
    },
  },
  {
    id: "aws-s3-bucket-names",
    cloud: "aws",
    description: "S3 general purpose bucket names are 3-63 lowercase letters, digits, dots and hyphens, start and end with a letter or digit, and avoid IP forms and reserved prefixes and suffixes.",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
    check: (json: SynthJson) =>
      resourcesOf(json, "aws_s3_bucket").flatMap(([name, b]) => {
        if (!literal(b.bucket)) return [];
        const p = s3NameProblem(b.bucket);
        return p ? [`aws_s3_bucket.${name} bucket "${b.bucket}": ${p}`] : [];
      }),
  },
  nameRule(
    "aws-iam-role-names",
    "IAM role names are at most 64 characters of letters, digits and + = , . @ _ -.",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names",
    [{ type: "aws_iam_role", attribute: "name", re: /^[\w+=,.@-]{1,64}$/, rule: "1-64 of [A-Za-z0-9+=,.@_-]" }],
  ),
  nameRule(
    "aws-eks-names",
    "EKS cluster names are 1-100 and node group names 1-63 characters of letters, digits, hyphens and underscores, starting with a letter or digit.",
    "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html",
    [
      { type: "aws_eks_cluster", attribute: "name", re: /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, rule: "1-100, [0-9A-Za-z][A-Za-z0-9-_]*" },
      { type: "aws_eks_node_group", attribute: "node_group_name", re: /^[0-9A-Za-z][A-Za-z0-9_-]{0,62}$/, rule: "1-63, [0-9A-Za-z][A-Za-z0-9-_]*" },
    ],
  ),
  nameRule(
    "aws-sagemaker-names",
    "SageMaker model and endpoint names are 1-63 characters matching [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}; a generated endpoint configuration name adds 26 characters to its prefix.",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html",
    [
      { type: "aws_sagemaker_model", attribute: "name", re: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, rule: "1-63, [a-zA-Z0-9](-*[a-zA-Z0-9])*" },
      { type: "aws_sagemaker_endpoint", attribute: "name", re: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, rule: "1-63, [a-zA-Z0-9](-*[a-zA-Z0-9])*" },
      { type: "aws_sagemaker_endpoint_configuration", attribute: "name_prefix", re: /^[a-zA-Z0-9](-*[a-zA-Z0-9])*-?$/, rule: "a name of 1-63 once 26 generated characters are added" },
      { type: "aws_sagemaker_endpoint_configuration", attribute: "name_prefix", re: /^.{1,37}$/, rule: "at most 37 characters (63 with the 26 generated ones)" },
    ],
  ),
  nameRule(
    "aws-ecr-repository-names",
    "ECR repository names are 2-256 lowercase characters: path components of letters and digits separated by . _ - or /.",
    "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
    [{ type: "aws_ecr_repository", attribute: "name", re: /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, rule: "2-256, lowercase path components" }],
  ),
  // --- workspaces and tracking (v1.1) ---------------------------------------------------------
  {
    id: "aws-sagemaker-vpconly-endpoints",
    cloud: "aws",
    description:
      "A VpcOnly SageMaker domain runs no Studio app unless its VPC has interface endpoints for the SageMaker API and runtime (or a NAT gateway); mlplat adds the endpoints, STS with them.",
    source: "https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-and-internet-access.html",
    check: (json) => {
      const domains = resourcesOf(json, "aws_sagemaker_domain").filter(([, d]) => d.app_network_access_type === "VpcOnly");
      if (domains.length === 0) return [];
      const services = resourcesOf(json, "aws_vpc_endpoint").map(([, e]) => String(e.service_name ?? ""));
      const missing = ["sagemaker.api", "sagemaker.runtime", "sts"].filter((svc) => !services.some((s) => s.endsWith(`.${svc}`)));
      return domains.flatMap(([name]) => missing.map((m) => `aws_sagemaker_domain.${name} is VpcOnly and the VPC has no ${m} interface endpoint`));
    },
  },
  {
    id: "aws-sagemaker-vpconly-private-subnets",
    cloud: "aws",
    description: "A VpcOnly SageMaker domain must be in private subnets only, and its security group must allow TCP 8192-65535 within itself (between a space's apps).",
    source: "https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-and-internet-access.html",
    check: (json) =>
      resourcesOf(json, "aws_sagemaker_domain")
        .filter(([, d]) => d.app_network_access_type === "VpcOnly")
        .flatMap(([name, d]) => {
          const out: string[] = [];
          for (const ref of list(d.subnet_ids) as unknown as string[]) {
            const subnet = /^\$\{aws_subnet\.([^.]+)\.id\}$/.exec(String(ref))?.[1];
            const body = subnet ? json.resource?.aws_subnet?.[subnet] : undefined;
            if (!body || body.map_public_ip_on_launch === true || subnet!.includes("public")) out.push(`aws_sagemaker_domain.${name} uses subnet ${ref}, not one of the platform's private subnets`);
          }
          const groups = [...list(one(d.default_user_settings)?.security_groups)] as unknown as string[];
          for (const ref of groups) {
            const sg = /^\$\{aws_security_group\.([^.]+)\.id\}$/.exec(String(ref))?.[1];
            const ingress = list(sg ? json.resource?.aws_security_group?.[sg]?.ingress : undefined);
            const ok = ingress.some((r) => r.self === true && r.protocol === "tcp" && r.from_port <= 8192 && r.to_port >= 65535);
            if (!ok) out.push(`aws_sagemaker_domain.${name}: security group ${ref} does not allow TCP 8192-65535 from itself`);
          }
          if (groups.length === 0) out.push(`aws_sagemaker_domain.${name} has no security group in its default user settings (required with VpcOnly)`);
          return out;
        }),
  },
  {
    id: "aws-sagemaker-idle-timeout-range",
    cloud: "aws",
    description: "SageMaker's JupyterLab idle shutdown takes 60-525600 minutes (idle, minimum and maximum timeouts alike).",
    source: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-sagemaker-domain-idlesettings.html",
    check: (json) =>
      resourcesOf(json, "aws_sagemaker_domain").flatMap(([name, d]) => {
        const idle = one(one(one(one(d.default_user_settings)?.jupyter_lab_app_settings)?.app_lifecycle_management)?.idle_settings) ?? {};
        return (["idle_timeout_in_minutes", "min_idle_timeout_in_minutes", "max_idle_timeout_in_minutes"] as const)
          .filter((k) => idle[k] !== undefined && idle[k] !== null && !(idle[k] >= 60 && idle[k] <= 525_600))
          .map((k) => `aws_sagemaker_domain.${name} ${k} ${idle[k]} is outside 60-525600`);
      }),
  },
  {
    id: "aws-sagemaker-role-before-use",
    cloud: "aws",
    description:
      "SageMaker checks an execution role's permissions when a user profile or MLflow tracking server is created: the role's policy must be attached first (the resource depends on it), or creation fails on IAM propagation.",
    source: "https://docs.aws.amazon.com/sagemaker/latest/dg/mlflow-create-tracking-server-iam.html",
    check: (json) =>
      [...resourcesOf(json, "aws_sagemaker_user_profile").map(([n, r]) => [`aws_sagemaker_user_profile.${n}`, r] as const), ...resourcesOf(json, "aws_sagemaker_mlflow_tracking_server").map(([n, r]) => [`aws_sagemaker_mlflow_tracking_server.${n}`, r] as const)].flatMap(
        ([address, r]) => ((r.depends_on ?? []) as string[]).some((d) => d.startsWith("aws_iam_role_policy.")) ? [] : [`${address} does not depend on its execution role's policy`],
      ),
  },
  nameRule(
    "aws-sagemaker-studio-names",
    "SageMaker domain and user profile names are 1-63 and MLflow tracking server names 1-256 characters matching [a-zA-Z0-9](-*[a-zA-Z0-9])*.",
    "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateUserProfile.html",
    [
      { type: "aws_sagemaker_domain", attribute: "domain_name", re: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, rule: "1-63, [a-zA-Z0-9](-*[a-zA-Z0-9])*" },
      { type: "aws_sagemaker_user_profile", attribute: "user_profile_name", re: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/, rule: "1-63, [a-zA-Z0-9](-*[a-zA-Z0-9])*" },
      { type: "aws_sagemaker_mlflow_tracking_server", attribute: "tracking_server_name", re: /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/, rule: "1-256, [a-zA-Z0-9](-*[a-zA-Z0-9])*" },
    ],
  ),
  nameRule(
    "aws-iam-policy-names",
    "IAM managed policy names are at most 128 characters of letters, digits and + = , . @ _ -.",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names",
    [{ type: "aws_iam_policy", attribute: "name", re: /^[\w+=,.@-]{1,128}$/, rule: "1-128 of [A-Za-z0-9+=,.@_-]" }],
  ),
  // --- pipelines (v1.1): ./aws-pipeline-rules.ts -----------------------------------------------
  ...AWS_PIPELINE_RULES,
  // --- rollout and monitoring (v1.1): ./aws-rollout-rules.ts -----------------------------------
  ...AWS_ROLLOUT_RULES,
];
