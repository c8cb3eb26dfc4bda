import type { KubernetesPlatform } from "../../targets/target.js";

/**
 * The contract the manifests are written against: the cloud's `KubernetesPlatform`
 * (src/targets/target.ts), plus where an endpoint's model artifact lives, which the managed
 * runtimes of every cloud already pass to the container as `MODEL_URI` (Cloud Run, Container
 * Apps), so one serving image runs on both runtimes.
 */
export interface ManifestPlatform extends KubernetesPlatform {
  /** URI of a model artifact in a declared bucket (`s3://…`, `gs://…`, `https://<account>.blob.core.windows.net/…`). */
  modelUri?(model: { readonly bucket: string; readonly path: string }): string;
}

/** A model path as a key prefix: no leading slash. */
export function modelKey(path: string): string {
  return path.replace(/^\/+/, "");
}
