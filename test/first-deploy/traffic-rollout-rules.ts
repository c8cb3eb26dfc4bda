import { resourcesOf, type FirstDeployRule, type SynthJson } from "./rule.js";

/**
 * First-deploy rules of the stepped traffic rollout on Cloud Run and Container Apps (issue 18):
 * what the services check when a pinned revision and a traffic split by revision are created,
 * which `terraform validate` and `plan` do not. Part of GCP_RULES and AZURE_RULES.
 */
const one = (v: unknown): Record<string, any> | undefined => (Array.isArray(v) ? v[0] : (v as Record<string, any> | undefined));

/** The traffic variable a service's dynamic block iterates, and its default split. */
function splitOf(json: SynthJson, block: unknown): { variable: string; default: { revision: string; percent: number }[] } | undefined {
  const m = /var\.(mlplat_traffic_[a-z0-9-]+)/.exec(JSON.stringify(block ?? ""));
  if (!m) return undefined;
  return { variable: m[1]!, default: (json.variable?.[m[1]!]?.default ?? []) as { revision: string; percent: number }[] };
}

/** A split that sends everything to one revision. */
const allTo = (split: readonly { revision: string; percent: number }[], revision: string): boolean => split.length === 1 && split[0]!.revision === revision && split[0]!.percent === 100;

export const GCP_TRAFFIC_RULES: readonly FirstDeployRule[] = [
  {
    id: "gcp-cloud-run-pinned-revision-name",
    cloud: "gcp",
    description:
      "A revision name chosen by the client must be prefixed by the service name and a hyphen, be a DNS label of at most 63 characters, and change whenever the template changes; a service created with a traffic split by revision must send its traffic to revisions that exist, so the first split names the pinned revision alone, at 100%.",
    // Knative's rule for client-chosen revision names, which Cloud Run applies: https://github.com/knative/serving/pull/3562
    source: "https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/cloud_run_v2_service#revision",
    check: (json) =>
      resourcesOf(json, "google_cloud_run_v2_service").flatMap(([name, s]) => {
        const revision = one(s.template)?.revision as string | undefined;
        const split = splitOf(json, s.dynamic?.traffic);
        if (revision === undefined && !split) return [];
        const at = `google_cloud_run_v2_service.${name}`;
        const out: string[] = [];
        if (revision === undefined) return [`${at} splits traffic by revision without a pinned template.revision`];
        if (!revision.startsWith(`${s.name}-`)) out.push(`${at} revision ${revision} does not start with the service name ${s.name}-`);
        if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(revision)) out.push(`${at} revision ${revision} is not a DNS label of at most 63 characters`);
        if (!split || !allTo(split.default, revision)) out.push(`${at} traffic default does not send 100% to the pinned revision ${revision}`);
        return out;
      }),
  },
];

export const AZURE_TRAFFIC_RULES: readonly FirstDeployRule[] = [
  {
    id: "azure-container-app-latest-revision-on-create",
    cloud: "azure",
    description:
      "A container app created in Multiple revision mode must list the latest revision in its traffic weights (a create without it hangs and fails); the pinned suffix is the latest revision, and the default split gives it 100%.",
    // Why: https://github.com/hashicorp/terraform-provider-azurerm/issues/27221 (the provider's maintainers on the hanging create).
    source: "https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/container_app#latest_revision",
    check: (json) =>
      resourcesOf(json, "azurerm_container_app").flatMap(([name, app]) => {
        if (app.revision_mode !== "Multiple") return [];
        const at = `azurerm_container_app.${name}`;
        const suffix = one(app.template)?.revision_suffix as string | undefined;
        const ingress = one(app.ingress);
        const dynamic = ingress?.dynamic?.traffic_weight;
        const split = splitOf(json, dynamic);
        if (!suffix || !split) return [`${at} runs in Multiple revision mode without a pinned revision_suffix and a traffic split input`];
        const out: string[] = [];
        if (!String(dynamic?.content?.latest_revision ?? "").includes(`== "${suffix}"`)) out.push(`${at} does not mark its pinned revision ${suffix} as latest_revision in the traffic weights`);
        if (!allTo(split.default, suffix)) out.push(`${at} traffic default does not send 100% to the pinned revision ${suffix}`);
        return out;
      }),
  },
  {
    id: "azure-container-app-revision-suffix",
    cloud: "azure",
    description: "A revision suffix is lowercase letters, digits and hyphens, starting with a letter (the revision is named <app>--<suffix>), and must be unique for the app's lifetime.",
    source: "https://learn.microsoft.com/en-us/azure/container-apps/revisions#revision-suffix",
    check: (json) =>
      resourcesOf(json, "azurerm_container_app").flatMap(([name, app]) => {
        const suffix = one(app.template)?.revision_suffix as string | undefined;
        return suffix !== undefined && !/^[a-z][a-z0-9-]*[a-z0-9]$/.test(suffix) ? [`azurerm_container_app.${name} revision_suffix ${suffix} is not lowercase letters, digits and hyphens starting with a letter`] : [];
      }),
  },
];
