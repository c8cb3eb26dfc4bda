import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { PlatformModel } from "../model/platform.js";
import { kubernetesManifests } from "./manifests.js";
import { kubernetesPlatform } from "./platforms/index.js";

/**
 * Writes the platform's Kubernetes manifests into a stack folder (`<stackDir>/k8s/…`) from the
 * props the cloud's target resolved for the same synth. Returns the paths written, relative to
 * the stack folder; nothing without a cluster.
 */
export function writeKubernetesManifests(model: PlatformModel, props: unknown, stackDir: string): string[] {
  if (!model.cluster) return [];
  const files = kubernetesManifests(model, kubernetesPlatform(model, props));
  for (const [rel, content] of Object.entries(files)) {
    const path = join(stackDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return Object.keys(files);
}
