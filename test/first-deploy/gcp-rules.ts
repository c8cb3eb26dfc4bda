import { loadCatalog } from "../../src/catalog/index.js";
import { GCP_PIPELINE_RULES } from "./pipeline-rules.js";
import { GCP_NOTEBOOK_RULES } from "./notebook-rules.js";
import { resourcesOf, type FirstDeployRule, type SynthJson } from "./rule.js";
import { GCP_TRAFFIC_RULES } from "./traffic-rollout-rules.js";

/**
 * First-deploy rules for GCP: what Google Cloud checks when resources are created on a fresh
 * project, which `terraform validate` and `plan` do not. Each rule cites the page that states it.
 */

const list = (v: unknown): Record<string, any>[] => (Array.isArray(v) ? v : v ? [v as Record<string, any>] : []);
const one = (v: unknown): Record<string, any> | undefined => list(v)[0];
/** A literal value (not a `${…}` reference the plan fills in). */
const literal = (v: unknown): v is string => typeof v === "string" && !v.includes("${");

/** Service agents created just in time (on first use of their service), by e-mail domain → API. */
const JIT_AGENTS: Readonly<Record<string, string>> = {
  "gcp-sa-artifactregistry.iam.gserviceaccount.com": "artifactregistry.googleapis.com",
  "gcp-sa-aiplatform.iam.gserviceaccount.com": "aiplatform.googleapis.com",
};

/** Resource types that grant a role to a member. */
const GRANT_TYPES = [
  "google_kms_crypto_key_iam_member",
  "google_storage_bucket_iam_member",
  "google_project_iam_member",
  "google_artifact_registry_repository_iam_member",
  "google_service_account_iam_member",
];

/** Addresses of the service identities for `api`. */
function identitiesOf(json: SynthJson, api: string): string[] {
  return resourcesOf(json, "google_project_service_identity")
    .filter(([, r]) => r.service === api && r.provider === "google-beta")
    .map(([name]) => `google_project_service_identity.${name}`);
}

/** GKE spreads a pool without node_locations over three zones. */
const GKE_DEFAULT_ZONES = 3;

interface NameLimit {
  readonly type: string;
  readonly attribute: string;
  readonly ok: (v: string) => boolean;
  readonly rule: string;
}

const NAME_LIMITS: readonly NameLimit[] = [
  { type: "google_container_cluster", attribute: "name", ok: (v) => /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(v), rule: "1-40 lowercase letters, digits, hyphens, starting with a letter" },
  { type: "google_container_node_pool", attribute: "name", ok: (v) => /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(v), rule: "1-40 lowercase letters, digits, hyphens" },
  { type: "google_service_account", attribute: "account_id", ok: (v) => /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(v), rule: "6-30 characters, [a-z][a-z0-9-]{4,28}[a-z0-9]" },
  {
    type: "google_storage_bucket",
    attribute: "name",
    ok: (v) => /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/.test(v) && !/google|^goog/.test(v),
    rule: "3-63 lowercase letters, digits, hyphens, underscores; no 'google', no 'goog' prefix",
  },
  { type: "google_cloud_run_v2_service", attribute: "name", ok: (v) => /^[a-z]([-a-z0-9]{0,47}[a-z0-9])?$/.test(v), rule: "at most 49 characters, lowercase, starting with a letter" },
  { type: "google_artifact_registry_repository", attribute: "repository_id", ok: (v) => /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v), rule: "up to 63 lowercase letters, digits, hyphens" },
  { type: "google_kms_key_ring", attribute: "name", ok: (v) => /^[a-zA-Z0-9_-]{1,63}$/.test(v), rule: "1-63 of [a-zA-Z0-9_-]" },
  { type: "google_kms_crypto_key", attribute: "name", ok: (v) => /^[a-zA-Z0-9_-]{1,63}$/.test(v), rule: "1-63 of [a-zA-Z0-9_-]" },
  { type: "google_compute_network", attribute: "name", ok: (v) => /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v), rule: "RFC 1035, 1-63 characters" },
  { type: "google_compute_subnetwork", attribute: "name", ok: (v) => /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v), rule: "RFC 1035, 1-63 characters" },
];

