/**
 * Hand-kept facts for src/catalog/data/zones.json: which zones of a region offer an accelerator
 * (GPU node pools may only be placed there), and provisioning limits of some machine types.
 * Read by scripts/generate-catalog.mjs; sources and gaps in src/catalog/data/ZONES-SOURCES.md.
 *
 * `match` is the instance-type prefix the row applies to (GCP: the machine family that carries
 * the accelerator; AWS: the instance family). `coverage`:
 *  - "complete": every region of the cloud offering the accelerator is listed, so a region
 *    missing from `zones` has none;
 *  - "partial": only the listed regions were read from the source; other regions are unknown.
 * Zones are GCP zone names, AWS zone IDs (use1-az1: stable across accounts, unlike the names).
 */

const SKYPILOT_GCP = "skypilot-gcp-v8";
const SKYPILOT_AWS = "skypilot-aws-v8";

/** Expands { region: ["a", "c"] } to { region: ["region-a", "region-c"] } (GCP zone names). */
const gcp = (byRegion) => Object.fromEntries(Object.entries(byRegion).map(([r, zs]) => [r, zs.map((z) => `${r}-${z}`)]));

export const ZONE_SOURCES = [
  {
    id: SKYPILOT_GCP,
    url: "https://github.com/skypilot-org/skypilot-catalog/blob/006059e0f18acb1341e22a27751e9f80df6ba92f/catalogs/v8/gcp/vms.csv",
    note: "AvailabilityZone of the accelerator rows (attached GPUs) and of the VM rows of accelerator-optimized machine types (a2, a3, a4, g2); cross-check: https://cloud.google.com/compute/docs/gpus/gpu-regions-zones",
  },
  {
    id: SKYPILOT_AWS,
    url: "https://github.com/skypilot-org/skypilot-catalog/blob/00148f2af3672e2229b4f7bf8157d5a3f36e3c35/catalogs/v8/aws/vms.csv",
    note: "AvailabilityZone (zone IDs) of the instance rows; only the rows read are recorded (coverage partial)",
  },
  {
    id: "gcp-a3-provisioning",
    url: "https://cloud.google.com/compute/docs/accelerator-optimized-machines#a3-high-vms",
    note: "A3 High with 1, 2 or 4 GPUs: Spot VMs or Flex-start (Dynamic Workload Scheduler) only",
  },
];

