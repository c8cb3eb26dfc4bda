import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runDeploy } from "../../src/engine/deploy.js";
import { platformImage } from "../../src/registry-images/image-ref.js";
import { TARGETS } from "../../src/targets/index.js";
import { loadBlueprintOrThrow } from "../../src/blueprint/load.js";
import { planStream, stateJson } from "./fakes.js";
import { AWS_OUTPUTS, llmServing, out, phaseHarness } from "../kubectl/engine-harness.js";
import { RECORDED } from "../kubectl/recorded-kubectl.js";

const STACK = "llm-serving-default";
const EMBED_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-serving-default/embeddings:1.8.0";
const FOUNDATION = planStream([
  ["aws_ecr_repository.registry_embeddings", "create"],
  ["aws_eks_cluster.cluster", "create"],
]);

describe("deploy phases endpoints behind their images (RECORDED FAKE cloud CLIs and kubectl, fake terraform)", () => {
  it("first deploy: defers the endpoints whose registry does not exist yet (managed and Kubernetes), applies the rest, prints the push commands, status partial", async () => {
    const h = phaseHarness(llmServing());
    h.runner.plans[STACK] = FOUNDATION;
    h.runner.afterApply[STACK] = AWS_OUTPUTS;
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);

    expect(report.status).toBe("partial");
    // Synth ran twice: the second without the deferred endpoints; no image check (no registry yet).
    expect(h.synth.calls.map((c) => c.deferEndpoints)).toEqual([undefined, ["chat", "embed"]]);
    expect(h.exec.commands().some((c) => c.startsWith("aws ecr"))).toBe(false);
    expect(h.runner.methods().filter((m) => m.startsWith("apply"))).toEqual([`apply ${STACK}`]);
    expect(report.deferred?.map((d) => d.endpoint)).toEqual(["chat", "embed"]);
    expect(report.deferred?.[0]?.image).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-serving-default/vllm:0.11.0");
    expect(report.deferred?.[1]).toEqual(
      {
        endpoint: "embed",
        repository: "embeddings",
        tag: "1.8.0",
        image: EMBED_IMAGE,
        push: [
          "aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.us-east-1.amazonaws.com",
          `docker tag embeddings:1.8.0 ${EMBED_IMAGE}`,
          `docker push ${EMBED_IMAGE}`,
        ],
      },
    );
    const text = h.printed.join("\n");
    expect(text).toContain("Deferring endpoint chat, endpoint embed: their images are not in the platform registry yet.");
    expect(text).toContain(`Partly deployed: 2 endpoints wait for an image in the platform registry.\n`);
    expect(text).toContain(`\n  endpoint embed: push the image ${EMBED_IMAGE}\n`);
    expect(text).toContain("Then run the same deploy again: it checks the images and creates the endpoints.");
    // The Kubernetes layer still went on: the add-ons, without the deferred chat endpoint's manifest.
    expect(report.kubernetes?.[0]).toMatchObject({ stack: STACK, status: "applied", files: ["k8s/platform/cluster-autoscaler.yaml", "k8s/platform/nvidia-device-plugin.yaml"] });
  });

  it("second deploy with the image present: checks it with aws ecr describe-images and creates the endpoint (one synth, status applied)", async () => {
    const h = phaseHarness(llmServing());
    h.runner.states[STACK] = stateJson([{ address: "aws_ecr_repository.registry_embeddings" }, { address: "aws_eks_cluster.cluster" }, { address: "aws_iam_role.serving_chat" }]);
    h.runner.outputs[STACK] = AWS_OUTPUTS;
    h.runner.plans[STACK] = planStream([["aws_sagemaker_endpoint.serving_embed", "create"]]);
    h.exec.on("aws", ["ecr", "describe-images"], RECORDED.ecrImageFound);
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);

    expect(report.status).toBe("applied");
    expect(report.deferred).toBeUndefined();
    expect(h.synth.calls.map((c) => c.deferEndpoints)).toEqual([undefined]);
    expect(h.exec.commands()).toContain(
      "aws ecr describe-images --region us-east-1 --registry-id 123456789012 --repository-name llm-serving-default/embeddings --image-ids imageTag=1.8.0 --output json",
    );
  });

  it("re-running before the push: the registry exists, the image is still missing, the endpoint stays deferred", async () => {
    const h = phaseHarness(llmServing());
    h.runner.states[STACK] = stateJson([{ address: "aws_ecr_repository.registry_embeddings" }, { address: "aws_iam_role.serving_chat" }]);
    h.runner.outputs[STACK] = AWS_OUTPUTS;
    h.exec.on("aws", ["ecr", "describe-images"], RECORDED.ecrImageMissing);
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);
    expect(report.status).toBe("partial");
    expect(report.deferred?.map((d) => d.endpoint)).toEqual(["embed"]);
    expect(h.synth.calls.map((c) => c.deferEndpoints)).toEqual([undefined, ["embed"]]);
  });

  it("never defers an endpoint already in state, even with its image missing (leaving it out would destroy it)", async () => {
    const h = phaseHarness(llmServing());
    h.runner.states[STACK] = stateJson([
      { address: "aws_ecr_repository.registry_embeddings" },
      { address: "aws_sagemaker_endpoint.serving_embed" },
      { address: "aws_iam_role.serving_chat" },
    ]);
    h.runner.outputs[STACK] = AWS_OUTPUTS;
    h.exec.on("aws", ["ecr", "describe-images"], RECORDED.ecrImageMissing);
    const report = await runDeploy(h.synth.file, { autoApprove: true }, h.deps);
    expect(report.status).toBe("no-changes");
    expect(report.deferred).toBeUndefined();
    expect(h.synth.calls).toHaveLength(1);
    expect(h.exec.commands().some((c) => c.startsWith("aws ecr"))).toBe(false);
  });

  it("--offline skips the image check and says so", async () => {
    const h = phaseHarness(llmServing());
    h.runner.plans[STACK] = FOUNDATION;
    const report = await runDeploy(h.synth.file, { offline: true }, h.deps);
    expect(report.status).toBe("would-apply");
    expect(h.exec.calls).toEqual([]);
    expect(h.runner.methods().some((m) => m.startsWith("showState") || m.startsWith("output"))).toBe(false);
    expect(h.printed[0]).toBe("Quota preflight skipped (--offline): `mlplat quota` lists the 3 quotas this platform needs.");
    expect(h.printed[1]).toBe(
      "Offline: the image check is skipped. endpoint chat, endpoint embed run an image from the platform registry; deploy without --offline checks that it was pushed and defers an endpoint whose image is missing.",
    );
  });

  it("stops with MLP_IMAGE_CHECK_FAILED, before planning, when the registry cannot be read", async () => {
    const h = phaseHarness(llmServing());
    h.runner.outputs[STACK] = AWS_OUTPUTS;
    h.exec.on("aws", ["ecr", "describe-images"], RECORDED.ecrAccessDenied);
    const err = await runDeploy(h.synth.file, { autoApprove: true }, h.deps).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "MLP_IMAGE_CHECK_FAILED", exitCode: 3 });
    expect(h.runner.methods().some((m) => m.startsWith("plan") || m.startsWith("apply"))).toBe(false);
  });

  it("GCP (--env gcp): the Cloud Run endpoint is deferred the same way, with gcloud's push commands", async () => {
    const h = phaseHarness(llmServing());
    const stack = "llm-serving-gcp";
    h.runner.plans[stack] = FOUNDATION;
    h.runner.afterApply[stack] = {
      region: out("us-central1"),
      cluster_name: out("llm-serving-gcp"),
      registry_urls: out({
        vllm: "us-central1-docker.pkg.dev/llm-serving-demo/llm-serving-gcp-vllm",
        embeddings: "us-central1-docker.pkg.dev/llm-serving-demo/llm-serving-gcp-embeddings",
      }),
    };
    const report = await runDeploy(h.synth.file, { autoApprove: true, env: "gcp" }, h.deps);
    expect(report.status).toBe("partial");
    expect(report.deferred?.map((d) => d.endpoint)).toEqual(["chat", "embed"]);
    expect(report.deferred?.[1]?.push).toEqual([
      "gcloud auth configure-docker us-central1-docker.pkg.dev",
      "docker tag embeddings:1.8.0 us-central1-docker.pkg.dev/llm-serving-demo/llm-serving-gcp-embeddings/embeddings:1.8.0",
      "docker push us-central1-docker.pkg.dev/llm-serving-demo/llm-serving-gcp-embeddings/embeddings:1.8.0",
    ]);
  });
});

