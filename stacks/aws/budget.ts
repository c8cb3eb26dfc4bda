/**
 * The `budget` section: a monthly AWS Budgets cost budget with one notification per
 * `alertAtPercent` threshold (actual spend) plus a forecast notification at 100%, e-mailed to
 * the budget's addresses.
 *
 * Construct ids are API: the budget is `Resource` (`aws_budgets_budget.budget`).
 */
import { Construct } from "constructs";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget/index.js";

export interface BudgetProps {
  readonly budgetName: string;
  readonly monthlyUsd: number;
  readonly alertAtPercent: readonly number[];
  readonly emails: readonly string[];
  /**
   * Cost allocation tag filter `user:<key>$<value>`, scoping the budget to the platform. The tag
   * must be activated as a cost allocation tag in the billing console. @default - the whole account
   */
  readonly costTagFilter?: string;
}

export class Budget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: BudgetProps) {
    super(scope, id);
    if (props.emails.length === 0) throw new Error(`budget ${props.budgetName}: needs at least one e-mail`);
    if (props.emails.length > 10) throw new Error(`budget ${props.budgetName}: AWS Budgets allows 10 e-mails per notification, got ${props.emails.length}`);
    const emails = [...props.emails];
    const notification = (threshold: number, type: "ACTUAL" | "FORECASTED") => ({
      comparisonOperator: "GREATER_THAN",
      threshold,
      thresholdType: "PERCENTAGE",
      notificationType: type,
      subscriberEmailAddresses: emails,
    });
    this.budget = new BudgetsBudget(this, "Resource", {
      name: props.budgetName,
      budgetType: "COST",
      limitAmount: props.monthlyUsd.toFixed(2),
      limitUnit: "USD",
      timeUnit: "MONTHLY",
      costFilter: props.costTagFilter ? [{ name: "TagKeyValue", values: [props.costTagFilter] }] : undefined,
      notification: [
        ...[...new Set(props.alertAtPercent)].sort((a, b) => a - b).map((p) => notification(p, "ACTUAL")),
        notification(100, "FORECASTED"),
      ],
    });
  }
}
