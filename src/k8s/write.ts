import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { PlatformModel } from "../model/platform.js";
import { kubernetesManifests } from "./manifests.js";
import { kubernetesPlatform } from "./platforms/index.js";

/** Writes one file at `rel`, relative to the stack folder. */
export type ManifestWriter = (rel: string, content: string) => void;

/**
 * Writes the platform's Kubernetes manifests into a stack folder (`<stackDir>/k8s/…`) from the
 * props the cloud's target resolved for the same synth. Returns the paths written, relative to
 * the stack folder; nothing without a cluster. `write` replaces the plain file write (synth
 * passes the output's writer, which reuses unchanged files of the previous output).
 */
export function writeKubernetesManifests(model: PlatformModel, props: unknown, stackDir: string, write: ManifestWriter = plainWrite(stackDir)): string[] {
  if (!model.cluster) return [];
  const files = kubernetesManifests(model, kubernetesPlatform(model, props));
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  return Object.keys(files);
}

function plainWrite(stackDir: string): ManifestWriter {
  return (rel, content) => {
    const path = join(stackDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };
}
