import { CloudRunV2Service, type CloudRunV2ServiceConfig } from "@cdktf/provider-google/lib/cloud-run-v2-service/index.js";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { TerraformIterator, TerraformVariable, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * A managed endpoint on Cloud Run (v2 API): internal-only ingress (reachable from the VPC,
 * never from the internet), authenticated invocations, a dedicated service account that can
 * only write logs and metrics and read its model bucket, CMEK for the revision's image and
 * data, scaling between `minInstances` (0 scales to zero) and `maxInstances`.
 *
 * With an accelerator, Cloud Run attaches exactly one NVIDIA L4 (`node_selector` +
 * `nvidia.com/gpu` limit) and requires instance-based billing (`cpu_idle = false`), the second
 * generation execution environment, and at least 4 vCPU and 16 GiB per instance.
 *
 * With `rollout` (v1.1, canary or linear), the revision gets a pinned name and the traffic is split
 * by revision name (`TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION`) as the input variable
 * `rollout.trafficVariable` says: a list of `{ revision, percent }` whose default sends 100 % to
 * the pinned revision, so a plain apply serves the current content as before. Cloud Run keeps
 * earlier revisions, so the previous one is still there to take traffic. `template.revision` and
 * `traffic` are updated in place (neither forces a new service: see test/change-impact).
 *
 * Construct id (the blueprint endpoint name), `serviceName` and the variable name are API.
 */
export interface CloudRunRolloutProps {
  /** `template.revision`: `<service>-<hash of the template content>` (src/targets/gcp/rollout.ts). */
  readonly revisionName: string;
  /** Input variable holding the traffic split, `mlplat_traffic_<endpoint>`. */
  readonly trafficVariable: string;
}

export interface CloudRunEndpointProps {
  readonly project: string;
  readonly region: string;
  readonly serviceName: string;
  readonly serviceAccountId: string;
  readonly image: string;
  /** CMEK key id (same region). */
  readonly kmsKeyId: string;
  readonly labels: Readonly<Record<string, string>>;
  /** CPU limit: `"1"`, `"2"`, `"4"`, `"6"`, `"8"`. */
  readonly cpu: string;
  /** Memory limit, e.g. `"16Gi"`. */
  readonly memory: string;
  /**
   * One GPU: `{ type: "nvidia-l4", count: 1 }`.
   * @default - CPU-only
   */
  readonly accelerator?: { readonly type: string; readonly count: number };
  /**
   * @default 0
   */
  readonly minInstances?: number;
  readonly maxInstances: number;
  /**
   * Requests one instance serves at once.
   * @default - Cloud Run's default (80)
   */
  readonly concurrency?: number;
  /**
   * Bucket name the service reads its model from (granted `roles/storage.objectViewer`).
   * @default - no bucket access
   */
  readonly modelBucketName?: string;
  /**
   * `gs://` URI of the model, passed as `MODEL_URI`.
   * @default - not set
   */
  readonly modelUri?: string;
  /**
   * Container port.
   * @default 8080
   */
  readonly port?: number;
  /**
   * What the service waits for (Cloud Run API, the key grant for the Cloud Run agent).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Pinned revision name and traffic split from a variable (v1.1 gradual rollout).
   * @default - Cloud Run names each revision; all traffic goes to the latest
   */
  readonly rollout?: CloudRunRolloutProps;
}

export class CloudRunEndpoint extends Construct {
  readonly service: CloudRunV2Service;
  readonly serviceAccount: ServiceAccount;
  /** The traffic split's input variable, with `rollout`. */
  readonly trafficVariable?: TerraformVariable;

  constructor(scope: Construct, id: string, props: CloudRunEndpointProps) {
    super(scope, id);
    const minInstances = props.minInstances ?? 0;
    const gpu = props.accelerator;
    if (gpu && gpu.count !== 1) throw new Error(`endpoint ${id}: Cloud Run attaches exactly one GPU, got ${gpu.count}`);
    if (gpu && (Number(props.cpu) < 4 || parseGiB(props.memory) < 16)) {
      throw new Error(`endpoint ${id}: Cloud Run needs at least 4 CPU and 16Gi with a GPU, got ${props.cpu} CPU and ${props.memory}`);
    }
    if (minInstances < 0 || props.maxInstances < Math.max(1, minInstances)) {
      throw new Error(`endpoint ${id}: need 0 <= minInstances <= maxInstances, got ${minInstances}..${props.maxInstances}`);
    }

    this.serviceAccount = new ServiceAccount(this, "identity", {
      project: props.project,
      accountId: props.serviceAccountId,
      displayName: `Cloud Run ${props.serviceName}`,
      description: "mlplat: runtime identity of a managed endpoint",
      dependsOn: props.dependsOn,
    });
    const grants: ITerraformDependable[] = [
      ["log-writer", "roles/logging.logWriter"],
      ["metric-writer", "roles/monitoring.metricWriter"],
    ].map(
      ([grantId, role]) =>
        new ProjectIamMember(this, grantId!, {
          project: props.project,
          role: role!,
          member: this.serviceAccount.member,
        }),
    );
    if (props.modelBucketName) {
      grants.push(
        new StorageBucketIamMember(this, "model-reader", {
          bucket: props.modelBucketName,
          role: "roles/storage.objectViewer",
          member: this.serviceAccount.member,
        }),
      );
    }

    let traffic: CloudRunV2ServiceConfig["traffic"];
    if (props.rollout) {
      this.trafficVariable = new TerraformVariable(this, "traffic", {
        type: "list(object({ revision = string, percent = number }))",
        default: [{ revision: props.rollout.revisionName, percent: 100 }],
        nullable: false,
        description: "mlplat traffic split of this endpoint (revision names and percents, summing to 100); mlplat deploy and mlplat rollback set it",
      });
      this.trafficVariable.overrideLogicalId(props.rollout.trafficVariable);
      const split = TerraformIterator.fromList(this.trafficVariable.listValue);
      traffic = split.dynamic({ type: "TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION", revision: split.getString("revision"), percent: split.getNumber("percent") });
    }

    this.service = new CloudRunV2Service(this, "Resource", {
      project: props.project,
      location: props.region,
      name: props.serviceName,
      ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
      // Stateless: mlplat destroy must be able to remove it (the provider defaults this to true).
      deletionProtection: false,
      labels: { ...props.labels },
      traffic,
      template: {
        revision: props.rollout?.revisionName,
        serviceAccount: this.serviceAccount.email,
        encryptionKey: props.kmsKeyId,
        executionEnvironment: "EXECUTION_ENVIRONMENT_GEN2",
        labels: { ...props.labels },
        maxInstanceRequestConcurrency: props.concurrency,
        scaling: { minInstanceCount: minInstances, maxInstanceCount: props.maxInstances },
        nodeSelector: gpu ? { accelerator: gpu.type } : undefined,
        // Zonal redundancy for GPU instances needs its own quota, which new projects lack, and
        // costs more per GPU-second; the blueprint has no switch for it yet, so best effort.
        gpuZonalRedundancyDisabled: gpu ? true : undefined,
        containers: [
          {
            image: props.image,
            ports: { containerPort: props.port ?? 8080 },
            resources: {
              limits: { cpu: props.cpu, memory: props.memory, ...(gpu ? { "nvidia.com/gpu": String(gpu.count) } : {}) },
              // GPU instances must keep their CPU allocated (instance-based billing).
              cpuIdle: !gpu,
              startupCpuBoost: true,
            },
            env: props.modelUri ? [{ name: "MODEL_URI", value: props.modelUri }] : undefined,
          },
        ],
      },
      dependsOn: [...(props.dependsOn ?? []), ...grants],
    });
  }
}

function parseGiB(memory: string): number {
  const m = /^(\d+(?:\.\d+)?)(Gi|Mi)$/.exec(memory);
  if (!m) return 0;
  return m[2] === "Gi" ? Number(m[1]) : Number(m[1]) / 1024;
}
