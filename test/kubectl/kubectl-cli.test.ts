import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { clusterOutputs, credentialsCommands } from "../../src/kubectl/credentials.js";
import { KubectlCli } from "../../src/kubectl/kubectl-cli.js";
import type { PlatformModel } from "../../src/model/platform.js";
import { CliRegistryImages } from "../../src/registry-images/registry-images.js";
import type { PlatformImage } from "../../src/registry-images/image-ref.js";
import type { MlplatError } from "../../src/util/errors.js";
import { RECORDED, RecordedExec } from "./recorded-kubectl.js";

const stackDir = () => mkdtempSync(join(tmpdir(), "mlplat-kubectl-"));
const failure = async (p: Promise<unknown>) => (await p.then(() => undefined, (e: unknown) => e)) as MlplatError;

describe("KubectlCli over a RECORDED FAKE of kubectl (no API server)", () => {
  it("applies server-side as field manager mlplat, with the stack's kubeconfig, files in the order given", async () => {
    const dir = stackDir();
    const exec = new RecordedExec();
    await new KubectlCli(exec).apply(dir, ["k8s/platform/cluster-autoscaler.yaml", "k8s/platform/nvidia-device-plugin.yaml"]);
    expect(exec.calls[0]).toMatchObject({
      tool: "kubectl",
      args: ["--kubeconfig", join(dir, "kubeconfig"), "apply", "--server-side", "--field-manager=mlplat", "-f", "k8s/platform/cluster-autoscaler.yaml", "-f", "k8s/platform/nvidia-device-plugin.yaml"],
      cwd: dir,
      logFile: join(dir, "kubectl.log"),
      env: { KUBECONFIG: join(dir, "kubeconfig") },
    });
  });

  it("turns a recorded server-side apply conflict into MLP_KUBECTL_CONFLICT naming the other manager and the --force-conflicts command", async () => {
    const dir = stackDir();
    const exec = new RecordedExec().on("kubectl", ["apply"], RECORDED.applyConflict);
    const err = await failure(new KubectlCli(exec).apply(dir, ["k8s/namespace.yaml", "k8s/chat.yaml"]));
    expect(err.code).toBe("MLP_KUBECTL_CONFLICT");
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe(`kubectl apply in stack ${dir.split("/").pop()} conflicts with fields owned by "kube-controller-manager"; nothing in the conflicting object was changed.`);
    expect(err.details).toContain(".spec.replicas");
    expect(err.hint).toContain(`apply --server-side --field-manager=mlplat --force-conflicts -f k8s/namespace.yaml -f k8s/chat.yaml`);
  });

  it("waits for a rollout with a timeout and turns a recorded timeout into MLP_K8S_ROLLOUT_TIMEOUT", async () => {
    const dir = stackDir();
    const exec = new RecordedExec().on("kubectl", ["rollout", "status"], RECORDED.rolloutTimeout);
    const err = await failure(new KubectlCli(exec).rolloutStatus(dir, { kind: "Deployment", name: "cluster-autoscaler", namespace: "kube-system" }, 120));
    expect(exec.calls[0]!.args.slice(2)).toEqual(["rollout", "status", "deployment/cluster-autoscaler", "-n", "kube-system", "--timeout=120s"]);
    expect(err.code).toBe("MLP_K8S_ROLLOUT_TIMEOUT");
    expect(err.message).toBe(`Deployment kube-system/cluster-autoscaler did not finish rolling out within 120s (stack ${dir.split("/").pop()}).`);
    expect(err.hint).toContain("describe deployment/cluster-autoscaler");
  });

  it("maps an unreachable API server to MLP_KUBECTL_FAILED with the access-path hint", async () => {
    const dir = stackDir();
    const exec = new RecordedExec().on("kubectl", ["apply"], RECORDED.unreachable);
    const err = await failure(new KubectlCli(exec).apply(dir, ["k8s/namespace.yaml"]));
    expect(err.code).toBe("MLP_KUBECTL_FAILED");
    expect(err.message).toBe(`kubectl apply failed in stack ${dir.split("/").pop()} (exit 1).`);
    expect(err.hint).toMatch(/^kubectl could not reach the cluster API/);
    expect(err.details).toContain(`log: ${join(dir, "kubectl.log")}`);
  });

  it("deletes with --ignore-not-found --wait and a timeout; a recorded timeout says the objects are still terminating", async () => {
    const dir = stackDir();
    const exec = new RecordedExec().on("kubectl", ["delete"], { code: 1, stdout: 'deployment.apps "chat" deleted\n', stderr: "error: timed out waiting for the condition on namespaces/mlplat-serving\n" });
    const err = await failure(new KubectlCli(exec).delete(dir, ["k8s/chat.yaml", "k8s/namespace.yaml"], 60));
    expect(exec.calls[0]!.args.slice(2)).toEqual(["delete", "--ignore-not-found", "--wait", "--timeout=60s", "-f", "k8s/chat.yaml", "-f", "k8s/namespace.yaml"]);
    expect(err.code).toBe("MLP_KUBECTL_FAILED");
    expect(err.message).toBe(`kubectl delete failed in stack ${dir.split("/").pop()} (exit 1).`);
    expect(err.hint).toMatch(/^objects were still terminating after 60s/);
  });

  it("lists objects of several resources down to identity and labels, quietly; an optional resource the server does not serve lists as none", async () => {
    const dir = stackDir();
    const exec = new RecordedExec().on(
      "kubectl",
      ["get", "deployments.apps,services"],
      RECORDED.objects([{ apiVersion: "apps/v1", kind: "Deployment", name: "chat", labels: { "mlplat.io/endpoint": "chat" } }, { apiVersion: "v1", kind: "Service", name: "chat" }]),
    );
    const got = await new KubectlCli(exec).list(dir, "mlplat-serving", ["deployments.apps", "services"], "app.kubernetes.io/managed-by=mlplat");
    expect(got).toEqual([
      { apiVersion: "apps/v1", kind: "Deployment", name: "chat", namespace: "mlplat-serving", labels: { "mlplat.io/endpoint": "chat" } },
      { apiVersion: "v1", kind: "Service", name: "chat", namespace: "mlplat-serving", labels: {} },
    ]);
    expect(exec.calls[0]!.args.slice(2)).toEqual(["get", "deployments.apps,services", "-n", "mlplat-serving", "-l", "app.kubernetes.io/managed-by=mlplat", "-o", "json"]);
    expect(exec.calls[0]!.quietStdout).toBe(true);

    exec.on("kubectl", ["get", "rollouts.argoproj.io"], RECORDED.unknownRolloutType);
    expect(await new KubectlCli(exec).list(dir, "mlplat-serving", ["rollouts.argoproj.io"], "x", { optional: true })).toEqual([]);
    const err = await failure(new KubectlCli(exec).list(dir, "mlplat-serving", ["rollouts.argoproj.io"], "x"));
    expect(err.code).toBe("MLP_KUBECTL_FAILED");
    expect(err.message).toBe(`kubectl get rollouts.argoproj.io failed in stack ${dir.split("/").pop()} (exit 1).`);
  });

  it("deletes named objects in one namespace, in the order given, --ignore-not-found --wait with a timeout; a timeout says deploy lists what is left", async () => {
    const dir = stackDir();
    const exec = new RecordedExec().on("kubectl", ["delete"], RECORDED.objectsDeleted);
    await new KubectlCli(exec).deleteObjects(dir, "mlplat-serving", ["horizontalpodautoscalers.autoscaling/old", "deployments.apps/old"], 120);
    expect(exec.calls[0]!.args.slice(2)).toEqual(["delete", "-n", "mlplat-serving", "--ignore-not-found", "--wait", "--timeout=120s", "horizontalpodautoscalers.autoscaling/old", "deployments.apps/old"]);
    await new KubectlCli(exec).deleteObjects(dir, "mlplat-serving", [], 120);
    expect(exec.calls).toHaveLength(1);
    exec.on("kubectl", ["delete"], { code: 1, stdout: "", stderr: "error: timed out waiting for the condition on deployments/old\n" });
    const err = await failure(new KubectlCli(exec).deleteObjects(dir, "mlplat-serving", ["deployments.apps/old"], 120));
    expect(err.code).toBe("MLP_KUBECTL_FAILED");
    expect(err.hint).toBe("objects were still terminating after 120s (finalizers, pods draining). Run deploy again: it lists what is left and deletes it.");
  });

  it("reads recorded Deployments down to desired and available replicas", async () => {
    const exec = new RecordedExec().on("kubectl", ["get", "deployments"], RECORDED.deployments([{ name: "chat", replicas: 2, available: 1 }, { name: "rank", replicas: 1 }]));
    const got = await new KubectlCli(exec).deployments(stackDir(), "mlplat-serving", "app.kubernetes.io/managed-by=mlplat");
    expect(got).toEqual([
      { name: "chat", endpoint: "chat", desired: 2, available: 1 },
      { name: "rank", endpoint: "rank", desired: 1, available: 0 },
    ]);
    expect(exec.calls[0]!.args.slice(2)).toEqual(["get", "deployments", "-n", "mlplat-serving", "-l", "app.kubernetes.io/managed-by=mlplat", "-o", "json"]);
    expect(exec.calls[0]!.quietStdout).toBe(true);
  });

  it("fetches credentials into the stack's kubeconfig, mode 0600, and maps a recorded expired token to MLP_CLUSTER_CREDENTIALS_FAILED", async () => {
    const dir = stackDir();
    const cli = new KubectlCli(new RecordedExec());
    await cli.credentials(dir, { tool: "aws", args: ["eks", "update-kubeconfig", "--name", "c"] });
    expect(statSync(join(dir, "kubeconfig")).mode & 0o777).toBe(0o600);

    const exec = new RecordedExec().on("aws", ["eks", "update-kubeconfig"], RECORDED.credentialsExpired);
    const err = await failure(new KubectlCli(exec).credentials(stackDir(), { tool: "aws", args: ["eks", "update-kubeconfig", "--name", "c"] }));
    expect(err.code).toBe("MLP_CLUSTER_CREDENTIALS_FAILED");
    expect(err.message).toMatch(/^aws could not fetch the cluster credentials for stack mlplat-kubectl-\w+ \(`aws eks update-kubeconfig --name c`\)\.$/);
    expect(err.details).toContain("ExpiredTokenException");
  });

  it("refuses a kubeconfig that is a symbolic link (MLP_KUBECONFIG_LINK) and never writes through it", async () => {
    const dir = stackDir();
    const target = join(stackDir(), "victim");
    writeFileSync(target, "user file\n");
    symlinkSync(target, join(dir, "kubeconfig"));
    const exec = new RecordedExec();
    const err = await failure(new KubectlCli(exec).credentials(dir, { tool: "aws", args: ["eks", "update-kubeconfig"] }));
    expect(err.code).toBe("MLP_KUBECONFIG_LINK");
    expect(err.message).toBe(`${join(dir, "kubeconfig")} is a symbolic link; mlplat writes cluster credentials only to its own file there.`);
    expect(exec.calls).toEqual([]);
    expect(readFileSync(target, "utf8")).toBe("user file\n");
  });
});

