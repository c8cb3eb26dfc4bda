import { diag } from "../diagnostics.js";
import type { Rule } from "./rule.js";

/** The cloud each bucket-based backend stores state in; `local` and `hcp` work with every cloud. */
const BACKEND_CLOUD = { s3: "aws", gcs: "gcp", azurerm: "azure" } as const;
const OWN_BACKEND = { aws: "s3", gcp: "gcs", azure: "azurerm" } as const;

/**
 * A bucket backend of another cloud is refused here, at validate: the stacks can only configure
 * their own cloud's (the credentials they run with are that cloud's), and a GCP or Azure stack
 * used to fall back to local state without a word — a team porting a blueprint from AWS would
 * have kept its state on one laptop while believing it was in S3.
 */
export const stateBackendCloud: Rule = ({ bp }) => {
  const { cloud, state } = bp.spec;
  if (state.backend === "local" || state.backend === "hcp") return [];
  const owner = BACKEND_CLOUD[state.backend];
  if (owner === cloud) return [];
  return [
    diag({
      code: "MLP_STATE_BACKEND_CLOUD",
      message: `spec.state.backend ${state.backend} keeps state in ${owner}; this blueprint deploys to ${cloud}.`,
      path: ["spec", "state", "backend"],
      found: state.backend,
      allowed: `${OWN_BACKEND[cloud]}, hcp, local`,
      hint: `use \`backend: ${OWN_BACKEND[cloud]}\` (a ${cloud} bucket for state), \`backend: hcp\` (HCP Terraform, any cloud), or \`backend: local\`; an environment overlay can set spec.state per environment.`,
    }),
  ];
};