export const ZONE_ROWS = [
  {
    cloud: "gcp", accelerator: "T4", match: "n1-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({
      "asia-east1": ["a", "c"], "asia-east2": ["a", "c"], "asia-northeast1": ["a", "c"], "asia-northeast3": ["b", "c"],
      "asia-south1": ["a", "b"], "asia-southeast1": ["a", "b", "c"], "asia-southeast2": ["a", "b"], "australia-southeast1": ["a", "c"],
      "europe-central2": ["b", "c"], "europe-west1": ["b", "c", "d"], "europe-west2": ["a", "b"], "europe-west3": ["b"],
      "europe-west4": ["a", "b", "c"], "me-west1": ["b", "c"], "northamerica-northeast1": ["c"], "southamerica-east1": ["a", "b", "c"],
      "us-central1": ["a", "b", "c", "f"], "us-east1": ["b", "c", "d"], "us-east4": ["a", "b", "c"], "us-west1": ["a", "b"],
      "us-west2": ["b", "c"], "us-west3": ["b"], "us-west4": ["a", "b"],
    }),
  },
  {
    cloud: "gcp", accelerator: "V100", match: "n1-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({ "asia-east1": ["c"], "europe-west4": ["a", "b", "c"], "us-central1": ["a", "b", "c", "f"], "us-east1": ["b", "c"], "us-west1": ["a", "b"] }),
  },
  {
    cloud: "gcp", accelerator: "P100", match: "n1-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({
      "asia-east1": ["a", "c"], "australia-southeast1": ["b"], "europe-west1": ["b", "d"], "europe-west4": ["a"],
      "us-central1": ["c", "f"], "us-east1": ["b", "c"], "us-west1": ["a", "b"],
    }),
  },
  {
    cloud: "gcp", accelerator: "P4", match: "n1-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({
      "asia-southeast1": ["a", "b", "c"], "australia-southeast1": ["a", "b"], "europe-west4": ["b", "c"],
      "northamerica-northeast1": ["a", "b", "c"], "us-central1": ["a", "c"], "us-east4": ["a", "b", "c"], "us-west2": ["b", "c"],
    }),
  },
  {
    cloud: "gcp", accelerator: "L4", match: "g2-standard-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({
      "asia-east1": ["a", "b", "c"], "asia-northeast1": ["a", "b", "c"], "asia-northeast3": ["a", "b"], "asia-south1": ["a", "b", "c"],
      "asia-southeast1": ["a", "b", "c"], "europe-west1": ["b", "c"], "europe-west2": ["a", "b"], "europe-west3": ["a", "b"],
      "europe-west4": ["a", "b", "c"], "europe-west6": ["b", "c"], "me-central2": ["a", "c"], "northamerica-northeast1": ["b", "c"],
      "northamerica-northeast2": ["a", "b"], "us-central1": ["a", "b", "c"], "us-east1": ["b", "c", "d"], "us-east4": ["a", "c"],
      "us-west1": ["a", "b", "c"], "us-west4": ["a", "c"],
    }),
  },
  {
    cloud: "gcp", accelerator: "A100-40GB", match: "a2-highgpu-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({
      "asia-northeast1": ["a", "c"], "asia-northeast3": ["a", "b"], "asia-southeast1": ["a", "b", "c"], "europe-west4": ["a", "b"],
      "me-west1": ["a", "c"], "us-central1": ["a", "b", "c", "f"], "us-east1": ["b"], "us-west1": ["b"], "us-west3": ["b"], "us-west4": ["b"],
    }),
  },
  {
    cloud: "gcp", accelerator: "A100-40GB", match: "a2-megagpu-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({ "asia-southeast1": ["a", "c"], "europe-west4": ["a", "b"], "us-central1": ["a", "b", "c", "f"] }),
  },
  {
    cloud: "gcp", accelerator: "A100-80GB", match: "a2-ultragpu-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({ "asia-southeast1": ["c"], "europe-west4": ["a"], "us-central1": ["a", "c"], "us-east4": ["c"], "us-east5": ["a", "b"] }),
  },
  {
    cloud: "gcp", accelerator: "H100", match: "a3-highgpu-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({
      "asia-east1": ["c"], "asia-northeast1": ["b"], "asia-south1": ["c"], "asia-south2": ["b"], "asia-southeast1": ["b", "c"],
      "australia-southeast1": ["c"], "europe-north1": ["c"], "europe-west1": ["b", "c"], "europe-west3": ["c"], "europe-west4": ["b", "c"],
      "europe-west8": ["c"], "europe-west9": ["c"], "us-central1": ["a", "b", "c"], "us-east4": ["a", "b", "c"], "us-east5": ["a"],
      "us-west1": ["a", "b"], "us-west4": ["a"],
    }),
  },
  {
    cloud: "gcp", accelerator: "H100", match: "a3-megagpu-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({
      "asia-northeast1": ["b"], "asia-northeast3": ["a", "c"], "asia-south1": ["c"], "asia-southeast1": ["b", "c"], "australia-southeast1": ["c"],
      "europe-west1": ["b", "c"], "europe-west3": ["a", "c"], "europe-west4": ["b", "c"], "northamerica-northeast2": ["c"],
      "us-central1": ["a", "b", "c"], "us-east4": ["a", "b", "c"], "us-east5": ["a"], "us-west1": ["a", "b"], "us-west4": ["a"],
    }),
  },
  {
    cloud: "gcp", accelerator: "H200", match: "a3-ultragpu-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({
      "asia-south1": ["b"], "asia-south2": ["c"], "europe-west1": ["b"], "europe-west4": ["a"], "us-central1": ["b"], "us-east4": ["b"],
      "us-east5": ["a"], "us-south1": ["b"], "us-west1": ["c"],
    }),
  },
  {
    cloud: "gcp", accelerator: "B200", match: "a4-highgpu-", source: SKYPILOT_GCP, coverage: "complete",
    zones: gcp({
      "asia-northeast1": ["b"], "asia-southeast1": ["b"], "europe-north1": ["b"], "europe-west4": ["b"], "us-central1": ["b"],
      "us-east1": ["b"], "us-east4": ["b"], "us-south1": ["b"], "us-west2": ["c"], "us-west3": ["b", "c"],
    }),
  },
  {
    cloud: "aws", accelerator: "L4", match: "g6.", source: SKYPILOT_AWS, coverage: "partial",
    zones: {
      "ap-south-1": ["aps1-az1", "aps1-az3"],
      "ap-southeast-2": ["apse2-az1", "apse2-az2", "apse2-az3"],
      "ca-central-1": ["cac1-az1", "cac1-az2"],
      "eu-central-1": ["euc1-az2", "euc1-az3"],
      "eu-north-1": ["eun1-az1", "eun1-az2"],
      "eu-south-2": ["eus2-az1", "eus2-az2", "eus2-az3"],
      "eu-west-2": ["euw2-az2", "euw2-az3"],
      "eu-west-3": ["euw3-az2", "euw3-az3"],
      "me-central-1": ["mec1-az1", "mec1-az2"],
      "us-east-1": ["use1-az1", "use1-az2", "use1-az4", "use1-az6"],
      "us-east-2": ["use2-az1", "use2-az2", "use2-az3"],
      "us-west-2": ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"],
    },
  },
];

/** Machine types that cannot be created on demand (standard provisioning). */
export const PROVISIONING_LIMITS = [
  {
    cloud: "gcp",
    instanceTypes: ["a3-highgpu-1g", "a3-highgpu-2g", "a3-highgpu-4g"],
    models: ["spot", "flex-start"],
    source: "gcp-a3-provisioning",
  },
];
