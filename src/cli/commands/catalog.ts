/**
 * `mlplat catalog gpus | regions | kubernetes`: what the offline catalog knows, like
 * `sky show-gpus`. Reads only the catalog data files (no cdktf, no blueprint).
 */
import { Command, Option } from "commander";
import type { z } from "zod";
import type { ZodApi } from "../../engine/cli-options.js";
import { CLOUDS, type Cloud } from "../../model/platform.js";
import { MlplatError } from "../../util/errors.js";
import { printJson, say, style } from "../output.js";

// Schemas are built when an action runs, with zod imported then: this module is loaded for
// every command's registration, and zod would cost every start-up (src/engine/cli-options.ts).
export const gpusOptionsSchema = (z: ZodApi) =>
  z.object({
    cloud: z.enum(CLOUDS).optional(),
    region: z.string().min(1).optional(),
    gpu: z.string().min(1).optional(),
    all: z.boolean().default(false),
    json: z.boolean().default(false),
  });
export type GpusOptions = z.infer<ReturnType<typeof gpusOptionsSchema>>;

export const regionsOptionsSchema = (z: ZodApi) => z.object({ cloud: z.enum(CLOUDS).optional(), json: z.boolean().default(false) });
export const kubernetesOptionsSchema = (z: ZodApi) =>
  z.object({
    cloud: z.enum(CLOUDS).optional(),
    json: z.boolean().default(false),
    today: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  });

const cloudOption = () => new Option("--cloud <cloud>", "only this cloud").choices(CLOUDS);
const todayIso = () => process.env.MLPLAT_TODAY ?? new Date().toISOString().slice(0, 10);

export function register(program: Command): void {
  const catalog = program
    .command("catalog")
    .description("Show the offline catalog: GPU instance types and prices, regions, Kubernetes versions.")
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat catalog gpus                                  accelerators, clouds and counts at a glance
  $ mlplat catalog gpus --gpu a100-80gb                  every A100-80GB instance type with prices
  $ mlplat catalog gpus --cloud aws --region eu-west-1   GPU types offered in one region
  $ mlplat catalog gpus --gpu H100 --json                machine-readable rows
  $ mlplat catalog regions --cloud gcp
  $ mlplat catalog kubernetes --cloud aws                versions and their end-of-support dates

Prices are on-demand and spot list prices in USD per hour in each cloud's reference region
(aws us-east-1, gcp us-central1, azure eastus). Rows marked ! have a price to double-check.`,
    );

  catalog
    .command("gpus")
    .description("List GPU instance types: accelerator, count, instance type, vCPUs, memory, GPU memory, on-demand and spot $/h.")
    .addOption(cloudOption())
    .option("--region <region>", "only types offered in this region")
    .option("--gpu <name>", "only this accelerator (any spelling: a100-80gb, nvidia-l4, H100)")
    .option("--all", "list every instance row instead of the per-accelerator summary")
    .option("--json", "print the rows as JSON")
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat catalog gpus --gpu L4
  $ mlplat catalog gpus --cloud azure --region westeurope --all`,
    )
    .action(async (raw: unknown) => {
      const { z } = await import("zod");
      await gpus(gpusOptionsSchema(z).parse(raw));
    });

  catalog
    .command("regions")
    .description("List the regions the catalog knows per cloud, with Cloud Run and Container Apps GPU regions.")
    .addOption(cloudOption())
    .option("--json", "print JSON")
    .action(async (raw: unknown) => {
      const { z } = await import("zod");
      await regions(regionsOptionsSchema(z).parse(raw));
    });

  catalog
    .command("kubernetes")
    .description("List the Kubernetes minor versions each cloud supports, with end of standard and extended support.")
    .addOption(cloudOption())
    .option("--today <date>", "evaluate support status on this ISO date (default: today)")
    .option("--json", "print JSON")
    .action(async (raw: unknown) => {
      const { z } = await import("zod");
      await kubernetes(kubernetesOptionsSchema(z).parse(raw));
    });
}

async function load() {
  const [{ loadCatalog }, format] = await Promise.all([import("../../catalog/index.js"), import("../../catalog/format.js")]);
  return { catalog: loadCatalog(), ...format };
}

