import { Fn } from "cdktf";
import { Construct } from "constructs";
import { ConsumptionBudgetResourceGroup } from "@cdktf/provider-azurerm/lib/consumption-budget-resource-group/index.js";

/**
 * The `budget` section on Azure: a monthly consumption budget on the platform's resource group
 * with one notification per `alertAtPercent` (actual cost) to the blueprint's e-mails.
 *
 * Azure requires the start date to be the first day of the current month, so it is computed at
 * apply time and then ignored (changing it would replace the budget).
 *
 * Construct id is API: `budget`.
 */
export interface ResourceGroupBudgetProps {
  readonly resourceGroupId: string;
  readonly name: string;
  readonly monthlyUsd: number;
  /** One notification per threshold (percent of the budget). */
  readonly alertAtPercent: readonly number[];
  readonly emails: readonly string[];
}

export class ResourceGroupBudget extends Construct {
  readonly budget: ConsumptionBudgetResourceGroup;

  constructor(scope: Construct, id: string, props: ResourceGroupBudgetProps) {
    super(scope, id);
    if (props.alertAtPercent.length === 0 || props.alertAtPercent.length > 5) {
      throw new Error(`budget: Azure budgets take 1 to 5 notifications, got ${props.alertAtPercent.length}; trim alertAtPercent`);
    }
    this.budget = new ConsumptionBudgetResourceGroup(this, "Resource", {
      name: props.name,
      resourceGroupId: props.resourceGroupId,
      amount: props.monthlyUsd,
      timeGrain: "Monthly",
      timePeriod: { startDate: Fn.formatdate("YYYY-MM-01'T'00:00:00Z", Fn.timestamp()) },
      notification: props.alertAtPercent.map((threshold) => ({
        enabled: true,
        threshold,
        operator: "GreaterThanOrEqualTo",
        thresholdType: "Actual",
        contactEmails: props.emails.length > 0 ? [...props.emails] : undefined,
        // A notification needs a recipient: without e-mails, the resource group's owners.
        contactRoles: props.emails.length > 0 ? undefined : ["Owner"],
      })),
      lifecycle: { ignoreChanges: ["time_period"] },
    });
  }
}
