import { MlplatError, type TerraformError } from "../util/errors.js";

/**
 * A plan that must destroy a resource with `lifecycle.prevent_destroy` (`protect: true`) fails
 * inside terraform ("Instance cannot be destroyed"). For mlplat that is the data-loss refusal,
 * not a terraform failure: exit 1, each protected resource named with what forces it out, and
 * nothing applied (a failed plan writes no plan file and leaves the state as it was).
 *
 * Terraform's plan stream says which resources and why (`planned_change.reason`: the values of
 * internal/command/views/json/change.go), not which attribute forces a replacement; the
 * reason is translated below.
 */
export function protectedReplacementRefusal(stack: string, err: TerraformError): MlplatError {
  const addresses = new Set<string>();
  const reasons = new Map<string, { action?: string; reason?: string }>();
  for (const m of err.uiMessages) {
    const msg = m as { type?: string; diagnostic?: { summary?: string; detail?: string; address?: string }; change?: { resource?: { addr?: string }; action?: string; reason?: string } };
    if (msg.type === "diagnostic" && msg.diagnostic?.summary === "Instance cannot be destroyed") {
      const addr = msg.diagnostic.address ?? /Resource (\S+) has lifecycle\.prevent_destroy set/.exec(msg.diagnostic.detail ?? "")?.[1];
      if (addr) addresses.add(addr);
    }
    if (msg.type === "planned_change" && msg.change?.resource?.addr) {
      reasons.set(msg.change.resource.addr, { action: msg.change.action, reason: msg.change.reason });
    }
  }
  // Without -json (never from mlplat's runner, but a wrapper may print text): the address is in the detail.
  for (const m of `${err.details ?? ""}`.matchAll(/Resource (\S+) has lifecycle\.prevent_destroy set/g)) addresses.add(m[1]!);

  const lines = [...addresses].sort().map((a) => `  - ${a} in ${stack}: ${describe(reasons.get(a))}`);
  const n = addresses.size;
  return new MlplatError(
    "MLP_DATA_LOSS",
    `Plan refused: terraform would have to destroy ${n === 0 ? "a protected resource" : n === 1 ? "1 protected resource" : `${n} protected resources`} (protect: true) in ${stack}. Nothing was applied; the state is unchanged.`,
    {
      details: lines.length > 0 ? lines.join("\n") : err.details,
      hint:
        "a protected bucket or key is replaced when a setting that cannot change in place changed (its name, region, encryption key…). " +
        "Revert that change in the blueprint, or set `protect: false` on the resource first if losing its data is intended.",
    },
  );
}

function describe(c: { action?: string; reason?: string } | undefined): string {
  if (!c) return "the plan destroys it";
  const what = c.action === "replace" ? "replace" : c.action === "delete" ? "destroy" : (c.action ?? "destroy");
  switch (c.reason) {
    case "cannot_update":
      return `${what}, forced by a change to a setting that cannot be updated in place`;
    case "tainted":
      return `${what}: it is tainted (an earlier apply failed while creating it)`;
    case "requested":
      return `${what}, requested with -replace`;
    case "replace_triggered_by":
      return `${what}, triggered by replace_triggered_by`;
    case "delete_because_no_resource_config":
      return `${what}: it was removed from the configuration`;
    case undefined:
      return what;
    default:
      return `${what} (${c.reason.replace(/_/g, " ")})`;
  }
}
