#!/usr/bin/env node
/**
 * Regenerates the catalog data files under src/catalog/data/ from the CSV facts in
 * ../shared/data (gpus.csv, cpu.csv, managed.csv and their SOURCES files) plus the hand-kept
 * facts embedded below (region lists, GCP accelerator ids and attachment rules, Cloud Run and
 * Container Apps GPU facts, Kubernetes version dates, defaults).
 *
 *   node scripts/generate-catalog.mjs [--from DIR] [--out DIR] [--check]
 *
 * --from DIR  folder holding the CSVs (default: ../shared/data next to the repo root)
 * --out DIR   where to write (default: src/catalog/data)
 * --check     do not write; exit 1 when the committed files differ from what would be written
 *
 * Nothing is fetched from the network: the committed JSON is what mlplat reads at run time, so
 * users never need the CSVs. Re-run after editing the CSVs or the facts below, then commit the
 * JSON together with this script.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PROVISIONING_LIMITS, ZONE_ROWS, ZONE_SOURCES } from "./catalog-zones.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DEFAULT_OUT = join(ROOT, "src/catalog/data");

/** Bump when the data or these facts change. The format is a date: when the data was compiled. */
const VERSION = "2026-11-25";
/** Date of the CSV snapshot (gpus-SOURCES.md, prices-SOURCES.md). */
const CSV_COMPILED = "2026-11-23";

// ---------------------------------------------------------------------------------------------
// Hand-kept facts
// ---------------------------------------------------------------------------------------------

/**
 * Public regions of each cloud (commercial partitions; AWS GovCloud and China and Azure
 * sovereign clouds are left out because their ARNs/endpoints differ). Every region named in the
 * CSVs must be in these lists: the generator fails otherwise.
 */
const REGIONS = {
  aws: [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "af-south-1",
    "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
    "il-central-1", "me-south-1", "me-central-1",
    "mx-central-1", "sa-east-1",
  ],
  gcp: [
    "africa-south1",
    "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
    "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2",
    "australia-southeast1", "australia-southeast2",
    "europe-central2", "europe-north1", "europe-north2", "europe-southwest1",
    "europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6", "europe-west8",
    "europe-west9", "europe-west10", "europe-west12",
    "me-central1", "me-central2", "me-west1",
    "northamerica-northeast1", "northamerica-northeast2", "northamerica-south1",
    "southamerica-east1", "southamerica-west1",
    // us-central2 is a restricted region used for TPUs; it appears in the source catalog.
    "us-central1", "us-central2", "us-east1", "us-east4", "us-east5", "us-south1",
    "us-west1", "us-west2", "us-west3", "us-west4",
  ],
  azure: [
    "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast",
    "austriaeast", "belgiumcentral",
    "brazilsouth", "brazilsoutheast",
    "canadacentral", "canadaeast",
    "centralindia", "southindia", "westindia", "jioindiacentral", "jioindiawest",
    "centralus", "eastus", "eastus2", "northcentralus", "southcentralus", "westcentralus", "westus", "westus2", "westus3",
    "chilecentral",
    "eastasia", "southeastasia",
    "francecentral", "francesouth",
    "germanynorth", "germanywestcentral",
    "indonesiacentral", "israelcentral", "italynorth",
    "japaneast", "japanwest",
    "koreacentral", "koreasouth",
    "malaysiawest", "mexicocentral", "newzealandnorth",
    "northeurope", "westeurope",
    "norwayeast", "norwaywest",
    "polandcentral", "qatarcentral",
    "southafricanorth", "southafricawest",
    "spaincentral",
    "swedencentral", "swedensouth",
    "switzerlandnorth", "switzerlandwest",
    "uaecentral", "uaenorth",
    "uksouth", "ukwest",
  ],
};

/**
 * GCP accelerators: the `guest_accelerator.type` id, the machine families that carry them and
 * the counts GCP offers. `attached` GPUs go on an n1 host with `guest_accelerator`; the others
 * are built into their machine type (the type name fixes the count).
 */
