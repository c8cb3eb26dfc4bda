import type { StateModel } from "../model/platform.js";
import type { HcpBackendProps } from "../../stacks/common/hcp-backend.js";

/** `spec.state.backend: hcp` as every cloud's stack takes it (stacks/common/hcp-backend.ts). */
export function hcpBackendOf(state: Extract<StateModel, { backend: "hcp" }>): HcpBackendProps {
  return {
    kind: "hcp",
    organization: state.organization,
    hostname: state.hostname,
    workspace: "tags" in state.workspace ? { tags: [...state.workspace.tags], name: state.workspace.name } : { name: state.workspace.name },
    ...(state.project ? { project: state.project } : {}),
  };
}
