import { parseAllDocuments } from "yaml";
import { DaemonSet, Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { Namespace, Service, ServiceAccount } from "kubernetes-models/v1";

export type Obj = Record<string, any>;

/** kubernetes-models class per `apiVersion/kind`: the kinds mlplat writes. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "apps/v1/DaemonSet": DaemonSet,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "rbac.authorization.k8s.io/v1/ClusterRole": ClusterRole,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ClusterRoleBinding,
  "rbac.authorization.k8s.io/v1/Role": Role,
  "rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "v1/Namespace": Namespace,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
};

/** Validates one object against the Kubernetes OpenAPI schema of its kind; throws when invalid or of an unexpected kind. */
export function validateObject(obj: Obj): void {
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) throw new Error(`unexpected kind ${obj.apiVersion}/${obj.kind}`);
  new Model(obj).validate();
}

/** The documents of a multi-document YAML file, failing on any YAML error. */
export function documents(text: string): Obj[] {
  return parseAllDocuments(text).map((d) => {
    if (d.errors.length > 0) throw d.errors[0];
    return d.toJS() as Obj;
  });
}

export function findDoc(docs: readonly Obj[], kind: string, name?: string): Obj {
  const doc = docs.find((d) => d.kind === kind && (name === undefined || d.metadata?.name === name));
  if (!doc) throw new Error(`no ${kind}${name ? ` ${name}` : ""} among ${docs.map((d) => d.kind).join(", ")}`);
  return doc;
}