const GCP_GPUS = [
  { accelerator: "T4", acceleratorId: "nvidia-tesla-t4", attached: true, machineFamilies: ["n1"], counts: [1, 2, 4] },
  { accelerator: "V100", acceleratorId: "nvidia-tesla-v100", attached: true, machineFamilies: ["n1"], counts: [1, 2, 4, 8] },
  { accelerator: "P100", acceleratorId: "nvidia-tesla-p100", attached: true, machineFamilies: ["n1"], counts: [1, 2, 4] },
  { accelerator: "P4", acceleratorId: "nvidia-tesla-p4", attached: true, machineFamilies: ["n1"], counts: [1, 2, 4] },
  { accelerator: "A100-40GB", acceleratorId: "nvidia-tesla-a100", attached: false, machineFamilies: ["a2-highgpu", "a2-megagpu"], counts: [1, 2, 4, 8, 16] },
  { accelerator: "A100-80GB", acceleratorId: "nvidia-a100-80gb", attached: false, machineFamilies: ["a2-ultragpu"], counts: [1, 2, 4, 8] },
  { accelerator: "L4", acceleratorId: "nvidia-l4", attached: false, machineFamilies: ["g2-standard"], counts: [1, 2, 4, 8] },
  { accelerator: "H100", acceleratorId: "nvidia-h100-80gb", attached: false, machineFamilies: ["a3-highgpu"], counts: [1, 2, 4, 8] },
  { accelerator: "H100", acceleratorId: "nvidia-h100-mega-80gb", attached: false, machineFamilies: ["a3-megagpu"], counts: [8] },
  { accelerator: "H200", acceleratorId: "nvidia-h200-141gb", attached: false, machineFamilies: ["a3-ultragpu"], counts: [8] },
  { accelerator: "B200", acceleratorId: "nvidia-b200", attached: false, machineFamilies: ["a4-highgpu"], counts: [8] },
];

/** GCP n1 host prices in us-central1 (gpus-SOURCES.md §3); spot prices for bare hosts were not captured. */
const GCP_N1_HOSTS = [
  { instanceType: "n1-highmem-4", vcpus: 4, memoryGiB: 26, onDemandUsdPerHour: 0.23661 },
  { instanceType: "n1-highmem-8", vcpus: 8, memoryGiB: 52, onDemandUsdPerHour: 0.47321 },
  { instanceType: "n1-highmem-16", vcpus: 16, memoryGiB: 104, onDemandUsdPerHour: 0.94642 },
  { instanceType: "n1-highmem-32", vcpus: 32, memoryGiB: 208, onDemandUsdPerHour: 1.89285 },
  { instanceType: "n1-highmem-64", vcpus: 64, memoryGiB: 416, onDemandUsdPerHour: 3.7857 },
  { instanceType: "n1-standard-64", vcpus: 64, memoryGiB: 240, onDemandUsdPerHour: 3.03998 },
];

/** Rows whose price the sources call suspicious: kept, flagged, and shown with a `!` by `mlplat catalog`. */
const PRICE_NOTES = [
  {
    cloud: "gcp",
    match: /^a2-ultragpu-/,
    note:
      "Suspicious: the source's us-central1 A100-80GB accelerator price (1.8462/GPU) is below its spot price and makes " +
      "a2-ultragpu-1g cheaper than a2-highgpu-1g; GCP's public list price for a2-ultragpu-1g is about 5.07/h. Verify on the GCP pricing page.",
  },
  {
    cloud: "gcp",
    match: /^a3-megagpu-8g$/,
    note: "Suspicious: the H100-MEGA accelerator is 82.75/h in us-central1 but about 35.39/h in most other regions. Verify on the GCP pricing page.",
  },
  {
    cloud: "gcp",
    match: /^a3-ultragpu-8g$/,
    note: "Some H200 spot prices in the source are above on-demand. Verify on the GCP pricing page.",
  },
  {
    cloud: "gcp",
    match: /^a4-highgpu-8g$/,
    note: "The source gives the VM part 0.0, so the whole price sits on the B200 accelerator row. Verify on the GCP pricing page.",
  },
  { cloud: "aws", match: /^p5e\.48xlarge$/, note: "Sold only through EC2 Capacity Blocks: no on-demand price, not listed in us-east-1." },
  { cloud: "aws", match: /^p5\.4xlarge$/, note: "No spot price in the source catalog." },
  {
    cloud: "azure",
    match: /^Standard_(ND96isr_H200_v5|ND96isr_MI300X_v5|NCC40ads_H100_v5|NC\d+ads_A10_v4)$/,
    note: "No eastus price in the source (offered elsewhere; e.g. H200 95.824/h in centralus, NC8ads_A10_v4 1.10/h in westus3).",
  },
];

