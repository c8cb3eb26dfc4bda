/**
 * The `budget` section: a monthly AWS Budgets cost budget with one notification per
 * `alertAtPercent` threshold (actual spend) plus, while AWS's limit of five notifications per
 * budget leaves room, a forecast notification at 100%, e-mailed to the budget's addresses.
 *
 * Construct ids are API: the budget is `Resource` (`aws_budgets_budget.budget`).
 */
import { Construct } from "constructs";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget/index.js";

/** AWS Budgets: notifications per budget. */
export const MAX_NOTIFICATIONS = 5;
/** AWS Budgets: e-mail subscribers per notification. */
export const MAX_EMAILS = 10;

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
    if (props.emails.length > MAX_EMAILS) {
      throw new Error(`budget ${props.budgetName}: AWS Budgets allows ${MAX_EMAILS} e-mails per notification, got ${props.emails.length}`);
    }
    const thresholds = [...new Set(props.alertAtPercent)].sort((a, b) => a - b);
    if (thresholds.length > MAX_NOTIFICATIONS) {
      throw new Error(`budget ${props.budgetName}: AWS Budgets allows ${MAX_NOTIFICATIONS} notifications per budget, got ${thresholds.length} thresholds`);
    }
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
        ...thresholds.map((p) => notification(p, "ACTUAL")),
        ...(thresholds.length < MAX_NOTIFICATIONS ? [notification(100, "FORECASTED")] : []),
      ],
    });
  }
}