async function gpus(opts: GpusOptions): Promise<void> {
  const { catalog, renderTable, usdHourly, plain } = await load();
  const clouds: readonly Cloud[] = opts.cloud ? [opts.cloud] : CLOUDS;
  let accelerator: string | undefined;
  if (opts.gpu) {
    accelerator = catalog.normalizeAccelerator(opts.gpu);
    if (!accelerator) {
      const miss = catalog.findGpuInstance({ cloud: opts.cloud ?? "aws", accelerator: opts.gpu, count: 1, region: "", spot: false });
      throw new MlplatError("MLP_GPU_UNKNOWN", miss.ok ? `unknown accelerator "${opts.gpu}"` : miss.message, {
        hint: miss.ok ? undefined : miss.hint,
      });
    }
  }
  if (opts.region && !clouds.some((c) => catalog.regions(c).includes(opts.region!))) {
    const all = clouds.flatMap((c) => catalog.regions(c));
    const { didYouMean } = await import("../../catalog/queries.js");
    const close = didYouMean(opts.region, all);
    throw new MlplatError("MLP_REGION_UNKNOWN", `unknown region "${opts.region}"${opts.cloud ? ` on ${opts.cloud}` : ""}`, {
      hint: close.length ? `did you mean ${close.join(", ")}?` : `see \`mlplat catalog regions${opts.cloud ? ` --cloud ${opts.cloud}` : ""}\``,
    });
  }

  const rows = clouds
    .flatMap((c) => catalog.instances(c))
    .filter((r) => r.accelerator !== undefined)
    .filter((r) => !accelerator || r.accelerator === accelerator)
    .filter((r) => !opts.region || r.regions.includes(opts.region))
    .sort(
      (a, b) =>
        a.accelerator!.localeCompare(b.accelerator!, "en", { numeric: true }) ||
        CLOUDS.indexOf(a.cloud) - CLOUDS.indexOf(b.cloud) ||
        a.acceleratorCount - b.acceleratorCount ||
        (a.onDemandUsdPerHour ?? Infinity) - (b.onDemandUsdPerHour ?? Infinity) ||
        a.instanceType.localeCompare(b.instanceType, "en", { numeric: true }),
    );

  if (opts.json) {
    printJson({ version: catalog.version, rows });
    return;
  }
  if (!rows.length) {
    say(`No GPU instance types match${accelerator ? ` ${accelerator}` : ""}${opts.cloud ? ` on ${opts.cloud}` : ""}${opts.region ? ` in ${opts.region}` : ""}.`);
    if (accelerator) {
      const { nearestRegions } = await import("../../catalog/queries.js");
      for (const c of clouds) {
        const offered = [...new Set(catalog.instances(c).filter((r) => r.accelerator === accelerator).flatMap((r) => r.regions))];
        if (offered.length) say(`${accelerator} on ${c} is offered in ${nearestRegions(offered, opts.region ?? "").join(", ")}.`);
      }
    }
    return;
  }

  if (!accelerator && !opts.all) {
    // Summary: one line per accelerator and cloud, like `sky show-gpus` without arguments.
    const groups = new Map<string, typeof rows>();
    for (const r of rows) {
      const key = `${r.accelerator}\u0000${r.cloud}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const table = [...groups.values()].map((g) => {
      // Whole-GPU rows describe the accelerator; fractional slices only add their counts.
      const wholeRows = g.filter((r) => Number.isInteger(r.acceleratorCount));
      const whole = [...new Set(wholeRows.map((r) => r.acceleratorCount))];
      const frac = [...new Set(g.filter((r) => !Number.isInteger(r.acceleratorCount)).map((r) => r.acceleratorCount))];
      const basis = wholeRows.length ? wholeRows : g;
      const perGpu = basis
        .filter((r) => r.onDemandUsdPerHour !== undefined && r.acceleratorCount > 0)
        .map((r) => r.onDemandUsdPerHour! / r.acceleratorCount);
      return [
        g[0].accelerator!,
        g[0].cloud,
        [...whole.map(String), ...frac.map((f) => `${plain(f)}*`)].join(", "),
        plain(Math.max(...basis.map((r) => r.acceleratorMemoryGiB ?? 0)) || undefined),
        perGpu.length ? usdHourly(Math.min(...perGpu)) : "—",
      ];
    });
    say(
      renderTable(
        [{ header: "GPU" }, { header: "CLOUD" }, { header: "COUNTS" }, { header: "GPU MEM GiB", align: "right" }, { header: "FROM $/GPU-h", align: "right" }],
        table,
      ),
    );
    say("");
    say(style.dim("* fractional GPU (listed, never chosen for a whole gpu.count). Details: mlplat catalog gpus --gpu <name>"));
    return;
  }

  // Flagged rows grouped by note, so a family-wide caveat is printed once.
  const flagged = new Map<string, string[]>();
  const table = rows.map((r) => {
    if (r.priceNote) flagged.set(r.priceNote, [...(flagged.get(r.priceNote) ?? []), `${r.cloud} ${r.instanceType}`]);
    return [
      r.accelerator!,
      plain(r.acceleratorCount) + (Number.isInteger(r.acceleratorCount) ? "" : "*"),
      r.cloud,
      r.instanceType + (r.priceNote ? " !" : ""),
      plain(r.vcpus),
      plain(r.memoryGiB),
      plain(r.acceleratorMemoryGiB),
      usdHourly(r.onDemandUsdPerHour),
      usdHourly(r.spotUsdPerHour),
    ];
  });
  say(
    renderTable(
      [
        { header: "GPU" },
        { header: "COUNT", align: "right" },
        { header: "CLOUD" },
        { header: "INSTANCE TYPE" },
        { header: "vCPUs", align: "right" },
        { header: "MEM GiB", align: "right" },
        { header: "GPU MEM GiB", align: "right" },
        { header: "$/h", align: "right" },
        { header: "SPOT $/h", align: "right" },
      ],
      table,
    ),
  );
  say("");
  const refs = clouds.map((c) => `${c} ${c === "aws" ? "us-east-1" : c === "gcp" ? "us-central1" : "eastus"}`).join(", ");
  say(style.dim(`Prices: USD per hour, list prices in ${refs} (catalog ${catalog.version}).`));
  if (rows.some((r) => !Number.isInteger(r.acceleratorCount))) say(style.dim("* fractional GPU: listed, never chosen for a whole gpu.count."));
  for (const [note, types] of flagged) say(`${style.yellow("!")} ${types.join(", ")}: ${note}`);
}

async function regions(opts: z.infer<ReturnType<typeof regionsOptionsSchema>>): Promise<void> {
  const { catalog } = await load();
  const clouds: readonly Cloud[] = opts.cloud ? [opts.cloud] : CLOUDS;
  const data = Object.fromEntries(clouds.map((c) => [c, catalog.regions(c)]));
  const cloudRun = catalog.cloudRunGpu();
  const containerApps = catalog.containerAppsGpuProfiles();
  if (opts.json) {
    printJson({
      version: catalog.version,
      regions: data,
      ...(clouds.includes("gcp") ? { cloudRunGpuRegions: cloudRun.gpuRegions } : {}),
      ...(clouds.includes("azure") ? { containerAppsGpuProfiles: containerApps } : {}),
    });
    return;
  }
  for (const c of clouds) {
    say(style.bold(`${c} (${data[c].length} regions)`));
    say(wrap(data[c].join(", ")));
    if (c === "gcp") {
      const notes = Object.entries(cloudRun.regionNotes).map(([r, n]) => `${r}: ${n}`);
      say(`  Cloud Run GPU (${cloudRun.accelerator}): ${cloudRun.gpuRegions.join(", ")}`);
      if (notes.length) say(style.dim(wrap(notes.join("; "))));
    }
    if (c === "azure") for (const p of containerApps) say(`  Container Apps ${p.accelerator} (${p.profileType}): ${p.regions.join(", ")}`);
    say("");
  }
}

async function kubernetes(opts: z.infer<ReturnType<typeof kubernetesOptionsSchema>>): Promise<void> {
  const { catalog, renderTable } = await load();
  const today = opts.today ?? todayIso();
  const clouds: readonly Cloud[] = opts.cloud ? [opts.cloud] : CLOUDS;
  const rows = clouds.flatMap((c) =>
    catalog.kubernetesVersions(c).map((v) => ({ ...v, status: catalog.kubernetesVersionStatus(c, v.version, today).status })),
  );
  if (opts.json) {
    printJson({ version: catalog.version, today, versions: rows });
    return;
  }
  say(
    renderTable(
      [{ header: "CLOUD" }, { header: "VERSION" }, { header: "STANDARD UNTIL" }, { header: "EXTENDED UNTIL" }, { header: "STATUS" }, { header: "SOURCE NOTE" }],
      rows.map((r) => [
        r.cloud === "aws" ? "aws (EKS)" : r.cloud === "gcp" ? "gcp (GKE)" : "azure (AKS)",
        r.version,
        r.endOfStandardSupport,
        r.endOfExtendedSupport ?? "—",
        r.status,
        r.note ?? "",
      ]),
    ),
  );
  say("");
  say(style.dim(`Status on ${today}. Extended support costs more (EKS 0.60 USD/h instead of 0.10; AKS needs the Premium tier).`));
}

function wrap(text: string, width = 100, indent = "  "): string {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent.length + line.length + 1 + word.length > width) (out.push(indent + line), (line = word));
    else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out.join("\n");
}