/** Accelerator vendor, for targets that install drivers (NVIDIA AMIs, device plugins). */
function vendorOf(accelerator) {
  if (/^(Radeon|MI\d)/.test(accelerator)) return "amd";
  if (/^Inferentia|^Trainium/.test(accelerator)) return "aws";
  if (/^Gaudi/.test(accelerator)) return "intel";
  if (/^tpu-/.test(accelerator)) return "google";
  return "nvidia";
}

/**
 * Cloud Run GPU: one NVIDIA L4 per instance, at least 4 vCPU and 16 GiB, instance-based billing.
 * asia-south1 is invitation-only; us-east4 comes from newer copies of the page (prices-SOURCES.md §2.3).
 */
const CLOUD_RUN = {
  accelerator: "L4",
  acceleratorCount: 1,
  minCpu: 4,
  minMemoryGiB: 16,
  gpuRegions: ["us-central1", "us-east4", "europe-west1", "europe-west4", "asia-southeast1", "asia-south1"],
  regionNotes: { "asia-south1": "invitation only", "us-east4": "tier-2 region: CPU and memory cost more than the tier-1 rates in the catalog", "asia-southeast1": "tier-2 region: CPU and memory cost more than the tier-1 rates in the catalog" },
};

/** Azure Container Apps serverless GPU workload profiles; regions are parsed from managed.csv notes. */
const CONTAINER_APPS_PROFILES = [
  { accelerator: "T4", profileType: "Consumption-GPU-NC8as-T4", vcpus: 8, memoryGiB: 56 },
  { accelerator: "A100-80GB", profileType: "Consumption-GPU-NC24-A100", vcpus: 24, memoryGiB: 220 },
];

/** Default instance types: system pools / CPU pools, and SageMaker CPU endpoints. */
const DEFAULTS = {
  // m6i.large matches the spec's example; GKE and AKS system pods are tight on 2 vCPUs and AKS
  // recommends at least 4 vCPUs for system node pools, hence the 4-vCPU defaults there.
  cpuInstance: { aws: "m6i.large", gcp: "e2-standard-4", azure: "Standard_D4s_v5" },
  sagemakerCpuInstance: "ml.m5.xlarge",
};

/**
 * Kubernetes minor versions and support dates, each row with the page it comes from.
 * EKS: the release calendar of the EKS user guide (14 months standard + 12 months extended;
 *   1.36 released on EKS 2026-06-02, standard support to 2027-08-02).
 * GKE: the GKE release schedule (end of standard support = end of the Regular/Stable availability
 *   plus maintenance, as endoflife.date mirrors it for 1.34 and 1.35, 2026-04 snapshot); other
 *   rows estimated from GKE's policy (about 14 months standard after Regular-channel availability,
 *   up to 24 months with the Extended channel) and marked so.
 * AKS: the AKS Kubernetes release calendar and its LTS table. "Unless an explicit date is
 *   provided, the End of Life (EOL) date is the last day of the specified month"; extended = LTS
 *   end of life (Premium tier).
 */
