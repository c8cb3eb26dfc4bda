import { sectionOf } from "../terraform/addresses.js";
import { parseStateJson, stateResources } from "../terraform/plan-json.js";
import type { Extension } from "../synth/extension.js";
import type { EndpointModel, PlatformModel } from "../model/platform.js";
import { platformImage, platformImageEndpoints, pushCommands } from "../registry-images/image-ref.js";
import type { EngineDeps, SynthResult, SynthedStack } from "./ports.js";
import { initStep } from "./stack-plan.js";

/**
 * Phased first deploys. A managed endpoint (SageMaker, Cloud Run, Container Apps) whose image
 * is in a registry this platform creates cannot be created by the apply that creates the
 * registry: the image cannot have been pushed yet, and the cloud rejects the endpoint (SageMaker
 * model, Cloud Run revision, Container App revision). A Kubernetes endpoint would be applied and
 * never start (ImagePullBackOff). So, before planning:
 *
 *  1. the endpoints with `image: { repository, tag }` are listed;
 *  2. one that already has resources in the state is never deferred: leaving it out of the
 *     configuration would destroy it (an image missing from a deployed endpoint is the
 *     cloud's error to report);
 *  3. for the others, the registry's URL comes from the `registry_urls` output: no output yet
 *     means the registry is not deployed, so the image cannot be there; otherwise the cloud's CLI
 *     is asked (src/registry-images). An endpoint whose image is missing is deferred: synth runs
 *     again without it (`deferEndpoints`), so the foundation and the registries are planned and
 *     applied, and no placeholder image is ever deployed. A deferred Kubernetes endpoint's
 *     manifest is not written either; one already running in the cluster is left as it is (the
 *     prune of removed endpoints keeps a deferred endpoint's objects: src/engine/kubernetes-prune.ts);
 *  4. after the apply, `deferredMessage` names each image and the commands that push it, and
 *     deploy ends with status `partial` (exit 0). Running deploy again after the push checks
 *     again and creates the endpoints.
 *
 * `--offline` plans make no cloud call: the check is skipped (said in the output), and the
 * whole configuration is planned.
 */
export interface DeferredEndpoint {
  readonly endpoint: string;
  readonly repository: string;
  readonly tag: string;
  /** Full image reference, once the registry exists (after the apply). */
  image?: string;
  /** Commands that push the image, once the registry exists. */
  push?: string[];
}

export interface ImagePhase {
  /** The synth to plan: the one given, or a new one without the deferred endpoints (its lock now held instead). */
  readonly synth: SynthResult;
  readonly deferred: DeferredEndpoint[];
  /** The whole model, deferred endpoints included. */
  readonly model?: PlatformModel;
}

export async function deferEndpointsWithoutImage(
  deps: EngineDeps,
  file: string,
  synth: SynthResult,
  options: { env?: string; outDir?: string; stateDir?: string; offline: boolean; extension?: Extension },
): Promise<ImagePhase> {
  const model = synth.model;
  const candidates = model ? platformImageEndpoints(model.endpoints) : [];
  if (!model || candidates.length === 0) return { synth, deferred: [], model };
  if (options.offline) {
    deps.ui.print(
      `Offline: the image check is skipped. ${names(candidates)} run${candidates.length === 1 ? "s" : ""} an image from the platform registry; ` +
        "deploy without --offline checks that it was pushed and defers an endpoint whose image is missing.",
    );
    return { synth, deferred: [], model };
  }
  const stack = stackOf(synth, model);
  await initStep(deps, stack, false);
  const state = stateResources(parseStateJson(await deps.runner.showState(stack.dir), `${stack.name} state`)).filter((r) => r.mode === "managed");
  const deployed = new Set(
    state.map((r) => sectionOf(r.address)).flatMap((s) => (s.section === "serving" && s.item ? [s.item] : [])),
  );
  const registryUrls = (await deps.runner.output(stack.dir)).registry_urls?.value ?? {};
  const deferred: DeferredEndpoint[] = [];
  for (const e of candidates) {
    if (deployed.has(e.name) || e.image.kind !== "repository") continue;
    const img = platformImage(model.cloud, e, registryUrls as Record<string, unknown>);
    const present = img ? await deps.progress.step("image-check", `${stack.name}/${e.name}`, () => requireImages(deps).exists(stack.dir, img, model.region)) : false;
    if (!present) deferred.push({ endpoint: e.name, repository: e.image.repository, tag: e.image.tag });
  }
  if (deferred.length === 0) return { synth, deferred, model };
  deps.ui.print(
    `Deferring ${deferred.map((d) => `endpoint ${d.endpoint}`).join(", ")}: ${deferred.length === 1 ? "its image is" : "their images are"} not in the platform registry yet. ` +
      "This deploy creates everything else; push the image and run deploy again to create " +
      (deferred.length === 1 ? "it." : "them."),
  );
  // The new synth replaces the output, which needs its lock: the first synth's is released, and
  // the new one's is held until deploy ends (a concurrent run could take it in between and make
  // this deploy stop with the lock error; nothing would have been applied).
  synth.release?.();
  const again = await deps.progress.step("synth", `${stack.name} (without ${deferred.map((d) => d.endpoint).join(", ")})`, () =>
    deps.synth(file, {
      env: options.env,
      outDir: options.outDir,
      stateDir: options.stateDir,
      offline: false,
      command: "deploy",
      holdLock: true,
      deferEndpoints: deferred.map((d) => d.endpoint),
      ...(options.extension ? { extension: options.extension } : {}),
    }),
  );
  return { synth: again, deferred, model };
}

/**
 * After the apply: the image reference and push commands of each deferred endpoint, from the
 * now-deployed registry's `registry_urls` output, and the message saying what to do.
 */
export async function deferredMessage(deps: EngineDeps, synth: SynthResult, model: PlatformModel, deferred: DeferredEndpoint[]): Promise<string> {
  const stack = stackOf(synth, model);
  const registryUrls = ((await deps.runner.output(stack.dir)).registry_urls?.value ?? {}) as Record<string, unknown>;
  const lines = [`Partly deployed: ${deferred.length} endpoint${deferred.length === 1 ? " waits" : "s wait"} for an image in the platform registry.`];
  for (const d of deferred) {
    const e = model.endpoints.find((x) => x.name === d.endpoint)!;
    const img = platformImage(model.cloud, e, registryUrls);
    if (!img) {
      lines.push(`  endpoint ${d.endpoint}: push ${d.repository}:${d.tag} to the registry repository ${d.repository} (the registry_urls output has no URL for it yet).`);
      continue;
    }
    d.image = img.image;
    d.push = pushCommands(img, model.region);
    lines.push(`  endpoint ${d.endpoint}: push the image ${img.image}`, ...d.push.map((c) => `    ${c}`));
  }
  lines.push("Then run the same deploy again: it checks the images and creates the endpoints.");
  return lines.join("\n");
}

function requireImages(deps: EngineDeps) {
  if (!deps.images) throw new Error("engine deps have no image registry port; defaultDeps provides one");
  return deps.images;
}

function stackOf(synth: SynthResult, model: PlatformModel): SynthedStack {
  return synth.stacks.find((s) => s.name === model.stackName) ?? synth.stacks[0]!;
}

function names(endpoints: readonly EndpointModel[]): string {
  return endpoints.map((e) => `endpoint ${e.name}`).join(", ");
}
