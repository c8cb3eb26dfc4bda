import { clusterAccess } from "./access-path.js";
import { azureMlWorkspace } from "./azure-ml-workspace.js";
import { accountBlock, budgetTargets, clusterAdmins, knownRegion, kubernetesVersion, registryCapabilities } from "./cloud.js";
import { endpointReferences, minNotAboveMax, poolCompute, reservedEndpointNames, uniqueNames } from "./cross-references.js";
import { kubernetesLabelsAndTaints } from "./kubernetes.js";
import { adminAccess, networkCidr } from "./network.js";
import { monitoringRules } from "./monitoring.js";
import { notebookLimits } from "./notebook-limits.js";
import { logRetention } from "./observability.js";
import { pipelines } from "./pipelines.js";
import { rolloutRules } from "./rollout.js";
import type { Rule } from "./rule.js";
import { stateBackendCloud } from "./state.js";
import { lifecycle } from "./storage.js";
import { tracking } from "./tracking.js";
import { workspaces } from "./workspaces.js";

/**
 * The semantic rules run after the schema accepts the merged document. GPU, instance and
 * endpoint-runtime checks run while the model is built (src/model/build.ts), because they are
 * the same catalog lookups that resolve the instance types.
 */
export const RULES: readonly Rule[] = [
  accountBlock,
  knownRegion,
  stateBackendCloud,
  networkCidr,
  adminAccess,
  clusterAccess,
  uniqueNames,
  lifecycle,
  registryCapabilities,
  poolCompute,
  kubernetesLabelsAndTaints,
  minNotAboveMax,
  clusterAdmins,
  kubernetesVersion,
  endpointReferences,
  reservedEndpointNames,
  logRetention,
  budgetTargets,
  workspaces,
  notebookLimits,
  tracking,
  azureMlWorkspace,
  pipelines,
  rolloutRules,
  monitoringRules,
];

export type { Rule, RuleContext } from "./rule.js";

