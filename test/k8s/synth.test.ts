import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesizeBlueprint } from "../../src/synth/synthesize.js";
import type { Cloud } from "../../src/model/platform.js";
import { writeBlueprint, type FixtureOptions } from "./fixtures.js";
import { documents, findDoc, type Obj } from "./kube.js";

/**
 * The manifests through the real pipeline, cross-checked against what the same synth put in
 * cdk.tf.json: the names and tags the add-ons and workloads rely on must be the ones Terraform
 * creates.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function synth(cloud: Cloud, opts: FixtureOptions = {}) {
  const { dir, file } = writeBlueprint(cloud, opts);
  dirs.push(dir);
  const out = join(dir, "cdktf.out");
  const result = await synthesizeBlueprint(file, { outDir: out, offline: true });
  const stackDir = result.stacks[0]!.dir;
  const tf = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, Obj>> };
  const read = (rel: string) => documents(readFileSync(join(stackDir, rel), "utf8"));
  return { stackDir, tf, read, out };
}

function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe("synth on AWS", () => {
  let s: Awaited<ReturnType<typeof synth>>;
  beforeAll(async () => {
    s = await synth("aws");
  });

  it("writes the manifests under stacks/<stack>/k8s/", () => {
    expect(s.stackDir).toBe(join(s.out, "stacks", "kube-default"));
    expect(listFiles(join(s.stackDir, "k8s")).sort()).toEqual([
      "kustomization.yaml",
      "llm.yaml",
      "namespace.yaml",
      "platform/cluster-autoscaler.yaml",
      "platform/nvidia-device-plugin.yaml",
      "ranker.yaml",
    ]);
    expect(readdirSync(join(s.out, "..")).filter((n) => n.includes(".tmp-"))).toEqual([]);
  });

  it("gives the autoscaler the IAM role the stack creates, trusted for its service account", () => {
    const sa = findDoc(s.read("k8s/platform/cluster-autoscaler.yaml"), "ServiceAccount");
    const roleArn: string = sa.metadata.annotations["eks.amazonaws.com/role-arn"];
    const role = s.tf.resource["aws_iam_role"]!["cluster_cluster-autoscaler-role"]!;
    expect(roleArn).toBe(`arn:aws:iam::123456789012:role/${role.name}`);
    // The trust policy holds Terraform references (the OIDC issuer): read it as text.
    expect(role.assume_role_policy).toContain(`"system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}"`);
  });

  it("discovers exactly the tags the stack puts on every node group's Auto Scaling group", () => {
    const deployment = findDoc(s.read("k8s/platform/cluster-autoscaler.yaml"), "Deployment");
    const flag: string = deployment.spec.template.spec.containers[0].command.find((c: string) => c.startsWith("--node-group-auto-discovery="));
    const wanted = flag.replace("--node-group-auto-discovery=asg:tag=", "").split(",");
    const tags = Object.values(s.tf.resource["aws_autoscaling_group_tag"]!);
    const groups = Object.keys(s.tf.resource["aws_eks_node_group"]!);
    expect(groups.sort()).toEqual(["cluster_cpu", "cluster_gpu-spot", "cluster_system"]);
    for (const group of groups) {
      const own = tags.filter((t) => String(t.autoscaling_group_name).includes(`aws_eks_node_group.${group}.`)).map((t) => t.tag.key);
      for (const key of wanted) expect(own, `${group} tagged ${key}`).toContain(key);
    }
    const cluster = Object.values(s.tf.resource["aws_eks_cluster"]!)[0]!;
    expect(wanted).toEqual(["k8s.io/cluster-autoscaler/enabled", `k8s.io/cluster-autoscaler/${cluster.name}`]);
  });

  it("schedules the GPU endpoint with the node group's labels and tolerates every taint the node group has", () => {
    const pod = findDoc(s.read("k8s/llm.yaml"), "Deployment").spec.template.spec;
    const group = s.tf.resource["aws_eks_node_group"]!["cluster_gpu-spot"]!;
    expect(group.labels).toMatchObject(pod.nodeSelector);
    const effects: Record<string, string> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };
    expect(group.taint.length).toBeGreaterThan(0);
    for (const t of group.taint as Obj[]) {
      const tolerated = pod.tolerations.some(
        (x: Obj) => x.key === t.key && x.effect === effects[t.effect] && (x.operator === "Exists" || x.value === t.value),
      );
      expect(tolerated, `taint ${t.key}=${t.value}:${t.effect}`).toBe(true);
    }
  });

  it("annotates the endpoint's service account with the workload role the stack creates", () => {
    const sa = findDoc(s.read("k8s/llm.yaml"), "ServiceAccount");
    const role = s.tf.resource["aws_iam_role"]!["serving_llm"]!;
    expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(`arn:aws:iam::123456789012:role/${role.name}`);
    expect(role.assume_role_policy).toContain(`system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`);
  });

  it("points MODEL_URI at the bucket the stack creates", () => {
    const env: Obj[] = findDoc(s.read("k8s/llm.yaml"), "Deployment").spec.template.spec.containers[0].env;
    const buckets = Object.values(s.tf.resource["aws_s3_bucket"]!).map((b) => b.bucket);
    const uri = env.find((x) => x.name === "MODEL_URI")!.value as string;
    expect(buckets).toContain(/^s3:\/\/([^/]+)\//.exec(uri)![1]);
  });

  it("pulls the image from the ECR repository the stack creates", () => {
    const image: string = findDoc(s.read("k8s/llm.yaml"), "Deployment").spec.template.spec.containers[0].image;
    const repo = Object.values(s.tf.resource["aws_ecr_repository"]!)[0]!;
    expect(image).toBe(`123456789012.dkr.ecr.us-east-1.amazonaws.com/${repo.name}:1.0.0`);
  });
});

describe("synth on Azure", () => {
  it("tolerates every taint of the AKS node pool, the spot taint included, and installs the device plugin next to the driver", async () => {
    const s = await synth("azure");
    const pod = findDoc(s.read("k8s/llm.yaml"), "Deployment").spec.template.spec;
    const pools = Object.values(s.tf.resource["azurerm_kubernetes_cluster_node_pool"]!);
    const pool = pools.find((p) => p.node_labels?.["mlplat.io/pool"] === "gpu-spot")!;
    expect(pool.priority).toBe("Spot");
    expect(pool.gpu_driver).toBe("Install");
    expect(pool.node_labels).toMatchObject(pod.nodeSelector);
    expect(pool.node_taints).toContain("kubernetes.azure.com/scalesetpriority=spot:NoSchedule");
    for (const taint of pool.node_taints as string[]) {
      const [kv, effect] = taint.split(":");
      const [key, value] = kv!.split("=");
      const tolerated = pod.tolerations.some((x: Obj) => x.key === key && x.effect === effect && (x.operator === "Exists" || x.value === value));
      expect(tolerated, `taint ${taint}`).toBe(true);
    }
    const ds = findDoc(s.read("k8s/platform/nvidia-device-plugin.yaml"), "DaemonSet");
    expect(ds.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values).toEqual(["gpu-spot"]);
    expect(existsSync(join(s.stackDir, "k8s/platform/cluster-autoscaler.yaml"))).toBe(false);
  });
});

describe("synth on GCP", () => {
  it("writes the endpoints and no add-ons, with the pool label GKE puts on the node pool", async () => {
    const s = await synth("gcp");
    expect(listFiles(join(s.stackDir, "k8s")).sort()).toEqual(["kustomization.yaml", "llm.yaml", "namespace.yaml", "ranker.yaml"]);
    const pod = findDoc(s.read("k8s/llm.yaml"), "Deployment").spec.template.spec;
    const pools = Object.values(s.tf.resource["google_container_node_pool"]!);
    const pool = pools.find((p) => p.node_config?.labels?.["mlplat.io/pool"] === "gpu-spot");
    expect(pool, JSON.stringify(pools.map((p) => p.node_config?.labels))).toBeDefined();
    expect(pool!.node_config.labels).toMatchObject(pod.nodeSelector);
  });
});

describe("synth without a cluster", () => {
  it("writes no k8s folder", async () => {
    const s = await synth("aws", { noCluster: true });
    expect(existsSync(join(s.stackDir, "k8s"))).toBe(false);
    expect(existsSync(join(s.stackDir, "cdk.tf.json"))).toBe(true);
  });
});