const model = (cloud: PlatformModel["cloud"]) =>
  ({ cloud, stackName: "llm-serving-default", gcp: { project: "demo-proj" }, azure: { subscriptionId: "sub-1", resourceGroup: "rg" } }) as unknown as PlatformModel;

describe("cluster credentials, the cloud's way, into the stack's kubeconfig", () => {
  it("builds each cloud's command as an argument array", () => {
    const out = { clusterName: "llm-serving-default", region: "us-east-1", resourceGroup: "llm-rg" };
    expect(credentialsCommands(model("aws"), out, "/s/kubeconfig")).toEqual([
      { tool: "aws", args: ["eks", "update-kubeconfig", "--region", "us-east-1", "--name", "llm-serving-default", "--kubeconfig", "/s/kubeconfig", "--alias", "llm-serving-default"] },
    ]);
    expect(credentialsCommands(model("gcp"), { ...out, region: "us-central1" }, "/s/kubeconfig")).toEqual([
      {
        tool: "gcloud",
        args: ["container", "clusters", "get-credentials", "llm-serving-default", "--location", "us-central1", "--project", "demo-proj", "--dns-endpoint"],
        env: { KUBECONFIG: "/s/kubeconfig" },
      },
    ]);
    expect(credentialsCommands(model("azure"), out, "/s/kubeconfig").map((c) => [c.tool, ...c.args].join(" "))).toEqual([
      "az aks get-credentials --resource-group llm-rg --name llm-serving-default --subscription sub-1 --file /s/kubeconfig --overwrite-existing",
      "kubelogin convert-kubeconfig -l azurecli --kubeconfig /s/kubeconfig",
    ]);
  });

  it("reads the cluster from terraform outputs, and finds none before the cluster exists", () => {
    expect(clusterOutputs({})).toBeUndefined();
    expect(clusterOutputs({ cluster_name: { value: "c" }, region: { value: "eastus" }, resource_group: { value: "rg" } })).toEqual({ clusterName: "c", region: "eastus", resourceGroup: "rg" });
  });
});

