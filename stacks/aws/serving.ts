/**
 * The `serving` section on AWS: one `ManagedEndpoint` per `runtime: managed` endpoint, with the
 * endpoint's blueprint name as construct id. `runtime: kubernetes` endpoints are manifests
 * written beside the stack (the Kubernetes issue), not Terraform.
 */
import { Construct } from "constructs";
import { ManagedEndpoint, type ManagedEndpointProps } from "./managed-endpoint.js";

export interface ServingProps {
  readonly endpoints: readonly (ManagedEndpointProps & { readonly name: string })[];
}

export class Serving extends Construct {
  readonly endpoints: Record<string, ManagedEndpoint> = {};

  constructor(scope: Construct, id: string, props: ServingProps) {
    super(scope, id);
    for (const { name, ...endpoint } of props.endpoints) this.endpoints[name] = new ManagedEndpoint(this, name, endpoint);
  }
}