const EKS_CALENDAR = "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar";
const GKE_SCHEDULE = "https://cloud.google.com/kubernetes-engine/docs/release-schedule";
const AKS_CALENDAR = "https://learn.microsoft.com/azure/aks/supported-kubernetes-versions#aks-kubernetes-release-calendar";
const KUBERNETES = [
  // cloud, version, endOfStandardSupport, endOfExtendedSupport, source, note
  ["aws", "1.28", "2024-11-26", "2025-11-26", EKS_CALENDAR],
  ["aws", "1.29", "2025-03-23", "2026-03-23", EKS_CALENDAR],
  ["aws", "1.30", "2025-07-23", "2026-07-23", EKS_CALENDAR],
  ["aws", "1.31", "2025-11-26", "2026-11-26", EKS_CALENDAR],
  ["aws", "1.32", "2026-03-23", "2027-03-23", EKS_CALENDAR],
  ["aws", "1.33", "2026-07-29", "2027-07-29", EKS_CALENDAR],
  ["aws", "1.34", "2026-12-02", "2027-12-02", EKS_CALENDAR],
  ["aws", "1.35", "2027-03-27", "2028-03-27", EKS_CALENDAR],
  ["aws", "1.36", "2027-08-02", "2028-08-02", EKS_CALENDAR],
  ["gcp", "1.29", "2025-03-21", "2026-01-21", GKE_SCHEDULE, "estimated"],
  ["gcp", "1.30", "2025-09-30", "2026-07-30", GKE_SCHEDULE, "estimated"],
  ["gcp", "1.31", "2025-12-22", "2026-08-20", GKE_SCHEDULE, "estimated"],
  ["gcp", "1.32", "2026-04-18", "2027-02-18", GKE_SCHEDULE, "estimated"],
  ["gcp", "1.33", "2026-08-03", "2027-06-03", GKE_SCHEDULE, "estimated"],
  ["gcp", "1.34", "2026-10-01", "2027-09-30", GKE_SCHEDULE, "standard end from the schedule via endoflife.date; extended estimated"],
  ["gcp", "1.35", "2027-04-11", "2028-02-11", GKE_SCHEDULE, "standard end from the schedule via endoflife.date; extended estimated"],
  ["gcp", "1.36", "2027-08-31", "2028-06-30", GKE_SCHEDULE, "estimated"],
  ["azure", "1.29", "2025-03-31", "2026-04-30", AKS_CALENDAR],
  ["azure", "1.30", "2025-08-22", "2026-07-31", AKS_CALENDAR],
  ["azure", "1.31", "2025-11-01", "2026-11-30", AKS_CALENDAR],
  ["azure", "1.32", "2026-03-31", "2027-03-31", AKS_CALENDAR],
  ["azure", "1.33", "2026-07-31", "2027-07-31", AKS_CALENDAR],
  ["azure", "1.34", "2026-11-30", "2027-11-30", AKS_CALENDAR],
  ["azure", "1.35", "2027-03-31", "2028-03-31", AKS_CALENDAR],
  ["azure", "1.36", "2027-06-30", "2028-06-30", AKS_CALENDAR],
  ["azure", "1.37", "2027-10-31", "2028-10-31", AKS_CALENDAR],
];

// ---------------------------------------------------------------------------------------------
// CSV reading
// ---------------------------------------------------------------------------------------------

/** RFC 4180-ish CSV: quoted fields may hold commas and doubled quotes. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += c;
  }
  if (field !== "" || row.length) row.push(field), rows.push(row);
  const [header, ...body] = rows.filter((r) => r.some((f) => f.trim() !== ""));
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? "").trim()])));
}

const num = (s) => (s === "" || s === undefined ? undefined : Number(s));
const list = (s) => (s ? [...new Set(s.split(";").map((x) => x.trim()).filter(Boolean))].sort() : []);
/** Drops undefined fields so the JSON stays small and stable. */
const clean = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function gcpRule(instanceType, accelerator) {
  if (!accelerator) return undefined;
  const family = instanceType.replace(/-\d+g?$/, "");
  return (
    GCP_GPUS.find((r) => r.accelerator === accelerator && r.machineFamilies.includes(family)) ??
    GCP_GPUS.find((r) => r.accelerator === accelerator && r.attached && instanceType.startsWith("n1-"))
  );
}