/** GCP labels: at most 64; keys start with a lowercase letter; keys and values ≤ 63 of [a-z0-9_-]. */
function labelProblems(where: string, labels: unknown): string[] {
  if (!labels || typeof labels !== "object") return [];
  const entries = Object.entries(labels as Record<string, unknown>);
  const out: string[] = [];
  if (entries.length > 64) out.push(`${where}: ${entries.length} labels (at most 64)`);
  for (const [k, v] of entries) {
    if (!/^[a-z][a-z0-9_-]{0,62}$/.test(k)) out.push(`${where}: label key "${k}" is not [a-z][a-z0-9_-]{0,62}`);
    if (literal(v) && !/^[a-z0-9_-]{0,63}$/.test(v)) out.push(`${where}: label ${k} value "${v}" is not [a-z0-9_-]{0,63}`);
  }
  return out;
}

export const GCP_RULES: readonly FirstDeployRule[] = [
  // spec.pipelines (issue 17)
  ...GCP_PIPELINE_RULES,
  {
    id: "gcp-service-agent-before-grant",
    cloud: "gcp",
    description:
      "Service agents created just in time (Artifact Registry, Vertex AI) do not exist on a fresh project: a grant naming one fails with 400 'Service account … does not exist' unless google_project_service_identity creates it first (depends_on or its member).",
    source: "https://cloud.google.com/iam/docs/service-agents#just-in-time",
    check: (json) =>
      GRANT_TYPES.flatMap((type) =>
        resourcesOf(json, type).flatMap(([name, g]) => {
          const member = String(g.member ?? "");
          const api = Object.entries(JIT_AGENTS).find(([domain]) => member.includes(`@${domain}`))?.[1];
          if (!api) return [];
          const identities = identitiesOf(json, api);
          const deps: string[] = g.depends_on ?? [];
          const ordered = identities.some((id) => deps.includes(id) || member.includes(`\${${id}.`));
          return ordered ? [] : [`${type}.${name} grants ${member} before google_project_service_identity creates the ${api} agent`];
        }),
      ),
  },
  {
    id: "gcp-gpu-pool-zones",
    cloud: "gcp",
    description:
      "A GPU node pool is created in every zone of node_locations (or the cluster's default zones): each must offer the accelerator, or pool creation fails.",
    source: "https://cloud.google.com/compute/docs/gpus/gpu-regions-zones",
    check: (json, ctx) => {
      const catalog = loadCatalog();
      return resourcesOf(json, "google_container_node_pool").flatMap(([name, p]) => {
        const nc = one(p.node_config) ?? {};
        const acc = one(nc.guest_accelerator);
        if (!acc) return [];
        const gpu = ctx.model.cluster?.nodePools.find((x) => x.instanceType === nc.machine_type && x.gpu?.acceleratorId === acc.type)?.gpu;
        const zones: string[] | undefined = p.node_locations;
        if (!zones) return [`google_container_node_pool.${name} (${acc.type}) has no node_locations: it spans the cluster's default zones, which need not offer it`];
        if (!gpu) return [];
        const avail = catalog.acceleratorZones("gcp", ctx.model.region, gpu.type, nc.machine_type);
        if (!avail.known) return [];
        return zones.filter((z) => !avail.zones.includes(z)).map((z) => `google_container_node_pool.${name}: zone ${z} does not offer ${gpu.type} (${nc.machine_type})`);
      });
    },
  },
  {
    id: "gcp-initial-node-count",
    cloud: "gcp",
    description:
      "initial_node_count is per zone: more than ceil(min / zones) creates nodes (and needs GPU quota) in every zone beyond the pool's minimum.",
    source: "https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/container_node_pool#initial_node_count",
    check: (json) =>
      resourcesOf(json, "google_container_node_pool").flatMap(([name, p]) => {
        const min = Number(one(p.autoscaling)?.total_min_node_count ?? 0);
        const zones = (p.node_locations as string[] | undefined)?.length ?? GKE_DEFAULT_ZONES;
        const limit = min <= 0 ? 0 : Math.ceil(min / zones);
        const initial = Number(p.initial_node_count ?? 0);
        return initial > limit ? [`google_container_node_pool.${name}: initial_node_count ${initial} > ceil(${min} / ${zones}) = ${limit}`] : [];
      }),
  },
  {
    id: "gcp-names-and-labels",
    cloud: "gcp",
    description: "Resource names and labels within Google Cloud's limits (GKE 40 characters, service account ids 6-30, bucket naming, Cloud Run 49, labels 63 of [a-z0-9_-]).",
    source: "https://cloud.google.com/resource-manager/docs/labels-overview#requirements",
    check: (json) => [
      ...NAME_LIMITS.flatMap((l) =>
        resourcesOf(json, l.type).flatMap(([name, r]) => {
          const v = r[l.attribute];
          return literal(v) && !l.ok(v) ? [`${l.type}.${name} ${l.attribute} "${v}" breaks the limit: ${l.rule}`] : [];
        }),
      ),
      ...Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
        Object.entries(byName as Record<string, any>).flatMap(([name, r]) => [
          // a notification channel's `labels` are its settings (email_address), not resource labels
          ...(type === "google_monitoring_notification_channel" ? labelProblems(`${type}.${name} user_labels`, r.user_labels) : labelProblems(`${type}.${name} labels`, r.labels)),
          ...labelProblems(`${type}.${name} resource_labels`, r.resource_labels),
        ]),
      ),
      ...list(json.provider?.google).flatMap((p, i) => labelProblems(`provider.google[${i}] default_labels`, p.default_labels)),
    ],
  },
  {
    id: "gcp-cluster-api-reachable",
    cloud: "gcp",
    description:
      "mlplat applies k8s/ from where it runs: a private-endpoint cluster needs the DNS-based control-plane endpoint open to (IAM-authorized) external traffic, or the runner has no path to the API.",
    source: "https://cloud.google.com/kubernetes-engine/docs/concepts/network-isolation#dns-based_endpoint",
    check: (json) =>
      resourcesOf(json, "google_container_cluster").flatMap(([name, c]) => {
        const priv = one(c.private_cluster_config)?.enable_private_endpoint === true;
        const dns = one(one(c.control_plane_endpoints_config)?.dns_endpoint_config);
        return priv && dns?.allow_external_traffic !== true ? [`google_container_cluster.${name}: private endpoint without the DNS-based endpoint (allow_external_traffic)`] : [];
      }),
  },
  {
    id: "gcp-default-pool-identity",
    cloud: "gcp",
    description:
      "The cluster's temporary default pool runs nodes while the cluster is created: without node_config they run as the Compute Engine default service account (Editor on many projects) with Google-managed boot disks.",
    source: "https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa",
    check: (json) =>
      resourcesOf(json, "google_container_cluster").flatMap(([name, c]) => {
        const nc = one(c.node_config);
        const out: string[] = [];
        if (!nc?.service_account) out.push(`google_container_cluster.${name}: default pool without a node service account`);
        if (!nc?.boot_disk_kms_key) out.push(`google_container_cluster.${name}: default pool without a CMEK boot disk`);
        return out;
      }),
  },
  {
    id: "gcp-no-image-from-same-apply",
    cloud: "gcp",
    description:
      "A Cloud Run revision starts at creation and pulls its image: an image in an Artifact Registry repository that the same apply creates cannot have been pushed yet, so the service fails to create.",
    source: "https://cloud.google.com/run/docs/deploying#service",
    check: (json) => {
      // A remote repository (the MLflow image's ghcr.io pull-through) fetches from its upstream on
      // the first pull: its images exist as soon as it does
      // (https://cloud.google.com/artifact-registry/docs/repositories/remote-overview).
      const repos = resourcesOf(json, "google_artifact_registry_repository")
        .filter(([, r]) => r.mode !== "REMOTE_REPOSITORY")
        .map(([, r]) => `${r.location}-docker.pkg.dev/${r.project}/${r.repository_id}/`);
      return resourcesOf(json, "google_cloud_run_v2_service").flatMap(([name, s]) =>
        list(one(s.template)?.containers)
          .map((c) => String(c.image ?? ""))
          .filter((image) => repos.some((r) => image.startsWith(r)))
          .map((image) => `google_cloud_run_v2_service.${name} runs ${image} from a repository this apply creates`),
      );
    },
  },
  ...GCP_TRAFFIC_RULES,
  ...GCP_NOTEBOOK_RULES,
];
