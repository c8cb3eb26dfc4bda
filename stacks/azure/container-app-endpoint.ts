import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { ContainerApp } from "@cdktf/provider-azurerm/lib/container-app/index.js";

/**
 * One managed serving endpoint on Azure: a Container App on the environment's workload profile
 * (a serverless GPU profile for GPU endpoints: the GPU comes with the profile, one per replica),
 * scaling from `minReplicas` (0 allowed) to `maxReplicas` on HTTP concurrency, pulling its image
 * from the platform registry with the serving identity, reachable over HTTPS inside the VNet only.
 *
 * The construct id (the blueprint endpoint name) is API: `serving/<endpoint>`.
 */
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
}

export class ContainerAppEndpoint extends Construct {
  readonly app: ContainerApp;

  constructor(scope: Construct, id: string, props: ContainerAppEndpointProps) {
    super(scope, id);
    if (props.minReplicas > props.maxReplicas) {
      throw new Error(`endpoint ${props.endpoint}: min ${props.minReplicas} is greater than max ${props.maxReplicas}; set min <= max`);
    }
    const env = [{ name: "AZURE_CLIENT_ID", value: props.identityClientId }];
    if (props.model) {
      env.push({ name: "MODEL_URI", value: `${props.storageBlobEndpoint}${props.model.container}/${props.model.path}` });
    }
    this.app = new ContainerApp(this, "Resource", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      containerAppEnvironmentId: props.environmentId,
      workloadProfileName: props.workloadProfileName,
      revisionMode: "Single",
      identity: { type: "UserAssigned", identityIds: [props.identityId] },
      registry: props.fromRegistry ? [{ server: props.registryLoginServer, identity: props.identityId }] : undefined,
      ingress: {
        // The environment is internal: "external" here means reachable from the VNet, not
        // only from other apps of the environment. Nothing is exposed to the internet.
        externalEnabled: true,
        targetPort: props.targetPort ?? 8080,
        transport: "auto",
        allowInsecureConnections: false,
        trafficWeight: [{ latestRevision: true, percentage: 100 }],
      },
      template: {
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
