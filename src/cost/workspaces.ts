/**
 * Cost of the v1.1 `workspaces` and `tracking` sections (entries of src/cost/estimate.ts).
 *
 * Notebooks are billed while they run, and the idle shutdown is what stops them, so their hours
 * are an assumption, stated in the report's notes: each user works WORKDAYS_PER_MONTH days of
 * WORK_HOURS_PER_DAY hours, and the notebook runs on for `idleShutdownMinutes` after the day's
 * last activity before the shutdown stops it. With `idleShutdownMinutes: 0` (never) a notebook is
 * assumed to run all month. The same hours are the min and the max of an item: a notebook kept
 * busy all month costs more (the note gives the 730-hour figure).
 *
 * Price sources and gaps (the catalog is the only source; nothing here is typed in by hand):
 *  - aws: SageMaker notebook (Studio JupyterLab) prices are not in the catalog. The catalog's
 *    real-time inference prices of the same `ml.*` type stand in (sagemaker.json, from
 *    ../shared/data/managed.csv), said in a note; types without a row (`ml.t3.*`, the default) are
 *    unpriced. The MLflow tracking server's hourly price is not in the catalog: unpriced.
 *  - gcp: Compute Engine on-demand prices of the machine type (+ attached GPU) from instances.json;
 *    the Workbench management fee is not in the catalog. MLflow on Cloud Run with Cloud SQL: the
 *    Cloud SQL tier is named, its price is not in the catalog: unpriced.
 *  - azure: VM on-demand prices from instances.json; the ML workspace's MLflow endpoint has no
 *    charge of its own (it is part of the workspace).
 *  - Disks (home volumes, space/boot disks) are storage, which the estimate leaves out everywhere.
 */
import type { Catalog } from "../catalog/types.js";
import { GCP_MLFLOW_DB_TIER } from "../model/tracking.js";
import type { PlatformModel } from "../model/platform.js";
import { NOTEBOOK_CATALOG_GAPS, type WorkspaceUserModel } from "../model/workspaces.js";

export const WORKDAYS_PER_MONTH = 22;
export const WORK_HOURS_PER_DAY = 8;

/** Hours a month one notebook runs under the assumption above. */
export function notebookHoursPerMonth(idleShutdownMinutes: number, hoursPerMonth: number): number {
  if (idleShutdownMinutes === 0) return hoursPerMonth;
  return Math.min(hoursPerMonth, WORKDAYS_PER_MONTH * (WORK_HOURS_PER_DAY + idleShutdownMinutes / 60));
}

export interface SectionItem {
  readonly kind: "notebook" | "tracking";
  readonly name: string;
  readonly instanceType: string | null;
  /** Hours a month the item is billed (notebooks: the assumption; tracking: always on). */
  readonly hours: number;
  readonly hourlyUsd: number | undefined;
}

/** Items and notes of workspaces and tracking; prices from the catalog only. */
export function workspaceAndTrackingItems(model: PlatformModel, catalog: Catalog, hoursPerMonth: number): { items: SectionItem[]; notes: string[] } {
  const items: SectionItem[] = [];
  const notes: string[] = [];
  const { cloud } = model;
  const w = model.workspaces;
  if (w) {
    const hours = notebookHoursPerMonth(w.idleShutdownMinutes, hoursPerMonth);
    notes.push(
      w.idleShutdownMinutes === 0
        ? `notebooks: idle shutdown is off (idleShutdownMinutes: 0), so each notebook is priced running all month (${hoursPerMonth} h).`
        : `notebooks: priced at ${round1(hours)} h a month each, assuming ${WORKDAYS_PER_MONTH} workdays of ${WORK_HOURS_PER_DAY} h and the idle shutdown stopping each notebook ${w.idleShutdownMinutes} min after the day's last activity; a notebook kept busy all month costs ${hoursPerMonth} h.`,
    );
    notes.push(`notebooks: ${NOTEBOOK_CATALOG_GAPS[cloud]}; disks (${w.diskGiB} GiB per user) are not priced.`);
    const stand: string[] = [];
    for (const u of w.users) {
      const hourly = notebookHourly(catalog, cloud, u);
      if (cloud === "aws" && hourly !== undefined) stand.push(u.instanceType);
      items.push({ kind: "notebook", name: u.name, instanceType: u.instanceType, hours, hourlyUsd: hourly });
    }
    if (stand.length) notes.push(`notebooks (${[...new Set(stand)].join(", ")}): priced at the catalog's SageMaker real-time inference rate of the same type, standing in for the Studio notebook rate.`);
  }
  const t = model.tracking;
  if (t) {
    const size = t.mlflow.size;
    if (cloud === "aws") {
      items.push({ kind: "tracking", name: "mlflow", instanceType: `MLflow ${size}`, hours: hoursPerMonth, hourlyUsd: undefined });
      notes.push(`tracking: the SageMaker MLflow tracking server (${size}) runs all month; its hourly price is not in the catalog (see https://aws.amazon.com/sagemaker/ai/pricing/).`);
    } else if (cloud === "gcp") {
      items.push({ kind: "tracking", name: "mlflow", instanceType: `Cloud SQL ${GCP_MLFLOW_DB_TIER[size]}`, hours: hoursPerMonth, hourlyUsd: undefined });
      notes.push(
        `tracking: MLflow on Cloud Run with Cloud SQL for PostgreSQL tier ${GCP_MLFLOW_DB_TIER[size]} (always on); Cloud SQL prices are not in the catalog (see https://cloud.google.com/sql/pricing), Cloud Run bills per request time.`,
      );
    } else {
      items.push({ kind: "tracking", name: "mlflow", instanceType: null, hours: hoursPerMonth, hourlyUsd: 0 });
      notes.push("tracking: the Azure ML workspace's MLflow endpoint has no charge of its own.");
    }
  }
  return { items, notes };
}

function notebookHourly(catalog: Catalog, cloud: PlatformModel["cloud"], u: WorkspaceUserModel): number | undefined {
  if (cloud === "aws") return catalog.sagemakerInstance(u.instanceType)?.usdPerHour;
  const row = u.gpu ? (catalog.gpuInstance(cloud, u.instanceType, u.gpu.type, u.gpu.count) ?? catalog.instance(cloud, u.instanceType)) : catalog.instance(cloud, u.instanceType);
  return row?.onDemandUsdPerHour;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
