/**
 * Zod schemas of the catalog data files (src/catalog/data/*.json). `loadCatalog()` parses every
 * file through them once, and a test runs them over the committed data, so a bad regeneration
 * fails loudly instead of producing wrong instance choices.
 */
import { z } from "zod";
import { CLOUDS } from "../model/platform.js";

/**
 * Built on first use: constructing these zod schemas is ~7 ms of every command that loads the
 * catalog (node --cpu-prof), and a run whose data files match checksums.json never parses them.
 */
function buildCatalogFileSchemas() {
  const cloud = z.enum(CLOUDS);
  const usd = z.number().nonnegative().finite();
  const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "an ISO date YYYY-MM-DD");
  const vendor = z.enum(["nvidia", "amd", "aws", "intel", "google"]);

  const header = {
    version: isoDate,
    generatedBy: z.string(),
    csvCompiled: isoDate,
  };

  const instanceRowSchema = z
    .strictObject({
      cloud,
      instanceType: z.string().min(1),
      accelerator: z.string().min(1).optional(),
      acceleratorCount: z.number().nonnegative(),
      acceleratorMemoryGiB: z.number().positive().optional(),
      acceleratorVendor: vendor.optional(),
      acceleratorId: z.string().regex(/^nvidia-[a-z0-9-]+$/).optional(),
      attached: z.boolean().optional(),
      vcpus: z.number().int().positive().optional(),
      memoryGiB: z.number().positive().optional(),
      onDemandUsdPerHour: usd.optional(),
      spotUsdPerHour: usd.optional(),
      referenceRegion: z.string().min(1),
      regions: z.array(z.string().min(1)),
      priceNote: z.string().optional(),
    })
    .refine((r) => (r.accelerator === undefined) === (r.acceleratorCount === 0), {
      message: "a row has an accelerator exactly when acceleratorCount > 0",
    })
    .refine((r) => r.cloud !== "gcp" || r.accelerator === undefined || r.acceleratorId !== undefined, {
      message: "GCP GPU rows need the guest_accelerator id",
    });

  const instancesFileSchema = z.strictObject({
    ...header,
    defaults: z.strictObject({
      cpuInstance: z.strictObject({ aws: z.string(), gcp: z.string(), azure: z.string() }),
      sagemakerCpuInstance: z.string().startsWith("ml."),
    }),
    surveyedRegions: z.strictObject({ aws: z.array(z.string()), gcp: z.array(z.string()), azure: z.array(z.string()) }),
    rows: z.array(instanceRowSchema).min(1),
  });

  const sagemakerRowSchema = z.strictObject({
    instanceType: z.string().startsWith("ml."),
    accelerator: z.string().min(1).optional(),
    acceleratorCount: z.number().int().nonnegative(),
    acceleratorVendor: vendor.optional(),
    vcpus: z.number().int().positive(),
    memoryGiB: z.number().positive(),
    usdPerHour: usd.optional(),
    volumeKmsAllowed: z.boolean(),
    referenceRegion: z.string().min(1),
    priceNote: z.string().optional(),
  });

  const sagemakerFileSchema = z.strictObject({ ...header, rows: z.array(sagemakerRowSchema).min(1) });

  const servicePriceRowSchema = z.strictObject({
    cloud,
    service: z.string().min(1),
    sku: z.string().min(1),
    accelerator: z.string().optional(),
    acceleratorCount: z.number().int().positive().optional(),
    vcpus: z.number().positive().optional(),
    memoryGiB: z.number().positive().optional(),
    usdPerUnit: usd.optional(),
    unit: z.string().min(1),
    referenceRegion: z.string().min(1),
    note: z.string().optional(),
  });

  const servicesFileSchema = z.strictObject({
    ...header,
    cloudRun: z.strictObject({
      accelerator: z.string(),
      acceleratorCount: z.literal(1),
      minCpu: z.number().positive(),
      minMemoryGiB: z.number().positive(),
      gpuRegions: z.array(z.string()).min(1),
      regionNotes: z.record(z.string(), z.string()),
    }),
    containerApps: z.array(
      z.strictObject({
        accelerator: z.string(),
        profileType: z.string().startsWith("Consumption-GPU-"),
        vcpus: z.number().positive(),
        memoryGiB: z.number().positive(),
        usdPerHour: usd.optional(),
        priceNote: z.string().optional(),
        regions: z.array(z.string().regex(/^[a-z0-9]+$/, "an Azure region name like eastus")).min(1),
      }),
    ),
    rows: z.array(servicePriceRowSchema),
  });

  const regionsFileSchema = z.strictObject({
    ...header,
    regions: z.strictObject({
      aws: z.array(z.string().regex(/^[a-z]{2}-[a-z]+-\d$/)).min(1),
      gcp: z.array(z.string().regex(/^[a-z]+-[a-z]+\d+$/)).min(1),
      azure: z.array(z.string().regex(/^[a-z0-9]+$/)).min(1),
    }),
  });

  const kubernetesFileSchema = z.strictObject({
    ...header,
    rows: z.array(
      z.strictObject({
        cloud,
        version: z.string().regex(/^1\.\d+$/, "a minor version like 1.33"),
        endOfStandardSupport: isoDate,
        endOfExtendedSupport: isoDate.optional(),
        source: z.url({ protocol: /^https$/ }),
        note: z.string().optional(),
      }),
    ),
  });

  const gcpGpusFileSchema = z.strictObject({
    ...header,
    rules: z.array(
      z.strictObject({
        accelerator: z.string(),
        acceleratorId: z.string().regex(/^nvidia-[a-z0-9-]+$/),
        attached: z.boolean(),
        machineFamilies: z.array(z.string()).min(1),
        counts: z.array(z.number().int().positive()).min(1),
      }),
    ),
  });

  const zonesFileSchema = z.strictObject({
    ...header,
    sources: z.array(z.strictObject({ id: z.string().min(1), url: z.url(), note: z.string() })).min(1),
    rows: z.array(
      z.strictObject({
        cloud,
        accelerator: z.string().min(1),
        match: z.string().min(1),
        source: z.string().min(1),
        coverage: z.enum(["complete", "partial"]),
        zones: z.record(z.string(), z.array(z.string().min(1)).min(1)),
      }),
    ),
    provisioning: z.array(
      z.strictObject({
        cloud,
        instanceTypes: z.array(z.string().min(1)).min(1),
        models: z.array(z.enum(["spot", "flex-start"])).min(1),
        source: z.string().min(1),
      }),
    ),
  });

  /** The data files, by name, with their schemas. */
  return {
    "instances.json": instancesFileSchema,
    "sagemaker.json": sagemakerFileSchema,
    "services.json": servicesFileSchema,
    "regions.json": regionsFileSchema,
    "kubernetes.json": kubernetesFileSchema,
    "gcp-gpus.json": gcpGpusFileSchema,
    "zones.json": zonesFileSchema,
  } as const;
}

export type CatalogFileSchemas = ReturnType<typeof buildCatalogFileSchemas>;

/** The data files, by name. */
export const CATALOG_FILE_NAMES = ["instances.json", "sagemaker.json", "services.json", "regions.json", "kubernetes.json", "gcp-gpus.json", "zones.json"] as const satisfies readonly (keyof CatalogFileSchemas)[];

let built: CatalogFileSchemas | undefined;
/** The data files' schemas, by name (built once). */
export function catalogFileSchemas(): CatalogFileSchemas {
  return (built ??= buildCatalogFileSchemas());
}
