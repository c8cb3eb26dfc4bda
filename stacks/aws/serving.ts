/**
 * The `serving` section on AWS: one `ManagedEndpoint` per `runtime: managed` endpoint, with the
 * endpoint's blueprint name as construct id. `runtime: kubernetes` endpoints are manifests
 * written beside the stack (the Kubernetes issue); the stack only holds, for those that load a
 * model from a platform bucket, the IRSA role their service account assumes (`WorkloadRole`).
 */
import { Construct } from "constructs";
import { ManagedEndpoint, type ManagedEndpointProps } from "./managed-endpoint.js";
import { WorkloadRole, type WorkloadRoleProps } from "./workload-role.js";

export interface ServingProps {
  readonly endpoints: readonly (ManagedEndpointProps & { readonly name: string })[];
  /** IRSA roles of `runtime: kubernetes` endpoints. @default [] */
  readonly workloadRoles?: readonly (WorkloadRoleProps & { readonly name: string })[];
}

export class Serving extends Construct {
  readonly endpoints: Record<string, ManagedEndpoint> = {};

  constructor(scope: Construct, id: string, props: ServingProps) {
    super(scope, id);
    for (const { name, ...endpoint } of props.endpoints) this.endpoints[name] = new ManagedEndpoint(this, name, endpoint);
    for (const { name, ...role } of props.workloadRoles ?? []) {
      if (this.endpoints[name]) throw new Error(`serving: endpoint '${name}' is both managed and kubernetes`);
      new WorkloadRole(this, name, role);
    }
  }
}