const img = (cloud: PlatformImage["cloud"]): PlatformImage =>
  cloud === "aws"
    ? { cloud, repository: "embeddings", tag: "1.8.0", image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-serving-default/embeddings:1.8.0", host: "123456789012.dkr.ecr.us-east-1.amazonaws.com", path: "llm-serving-default/embeddings" }
    : cloud === "gcp"
      ? { cloud, repository: "embeddings", tag: "1.8.0", image: "us-central1-docker.pkg.dev/p/llm-embeddings/embeddings:1.8.0", host: "us-central1-docker.pkg.dev", path: "p/llm-embeddings/embeddings" }
      : { cloud, repository: "embeddings", tag: "1.8.0", image: "llmservingacr.azurecr.io/embeddings:1.8.0", host: "llmservingacr.azurecr.io", path: "embeddings" };

describe("image existence checks per cloud over RECORDED cloud-CLI responses", () => {
  it("AWS: aws ecr describe-images; found, ImageNotFoundException = missing, AccessDenied = MLP_IMAGE_CHECK_FAILED", async () => {
    const dir = stackDir();
    const exec = new RecordedExec(false).on("aws", ["ecr", "describe-images"], RECORDED.ecrImageFound);
    expect(await new CliRegistryImages(exec).exists(dir, img("aws"), "us-east-1")).toBe(true);
    expect(exec.calls[0]).toMatchObject({
      tool: "aws",
      args: ["ecr", "describe-images", "--region", "us-east-1", "--registry-id", "123456789012", "--repository-name", "llm-serving-default/embeddings", "--image-ids", "imageTag=1.8.0", "--output", "json"],
      logFile: join(dir, "images.log"),
    });
    exec.on("aws", ["ecr"], RECORDED.ecrImageMissing);
    expect(await new CliRegistryImages(exec).exists(dir, img("aws"), "us-east-1")).toBe(false);
    exec.on("aws", ["ecr"], RECORDED.ecrAccessDenied);
    const err = await failure(new CliRegistryImages(exec).exists(dir, img("aws"), "us-east-1"));
    expect(err.code).toBe("MLP_IMAGE_CHECK_FAILED");
    expect(err.message).toBe(
      `could not check whether ${img("aws").image} is in its registry (stack ${dir.split("/").pop()}): \`aws ecr describe-images --region us-east-1 --registry-id 123456789012 --repository-name llm-serving-default/embeddings --image-ids imageTag=1.8.0 --output json\` failed (exit 254).`,
    );
    expect(err.details).toContain("AccessDeniedException");
  });

  it("GCP: gcloud artifacts docker images describe; NOT_FOUND = missing", async () => {
    const exec = new RecordedExec(false).on("gcloud", ["artifacts"], RECORDED.gcloudImageMissing);
    expect(await new CliRegistryImages(exec).exists(stackDir(), img("gcp"), "us-central1")).toBe(false);
    expect(exec.calls[0]!.args).toEqual(["artifacts", "docker", "images", "describe", "us-central1-docker.pkg.dev/p/llm-embeddings/embeddings:1.8.0", "--format=json"]);
  });

  it("Azure: az acr manifest show; MANIFEST_UNKNOWN = missing", async () => {
    const exec = new RecordedExec(false).on("az", ["acr", "manifest", "show"], RECORDED.acrManifestMissing);
    expect(await new CliRegistryImages(exec).exists(stackDir(), img("azure"), "eastus")).toBe(false);
    expect(exec.calls[0]!.args).toEqual(["acr", "manifest", "show", "--registry", "llmservingacr", "--name", "embeddings:1.8.0", "--output", "json"]);
  });
});