function buildInstances(gpus, cpus) {
  const rows = [];
  for (const r of gpus) {
    if (r.accelerator.startsWith("tpu-")) continue; // TPUs are not guest accelerators; see SOURCES.md
    const cloud = r.cloud;
    const rule = cloud === "gcp" ? gcpRule(r.instance_type, r.accelerator) : undefined;
    if (cloud === "gcp" && !rule) throw new Error(`no GCP attachment rule for ${r.instance_type} ${r.accelerator}`);
    const notes = PRICE_NOTES.filter((p) => p.cloud === cloud && p.match.test(r.instance_type)).map((p) => p.note);
    rows.push(
      clean({
        cloud,
        instanceType: r.instance_type,
        accelerator: r.accelerator,
        acceleratorCount: num(r.accelerator_count),
        acceleratorMemoryGiB: num(r.accelerator_memory_gib),
        acceleratorVendor: vendorOf(r.accelerator),
        acceleratorId: rule?.acceleratorId,
        attached: rule ? rule.attached : undefined,
        vcpus: num(r.vcpus),
        memoryGiB: num(r.memory_gib),
        onDemandUsdPerHour: num(r.ondemand_usd_per_hour),
        spotUsdPerHour: num(r.spot_usd_per_hour),
        referenceRegion: r.reference_region,
        regions: list(r.regions),
        priceNote: notes.length ? notes.join(" ") : undefined,
      }),
    );
  }
  // inf2.24xlarge's region list was not read (gpus-SOURCES.md §4); the sources assume family-wide lists.
  for (const row of rows) {
    if (row.regions.length) continue;
    const family = row.instanceType.split(".")[0];
    const sibling = rows.find((o) => o.cloud === row.cloud && o.instanceType.split(".")[0] === family && o.regions.length);
    if (sibling) {
      row.regions = sibling.regions;
      row.priceNote = [row.priceNote, `Regions assumed from ${sibling.instanceType} (the source did not list them).`].filter(Boolean).join(" ");
    }
  }
  for (const r of cpus) {
    rows.push(
      clean({
        cloud: r.cloud,
        instanceType: r.instance_type,
        acceleratorCount: 0,
        vcpus: num(r.vcpus),
        memoryGiB: num(r.memory_gib),
        onDemandUsdPerHour: num(r.ondemand_usd_per_hour),
        spotUsdPerHour: num(r.spot_usd_per_hour),
        referenceRegion: r.reference_region,
        regions: [],
      }),
    );
  }
  for (const h of GCP_N1_HOSTS) {
    if (rows.some((r) => r.cloud === "gcp" && r.instanceType === h.instanceType && r.acceleratorCount === 0)) continue;
    rows.push(
      clean({
        cloud: "gcp",
        ...h,
        acceleratorCount: 0,
        referenceRegion: "us-central1",
        regions: [],
        priceNote: "Host-only price derived from the attached-GPU rows (gpus-SOURCES.md §3); spot not captured.",
      }),
    );
  }
  rows.sort((a, b) => a.cloud.localeCompare(b.cloud) || (a.accelerator ?? "~").localeCompare(b.accelerator ?? "~") || a.acceleratorCount - b.acceleratorCount || a.instanceType.localeCompare(b.instanceType, "en", { numeric: true }));
  return rows;
}

