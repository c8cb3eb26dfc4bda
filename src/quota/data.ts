/**
 * The quota table (src/catalog/data/quotas.json, sources in QUOTAS-SOURCES.md): which quota each
 * instance family, purchase option and managed endpoint draws on. Read once, checked with zod.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";
import { catalogDataDir } from "../catalog/index.js";
import { EXIT, MlplatError } from "../util/errors.js";

/** Built on first use: most runs take the hash path below and never construct it (~3 ms). */
function buildQuotaTableSchema() {
  const Quota = z.object({ code: z.string().min(1), name: z.string().min(1) });
  const Increase = z.object({ console: z.string().url(), cli: z.string().min(1) });
  return z.object({
    version: z.string(),
    notes: z.string(),
    aws: z.object({
      ec2: z.array(
        z.object({
          families: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/)).min(1),
          onDemand: Quota,
          spot: Quota,
          newAccountZero: z.boolean(),
          note: z.string().optional(),
        }),
      ),
      sagemakerEndpoint: z.object({ name: z.string().includes("{type}"), note: z.string(), newAccountZeroAccelerated: z.boolean() }),
      increase: Increase,
    }),
    gcp: z.object({
      cpuFamilies: z.array(z.object({ prefix: z.string(), metric: z.string(), name: z.string(), note: z.string().optional() })),
      spotCpus: z.object({ metric: z.string(), name: z.string(), note: z.string() }),
      gpus: z.array(z.object({ accelerator: z.string(), metric: z.string(), name: z.string(), newAccountZero: z.boolean(), note: z.string().optional() })),
      spotGpuPrefix: z.string(),
      allRegionsGpus: z.object({ metric: z.string(), name: z.string(), newAccountZero: z.boolean() }),
      cloudRunGpu: z.object({ metric: z.string(), name: z.string(), newAccountZero: z.boolean(), note: z.string() }),
      increase: Increase.extend({ cliGlobal: z.string(), note: z.string() }),
    }),
    azure: z.object({
      families: z.array(
        z.object({
          pattern: z.string().refine((p) => {
            try {
              new RegExp(p);
              return true;
            } catch {
              return false;
            }
          }, "not a regular expression"),
          family: z.string(),
          name: z.string(),
          newAccountZero: z.boolean(),
          note: z.string().optional(),
        }),
      ),
      regionalCores: Quota,
      spotCores: Quota.extend({ note: z.string() }),
      containerAppsGpu: z.array(Quota.extend({ accelerator: z.string(), newAccountZero: z.boolean(), note: z.string().optional() })),
      increase: Increase,
    }),
  });
}
let schema: ReturnType<typeof buildQuotaTableSchema> | undefined;
export function quotaTableSchema(): ReturnType<typeof buildQuotaTableSchema> {
  return (schema ??= buildQuotaTableSchema());
}
export type QuotaTable = z.infer<ReturnType<typeof buildQuotaTableSchema>>;

let cached: QuotaTable | undefined;

/** sha256 of the bytes the test suite validated (test/quota/needs.test.ts keeps it current). */
export const QUOTAS_SHA256_FILE = "quotas.json.sha256";

export function quotaTableHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Reads the table. Bytes whose hash is the one the test suite validated skip the zod pass
 * (~6 ms of every `validate`, like the catalog's checksums); any other bytes are validated.
 */
export function loadQuotaTable(file = join(catalogDataDir(), "quotas.json")): QuotaTable {
  if (cached && file === join(catalogDataDir(), "quotas.json")) return cached;
  let json: unknown;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
    json = JSON.parse(text);
  } catch (cause) {
    throw new MlplatError("MLP_CATALOG_UNREADABLE", `cannot read the quota table ${file}`, { exitCode: EXIT.internal, cause });
  }
  let validated: string | undefined;
  try {
    validated = readFileSync(join(dirname(file), QUOTAS_SHA256_FILE), "utf8").trim();
  } catch {
    validated = undefined;
  }
  if (validated === quotaTableHash(text)) return (cached = json as QuotaTable);
  const parsed = quotaTableSchema().safeParse(json);
  if (!parsed.success) {
    throw new MlplatError("MLP_CATALOG_INVALID", `the quota table ${file} does not match its schema`, {
      exitCode: EXIT.internal,
      details: parsed.error.issues.slice(0, 5).map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n"),
    });
  }
  return (cached = parsed.data);
}
