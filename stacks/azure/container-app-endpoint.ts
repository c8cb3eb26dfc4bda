import { Op, TerraformIterator, TerraformVariable, Token, conditional, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ContainerApp, type ContainerAppIngress } from "@cdktf/provider-azurerm/lib/container-app/index.js";

/**
 * One managed serving endpoint on Azure: a Container App on the environment's workload profile
 * (a serverless GPU profile for GPU endpoints: the GPU comes with the profile, one per replica),
 * scaling from `minReplicas` (0 allowed) to `maxReplicas` on HTTP concurrency, pulling its image
 * from the platform registry with the serving identity, reachable over HTTPS inside the VNet only.
 *
 * With `rollout` (v1.1, canary or linear) the app runs in `Multiple` revision mode, each revision
 * gets a pinned suffix (`template.revision_suffix`, revision `<app>--<suffix>`), and the traffic is
 * split as the input variable `rollout.trafficVariable` says: a list of `{ revision, percent }`
 * whose default sends 100 % to the pinned revision. The entry of the pinned (new) revision becomes
 * `latest_revision = true` (the provider requires the latest revision in the traffic of a new app:
 * https://github.com/hashicorp/terraform-provider-azurerm/issues/27221), the others
 * `revision_suffix` (the provider sends `<app>--<suffix>` as the revision name). `revision_mode`,
 * `revision_suffix` and `traffic_weight` are updated in place (the resource's ForceNew attributes
 * are only name, resource group and environment: test/change-impact/force-new.ts).
 *
 * The construct id (the blueprint endpoint name) and the variable name are API: `serving/<endpoint>`.
 */
export interface ContainerAppRolloutProps {
  /** `template.revision_suffix`: `r` + a hash of the template content (src/targets/azure/rollout.ts). */
  readonly revisionSuffix: string;
  /** Input variable holding the traffic split, `mlplat_traffic_<endpoint>`. */
  readonly trafficVariable: string;
}

export interface ContainerAppEndpointProps {
  /** Blueprint endpoint name. */
  readonly endpoint: string;
  readonly resourceGroupName: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Container App name (2-32 lowercase alphanumerics and hyphens). */
  readonly name: string;
  readonly environmentId: string;
  readonly workloadProfileName: string;
  readonly image: string;
  /** Pull the image from the platform registry with the identity. */
  readonly fromRegistry: boolean;
  readonly registryLoginServer: string;
  readonly identityId: string;
  readonly identityClientId: string;
  readonly cpu: number;
  readonly memoryGiB: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /**
   * Concurrent requests per replica that trigger a scale-out.
   * @default - Container Apps' default HTTP rule (10)
   */
  readonly targetConcurrency?: number;
  /**
   * Model artifact, passed to the container as MODEL_URI.
   * @default - no MODEL_URI
   */
  readonly model?: { readonly container: string; readonly path: string };
  readonly storageBlobEndpoint: string;
  /** @default 8080 */
  readonly targetPort?: number;
  /** Role assignments the app needs before its first revision pulls the image. */
  readonly dependsOnAccess: readonly ITerraformDependable[];
  /**
   * Multiple revision mode, a pinned revision suffix and the traffic split from a variable (v1.1 gradual rollout).
   * @default - single revision mode: all traffic to the latest revision
   */
  readonly rollout?: ContainerAppRolloutProps;
}

export class ContainerAppEndpoint extends Construct {
  readonly app: ContainerApp;
  /** The traffic split's input variable, with `rollout`. */
  readonly trafficVariable?: TerraformVariable;

  constructor(scope: Construct, id: string, props: ContainerAppEndpointProps) {
    super(scope, id);
    if (props.minReplicas > props.maxReplicas) {
      throw new Error(`endpoint ${props.endpoint}: min ${props.minReplicas} is greater than max ${props.maxReplicas}; set min <= max`);
    }
    const env = [{ name: "AZURE_CLIENT_ID", value: props.identityClientId }];
    if (props.model) {
      env.push({ name: "MODEL_URI", value: `${props.storageBlobEndpoint}${props.model.container}/${props.model.path}` });
    }
    let trafficWeight: ContainerAppIngress["trafficWeight"] = [{ latestRevision: true, percentage: 100 }];
    if (props.rollout) {
      const suffix = props.rollout.revisionSuffix;
      this.trafficVariable = new TerraformVariable(this, "traffic", {
        type: "list(object({ revision = string, percent = number }))",
        default: [{ revision: suffix, percent: 100 }],
        nullable: false,
        description: "mlplat traffic split of this endpoint (revision suffixes and percents, summing to 100); mlplat deploy and mlplat rollback set it",
      });
      this.trafficVariable.overrideLogicalId(props.rollout.trafficVariable);
      const split = TerraformIterator.fromList(this.trafficVariable.listValue);
      const isNew = Op.eq(split.getString("revision"), suffix);
      trafficWeight = split.dynamic({
        latest_revision: isNew,
        revision_suffix: conditional(isNew, Token.nullValue(), split.getString("revision")),
        percentage: split.getNumber("percent"),
      });
    }
    this.app = new ContainerApp(this, "Resource", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      containerAppEnvironmentId: props.environmentId,
      workloadProfileName: props.workloadProfileName,
      revisionMode: props.rollout ? "Multiple" : "Single",
      identity: { type: "UserAssigned", identityIds: [props.identityId] },
      registry: props.fromRegistry ? [{ server: props.registryLoginServer, identity: props.identityId }] : undefined,
      ingress: {
        // The environment is internal: "external" here means reachable from the VNet, not
        // only from other apps of the environment. Nothing is exposed to the internet.
        externalEnabled: true,
        targetPort: props.targetPort ?? 8080,
        transport: "auto",
        allowInsecureConnections: false,
        trafficWeight,
      },
      template: {
        revisionSuffix: props.rollout?.revisionSuffix,
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        container: [
          {
            name: props.endpoint,
            image: props.image,
            cpu: props.cpu,
            memory: `${props.memoryGiB}Gi`,
            env,
          },
        ],
        httpScaleRule:
          props.targetConcurrency !== undefined
            ? [{ name: "concurrency", concurrentRequests: String(props.targetConcurrency) }]
            : undefined,
      },
      tags: props.tags,
      dependsOn: [...props.dependsOnAccess],
    });
  }

  /** `https://<app>.<environment default domain>`. */
  get url(): string {
    return `https://${this.app.ingress.fqdn}`;
  }
}