function buildSagemaker(managed) {
  return managed
    .filter((r) => r.service === "sagemaker-realtime-inference")
    .map((r) => {
      const nvme = /^Local NVMe/.test(r.notes);
      let priceNote;
      if (/PRICE MISSING/.test(r.notes)) priceNote = r.notes.slice(r.notes.indexOf("PRICE MISSING"));
      else if (/predates/.test(r.notes)) priceNote = "AWS-sample price that probably predates the 2025 P4/P5 price cuts; may be too high.";
      else if (/third-party/i.test(r.notes)) priceNote = "Third-party price (AWS Price List usage type quoted in a project note).";
      return clean({
        instanceType: r.sku,
        accelerator: r.accelerator || undefined,
        acceleratorCount: num(r.accelerator_count) ?? 0,
        acceleratorVendor: r.accelerator ? vendorOf(r.accelerator) : undefined,
        vcpus: num(r.vcpus),
        memoryGiB: num(r.memory_gib),
        usdPerHour: num(r.usd_per_hour),
        // Local NVMe types are hardware-encrypted: SageMaker rejects a KmsKeyId for their volume.
        volumeKmsAllowed: !nvme,
        referenceRegion: r.reference_region,
        priceNote,
      });
    })
    .sort((a, b) => a.instanceType.localeCompare(b.instanceType, "en", { numeric: true }));
}

function buildServices(managed) {
  return managed
    .filter((r) => r.service !== "sagemaker-realtime-inference")
    .map((r) =>
      clean({
        cloud: r.cloud,
        service: r.service,
        sku: r.sku,
        accelerator: r.accelerator || undefined,
        acceleratorCount: num(r.accelerator_count) || undefined,
        vcpus: num(r.vcpus),
        memoryGiB: num(r.memory_gib),
        usdPerUnit: num(r.usd_per_hour),
        unit: r.unit,
        referenceRegion: r.reference_region,
        note: r.notes || undefined,
      }),
    );
}

/** "Australia East; East US; West US 3" → ["australiaeast", "eastus", "westus3"]. */
function azureRegionNames(text) {
  return text
    .split(";")
    .map((s) => s.replace(/\(.*?\)/g, "").replace(/\.$/, "").trim())
    .filter(Boolean)
    .map((s) => s.toLowerCase().replace(/\s+/g, ""));
}

function buildContainerApps(managed) {
  return CONTAINER_APPS_PROFILES.map((p) => {
    const row = managed.find((r) => r.service === "container-apps" && r.sku === p.profileType);
    if (!row) throw new Error(`managed.csv has no container-apps row for ${p.profileType}`);
    const m = /(?:T4|A100) regions: ([^.]*(?:\.[^.]*?)*)$/.exec(row.notes);
    if (!m) throw new Error(`no region list in the notes of ${p.profileType}`);
    return { ...p, usdPerHour: num(row.usd_per_hour), priceNote: "No price found in the sources (billed per GPU-second).", regions: azureRegionNames(m[1]).sort() };
  });
}

/**
 * Regions whose GPU availability the source surveyed. The AWS lists only cover the regions
 * enabled in SkyPilot's fetch account (gpus-SOURCES.md §2: sa-east-1, il-central-1, … are
 * absent), so absence there means "unknown", not "not offered". The GCP and Azure sources list
 * every region of the cloud.
 */
function surveyedRegions(instances) {
  const aws = [...new Set(instances.filter((r) => r.cloud === "aws").flatMap((r) => r.regions))].sort();
  return { aws, gcp: [...REGIONS.gcp].sort(), azure: [...REGIONS.azure].sort() };
}

// ---------------------------------------------------------------------------------------------