describe("the image a deferred endpoint waits for is the one the cloud's target deploys", () => {
  for (const env of ["default", "gcp", "azure"] as const) {
    it(`llm-serving --env ${env}: registry_urls + repository + tag give the resolver's image`, async () => {
      const h = phaseHarness(llmServing());
      const { model } = loadBlueprintOrThrow(h.synth.file, { env: env === "default" ? undefined : env });
      const props = TARGETS[model.cloud].resolve(model, { offline: true, localStatePath: "x" }) as unknown as Record<string, unknown>;
      const embed = model.endpoints.find((e) => e.name === "embed")!;
      // The stacks' registry_urls output, from the same props (stacks/<cloud>: outputs section).
      const urls: Record<string, string> =
        model.cloud === "aws"
          ? (props.registryUrls as Record<string, string>)
          : model.cloud === "gcp"
            ? Object.fromEntries((props.repositories as { id: string; url: string }[]).map((r) => [r.id, r.url]))
            : Object.fromEntries(model.registry.images.map((i) => [i.name, `${(props.registry as { loginServer: string }).loginServer}/${i.name}`]));
      const deployed = JSON.stringify(props);
      const img = platformImage(model.cloud, embed, urls)!;
      expect(deployed).toContain(`"${img.image}"`);
    });
  }
});

describe("synth leaves deferred endpoints out of the Kubernetes manifests too", () => {
  it("writes no manifest for a deferred kubernetes endpoint", async () => {
    const h = phaseHarness(llmServing());
    const r = await h.synth(h.synth.file, { offline: true, deferEndpoints: ["chat"] });
    expect(readdirSync(join(r.stacks[0]!.dir, "k8s")).sort()).toEqual(["kustomization.yaml", "platform"]);
    expect(existsSync(join(r.stacks[0]!.dir, "k8s", "chat.yaml"))).toBe(false);
  });
});
