import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import type { EndpointModel, PlatformModel } from "../../src/model/platform.js";
import type { RolloutModel } from "../../src/model/rollout.js";
import { resolveAzure } from "../../src/targets/azure/index.js";
import { AzurePlatformStack } from "../../stacks/azure/index.js";
import { unsafeExpressions } from "../../stacks/common/terraform-literals.js";
import { Template } from "../helpers/template.js";
import { ctx as azureCtx, platformModel as azureModel } from "../azure/fixtures.js";
import { gcpModel, synthModel } from "../gcp/fixtures.js";

/**
 * Cloud Run and Container Apps endpoints with a stepped rollout: pinned revision names from the
 * content, the previous revision kept, and the traffic split read from the input variable
 * `mlplat_traffic_<endpoint>` whose default sends everything to the current content.
 */
const canary: RolloutModel = { strategy: "canary", canaryPercent: 10, stepPercent: 25, bakeMinutes: 10, rollbackOnAlarms: false };

const withEndpoint = (m: PlatformModel, change: Partial<EndpointModel>): PlatformModel => ({ ...m, endpoints: m.endpoints.map((e) => ({ ...e, ...change })) });

function gcp(change: Partial<EndpointModel>): Template {
  return synthModel(withEndpoint(gcpModel(), change));
}

function azure(change: Partial<EndpointModel>): Template {
  const m = withEndpoint(azureModel, change);
  return Template.fromJson(Testing.synth(new AzurePlatformStack(Testing.app(), m.stackName, resolveAzure(m, azureCtx))));
}

