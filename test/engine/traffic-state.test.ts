import { describe, expect, it } from "vitest";
import { servingRevision } from "../../src/engine/traffic-state.js";

/** The revision serving an endpoint, from `terraform show -json` values as the google and azurerm providers store them. */
const state = (address: string, values: Record<string, unknown>) => ({
  format_version: "1.0",
  values: { root_module: { resources: [{ address, mode: "managed", type: address.split(".")[0], name: address.split(".")[1], values }] } },
});
const RUN = "google_cloud_run_v2_service.serving_scorer";
const APP = "azurerm_container_app.serving_scorer_Resource_1A2B3C";

describe("the revision serving a Cloud Run service or a container app", () => {
  it("is undefined before the first deploy", () => {
    expect(servingRevision({ format_version: "1.0" }, RUN, "google_cloud_run_v2_service", "new")).toBeUndefined();
  });

  it("on Cloud Run: the latest ready revision under a LATEST target, the named one under a REVISION target, the previous one in a split", () => {
    const latest = state(RUN, {
      latest_ready_revision: "projects/p/locations/us-central1/services/svc/revisions/svc-00003-kq2",
      traffic: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST", revision: "", percent: 100, tag: "" }],
    });
    expect(servingRevision(latest, RUN, "google_cloud_run_v2_service", "svc-1a2b3c4d")).toBe("svc-00003-kq2");
    const pinned = state(RUN, { traffic: [{ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "svc-9f9f9f9f", percent: 100, tag: "" }] });
    expect(servingRevision(pinned, RUN, "google_cloud_run_v2_service", "svc-1a2b3c4d")).toBe("svc-9f9f9f9f");
    const split = state(RUN, {
      traffic: [
        { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "svc-1a2b3c4d", percent: 60, tag: "" },
        { type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: "svc-9f9f9f9f", percent: 40, tag: "" },
      ],
    });
    expect(servingRevision(split, RUN, "google_cloud_run_v2_service", "svc-1a2b3c4d")).toBe("svc-9f9f9f9f");
  });

  it("on Container Apps: the template's suffix under latest_revision, the named suffix otherwise", () => {
    const single = state(APP, { template: [{ revision_suffix: "k3x9f2a" }], ingress: [{ traffic_weight: [{ latest_revision: true, revision_suffix: "", percentage: 100, label: "" }] }] });
    expect(servingRevision(single, APP, "azurerm_container_app", "r1a2b3c4d")).toBe("k3x9f2a");
    const split = state(APP, {
      template: [{ revision_suffix: "r1a2b3c4d" }],
      ingress: [
        {
          traffic_weight: [
            { latest_revision: true, revision_suffix: "", percentage: 10, label: "" },
            { latest_revision: false, revision_suffix: "r9f9f9f9f", percentage: 90, label: "" },
          ],
        },
      ],
    });
    expect(servingRevision(split, APP, "azurerm_container_app", "r1a2b3c4d")).toBe("r9f9f9f9f");
  });

  it("on Container Apps whose revisions Azure named: the suffix of latest_revision_name", () => {
    const auto = state(APP, {
      latest_revision_name: "fraud-default-scorer--x7k2m9p",
      template: [{ revision_suffix: "" }],
      ingress: [{ traffic_weight: [{ latest_revision: true, revision_suffix: "", percentage: 100, label: "" }] }],
    });
    expect(servingRevision(auto, APP, "azurerm_container_app", "r1a2b3c4d")).toBe("x7k2m9p");
    const unknown = state(APP, { template: [{ revision_suffix: "" }], ingress: [{ traffic_weight: [{ latest_revision: true, revision_suffix: "", percentage: 100 }] }] });
    expect(servingRevision(unknown, APP, "azurerm_container_app", "r1a2b3c4d")).toBeUndefined();
  });
});