function main() {
  const args = process.argv.slice(2);
  const fromIdx = args.indexOf("--from");
  const from = fromIdx >= 0 ? resolve(args[fromIdx + 1]) : resolve(ROOT, "../shared/data");
  const check = args.includes("--check");
  const outIdx = args.indexOf("--out");
  const OUT = outIdx >= 0 ? resolve(args[outIdx + 1]) : DEFAULT_OUT;
  for (const f of ["gpus.csv", "cpu.csv", "managed.csv"]) {
    if (!existsSync(join(from, f))) {
      process.stderr.write(`generate-catalog: ${join(from, f)} not found. Pass --from <folder with gpus.csv, cpu.csv, managed.csv>.\n`);
      process.exit(1);
    }
  }
  const read = (f) => parseCsv(readFileSync(join(from, f), "utf8"));
  const gpus = read("gpus.csv");
  const cpus = read("cpu.csv");
  const managed = read("managed.csv");

  const instances = buildInstances(gpus, cpus);
  const header = { version: VERSION, generatedBy: "scripts/generate-catalog.mjs", csvCompiled: CSV_COMPILED };

  // Every region the data names must be a known region of its cloud.
  const known = Object.fromEntries(Object.entries(REGIONS).map(([c, rs]) => [c, new Set(rs)]));
  const containerApps = buildContainerApps(managed);
  const unknown = [
    ...instances.flatMap((r) => r.regions.filter((g) => !known[r.cloud].has(g)).map((g) => `${r.cloud} ${r.instanceType}: ${g}`)),
    ...CLOUD_RUN.gpuRegions.filter((g) => !known.gcp.has(g)).map((g) => `cloud run: ${g}`),
    ...containerApps.flatMap((p) => p.regions.filter((g) => !known.azure.has(g)).map((g) => `container apps ${p.profileType}: ${g}`)),
    ...ZONE_ROWS.flatMap((z) => Object.keys(z.zones).filter((g) => !known[z.cloud].has(g)).map((g) => `zones ${z.cloud} ${z.accelerator}: ${g}`)),
  ];
  if (unknown.length) throw new Error("regions missing from REGIONS:\n  " + unknown.join("\n  "));

  const files = {
    "instances.json": { ...header, defaults: DEFAULTS, surveyedRegions: surveyedRegions(instances), rows: instances },
    "sagemaker.json": { ...header, rows: buildSagemaker(managed) },
    "services.json": {
      ...header,
      cloudRun: CLOUD_RUN,
      containerApps,
      rows: buildServices(managed),
    },
    "regions.json": { ...header, regions: Object.fromEntries(Object.entries(REGIONS).map(([c, rs]) => [c, [...rs].sort()])) },
    "kubernetes.json": {
      ...header,
      rows: KUBERNETES.map(([cloud, version, endOfStandardSupport, endOfExtendedSupport, source, note]) =>
        clean({ cloud, version, endOfStandardSupport, endOfExtendedSupport, source, note }),
      ),
    },
    "gcp-gpus.json": { ...header, rules: GCP_GPUS },
    "zones.json": { ...header, sources: ZONE_SOURCES, rows: ZONE_ROWS, provisioning: PROVISIONING_LIMITS },
  };

  // checksums.json names the exact bytes the test suite validates with the zod schemas, so
  // loadCatalog() can skip re-validating them on every run (it validates anything else).
  const texts = Object.fromEntries(Object.entries(files).map(([name, content]) => [name, JSON.stringify(content, null, 2) + "\n"]));
  files["checksums.json"] = Object.fromEntries(Object.entries(texts).map(([name, text]) => [name, createHash("sha256").update(text).digest("hex")]));

  mkdirSync(OUT, { recursive: true });
  let stale = 0;
  for (const [name, content] of Object.entries(files)) {
    const text = texts[name] ?? JSON.stringify(content, null, 2) + "\n";
    const path = join(OUT, name);
    if (check) {
      if (!existsSync(path) || readFileSync(path, "utf8") !== text) (stale++, process.stderr.write(`stale: ${path}\n`));
    } else writeFileSync(path, text);
  }
  if (check && stale) process.exit(1);
  process.stdout.write(
    `${check ? "checked" : "wrote"} ${Object.keys(files).length} files in ${OUT} (version ${VERSION}): ` +
      `${instances.length} instance rows, ${files["sagemaker.json"].rows.length} SageMaker rows\n`,
  );
}

main();
