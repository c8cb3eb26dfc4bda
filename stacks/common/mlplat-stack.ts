import { TerraformElement, TerraformStack } from "cdktf";
import type { Node } from "constructs";

/**
 * Base class of every platform stack. It replaces cdktf's hashed logical ids with readable,
 * stable ones built from the construct path: `storage/datasets/Resource` on an `aws_s3_bucket`
 * becomes `aws_s3_bucket.storage_datasets`. Two things depend on this:
 *  - users read these addresses in `terraform state list` and plan output;
 *  - the data-loss guard maps a planned address back to the blueprint section (first path
 *    segment) and item name (second segment) even for resources already removed from config.
 *
 * Construct ids are therefore API: top-level constructs are named after blueprint sections
 * (`network`, `kms`, `storage`, `registry`, `cluster`, `serving`, `observability`, `budget`),
 * their children after blueprint item names. Ids use hyphens, never underscores, so the
 * address splits back into section and item on `_` (see src/terraform/addresses.ts). Changing an id makes Terraform replace the resource.
 */
export class MlplatStack extends TerraformStack {
  protected override allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(tfElement) ? tfElement.node : tfElement;
    const stack = TerraformElement.isTerraformElement(tfElement) ? tfElement.cdktfStack : this;
    const start = node.scopes.indexOf(stack) + 1;
    const parts = node.scopes
      .slice(start)
      .map((c) => c.node.id)
      // `Resource` marks a construct's main resource: it takes the construct's own address.
      .filter((id, i, all) => !(id === "Resource" && i === all.length - 1 && all.length > 1))
      .map((id) => id.replace(/[^A-Za-z0-9_-]/g, "_"));
    const id = parts.join("_");
    return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
  }

  /**
   * cdktf's prepareStack ensures a backend, then resolves every element once in "preparing" mode
   * for one purpose: to find references to another stack's attributes and add the outputs and
   * remote state they need (tfExpression.js Reference.resolve; nothing else reads `preparing`).
   * An app with this stack alone can have no such reference, and synthesize resolves everything
   * again anyway: the pass was ~half of cdktf's synth time, proportional to the platform (issue
   * 19, node --cpu-prof). With a second stack in the app, cdktf's own pass runs. The goldens and
   * the built CLI's output on every blueprint are unchanged.
   */
  public override prepareStack(): void {
    const root = this.node.root;
    const alone = root.node.findAll().every((c) => c === this || !TerraformStack.isStack(c));
    if (!alone) return super.prepareStack();
    this.ensureBackendExists();
  }
}