const only = (t: Template, type: string) => {
  const all = Object.values(t.resources(type));
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe("Cloud Run with a stepped rollout", () => {
  it("pins the revision name to the service name and a hash of the content, and splits traffic by revision from the variable", () => {
    const t = gcp({ rollout: canary });
    const svc = only(t, "google_cloud_run_v2_service");
    expect(svc.template.revision).toMatch(/^fraud-default-scorer-[0-9a-f]{8}$/);
    expect(svc.template.revision.length).toBeLessThanOrEqual(63);
    expect(svc.traffic).toBeUndefined();
    expect(svc.dynamic.traffic).toEqual({
      for_each: "${toset(var.mlplat_traffic_scorer)}",
      iterator: "each",
      content: { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "${each.value.revision}", percent: "${each.value.percent}" },
    });
    expect(t.json.variable.mlplat_traffic_scorer).toMatchObject({
      type: "list(object({ revision = string, percent = number }))",
      nullable: false,
      default: [{ revision: svc.template.revision, percent: 100 }],
    });
    expect(unsafeExpressions(t.json)).toEqual([]);
  });

  it("derives a new revision name from a new image, size or scaling, and the same name from the same content", () => {
    const rev = (change: Partial<EndpointModel>) => only(gcp({ rollout: canary, ...change }), "google_cloud_run_v2_service").template.revision;
    const base = rev({});
    expect(rev({})).toBe(base);
    expect(rev({ rollout: { ...canary, strategy: "linear" } })).toBe(base);
    const others = [
      rev({ image: { kind: "repository", repository: "serving", tag: "1.5.0" } }),
      rev({ cpu: 8, memoryGiB: 32 }),
      rev({ autoscaling: { min: 1, max: 8, targetConcurrency: 8 } }),
      rev({ model: { bucket: "models", path: "scorer/1.5.0/" } }),
    ];
    expect(new Set([base, ...others]).size).toBe(5);
  });

  it("leaves an endpoint without a stepped rollout as before: no pinned revision, no variable, Cloud Run's own traffic", () => {
    for (const t of [gcp({}), gcp({ rollout: { ...canary, strategy: "allAtOnce" } })]) {
      const svc = only(t, "google_cloud_run_v2_service");
      expect(svc.template.revision).toBeUndefined();
      expect(svc.dynamic).toBeUndefined();
      expect(t.json.variable).toBeUndefined();
    }
  });
});

describe("Container Apps with a stepped rollout", () => {
  it("runs in Multiple revision mode with a pinned suffix, the new revision as latest_revision and the previous by suffix", () => {
    const t = azure({ rollout: canary });
    const app = only(t, "azurerm_container_app");
    expect(app.revision_mode).toBe("Multiple");
    const suffix = app.template.revision_suffix as string;
    expect(suffix).toMatch(/^r[0-9a-f]{8}$/);
    expect(app.ingress.traffic_weight).toBeUndefined();
    expect(app.ingress.dynamic.traffic_weight).toEqual({
      for_each: "${toset(var.mlplat_traffic_scorer)}",
      iterator: "each",
      content: {
        latest_revision: `\${(each.value.revision == "${suffix}")}`,
        revision_suffix: `\${(each.value.revision == "${suffix}") ? null : each.value.revision}`,
        percentage: "${each.value.percent}",
      },
    });
    expect(t.json.variable.mlplat_traffic_scorer.default).toEqual([{ revision: suffix, percent: 100 }]);
    expect(unsafeExpressions(t.json)).toEqual([]);
  });

  it("derives a new suffix from a new image and keeps it for the same content", () => {
    const suffix = (change: Partial<EndpointModel>) => only(azure({ rollout: canary, ...change }), "azurerm_container_app").template.revision_suffix;
    expect(suffix({})).toBe(suffix({}));
    expect(suffix({ image: { kind: "repository", repository: "serving", tag: "1.5.0" } })).not.toBe(suffix({}));
  });

  it("leaves an endpoint without a stepped rollout in Single mode with all traffic to the latest revision", () => {
    const app = only(azure({}), "azurerm_container_app");
    expect(app.revision_mode).toBe("Single");
    expect(app.template.revision_suffix).toBeUndefined();
    expect(app.ingress.traffic_weight).toEqual([{ latest_revision: true, percentage: 100 }]);
  });
});

/**
 * A pinned revision name stands for one template: Cloud Run refuses a known revision name with a
 * different template, and Container Apps a suffix used before. Content is hashed by the resolvers;
 * what the constructs add to every template is pinned here. When this test fails because a
 * construct's template changed on purpose, bump CLOUD_RUN_TEMPLATE_GENERATION
 * (src/targets/gcp/rollout.ts) or CONTAINER_APP_TEMPLATE_GENERATION (src/targets/azure/rollout.ts),
 * then update the pinned template.
 */
describe("the revision template behind a pinned name", () => {
  it("is pinned for Cloud Run at template generation 1", async () => {
    const { CLOUD_RUN_TEMPLATE_GENERATION } = await import("../../src/targets/gcp/rollout.js");
    expect(CLOUD_RUN_TEMPLATE_GENERATION).toBe(1);
    const svc = only(gcp({ rollout: canary }), "google_cloud_run_v2_service");
    expect({ ...svc.template, revision: "<pinned>" }).toMatchInlineSnapshot(`
      {
        "containers": [
          {
            "env": [
              {
                "name": "MODEL_URI",
                "value": "gs://fraud-default-models-5p9w0q/scorer/1.4.2/",
              },
            ],
            "image": "us-central1-docker.pkg.dev/fraud-ml-prod/fraud-default-serving/serving:1.4.2",
            "ports": {
              "container_port": 8080,
            },
            "resources": {
              "cpu_idle": false,
              "limits": {
                "cpu": "4",
                "memory": "16Gi",
                "nvidia.com/gpu": "1",
              },
              "startup_cpu_boost": true,
            },
          },
        ],
        "encryption_key": "\${google_kms_crypto_key.kms_serving.id}",
        "execution_environment": "EXECUTION_ENVIRONMENT_GEN2",
        "gpu_zonal_redundancy_disabled": true,
        "labels": {
          "cost-center": "4411",
          "managed-by": "mlplat",
          "mlplat-env": "default",
          "mlplat-platform": "fraud",
          "owner": "risk-ml_example_com",
        },
        "max_instance_request_concurrency": 8,
        "node_selector": {
          "accelerator": "nvidia-l4",
        },
        "revision": "<pinned>",
        "scaling": {
          "max_instance_count": 8,
          "min_instance_count": 0,
        },
        "service_account": "\${google_service_account.serving_scorer_identity.email}",
      }
    `);
  });

  it("is pinned for Container Apps at template generation 1", async () => {
    const { CONTAINER_APP_TEMPLATE_GENERATION } = await import("../../src/targets/azure/rollout.js");
    expect(CONTAINER_APP_TEMPLATE_GENERATION).toBe(1);
    const app = only(azure({ rollout: canary }), "azurerm_container_app");
    expect({ ...app.template, revision_suffix: "<pinned>" }).toMatchInlineSnapshot(`
      {
        "container": [
          {
            "cpu": 8,
            "env": [
              {
                "name": "AZURE_CLIENT_ID",
                "value": "\${azurerm_user_assigned_identity.serving_identity.client_id}",
              },
              {
                "name": "MODEL_URI",
                "value": "\${azurerm_storage_account.storage.primary_blob_endpoint}models/scorer/1.4.2/",
              },
            ],
            "image": "frauddefaultacr5vy3z7.azurecr.io/serving:1.4.2",
            "memory": "56Gi",
            "name": "scorer",
          },
        ],
        "http_scale_rule": [
          {
            "concurrent_requests": "8",
            "name": "concurrency",
          },
        ],
        "max_replicas": 8,
        "min_replicas": 1,
        "revision_suffix": "<pinned>",
      }
    `);
  });
});
