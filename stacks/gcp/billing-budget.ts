import { BillingBudget } from "@cdktf/provider-google/lib/billing-budget/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { EmailChannels } from "./email-channels.js";

/**
 * A monthly Cloud Billing budget on the platform's project, with threshold rules on actual
 * spend, e-mailed through Cloud Monitoring channels (and to the billing account's admins).
 *
 * Budgets live on the billing account, not the project: the deploying identity needs
 * `roles/billing.costsManager` (or admin) on it. The amount is in USD: a billing account in
 * another currency rejects it at apply time, which the provider cannot check before.
 *
 * Construct ids are API: the budget is `Resource`, channels live under `email`.
 */
export interface GcpBillingBudgetProps {
  readonly project: string;
  /** Project number, for the budget filter (`projects/<number>`). */
  readonly projectNumber: string;
  readonly billingAccount: string;
  readonly displayName: string;
  readonly monthlyUsd: number;
  /** Fractions of the amount: 0.5, 0.8, 1.0. */
  readonly thresholds: readonly number[];
  readonly emails: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /**
   * What the budget waits for (the Billing Budgets and Monitoring APIs).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class GcpBillingBudget extends Construct {
  readonly budget: BillingBudget;

  constructor(scope: Construct, id: string, props: GcpBillingBudgetProps) {
    super(scope, id);
    if (props.emails.length > 5) {
      throw new Error(`a Cloud Billing budget notifies at most 5 channels, got ${props.emails.length} e-mails`);
    }
    if (props.thresholds.length === 0) throw new Error("a budget needs at least one threshold");
    const channels = new EmailChannels(this, "email", {
      project: props.project,
      emails: props.emails,
      labels: props.labels,
      displayNamePrefix: `${props.displayName} budget`,
      dependsOn: props.dependsOn,
    }).channels;

    this.budget = new BillingBudget(this, "Resource", {
      billingAccount: props.billingAccount,
      displayName: props.displayName,
      amount: { specifiedAmount: { currencyCode: "USD", units: String(Math.ceil(props.monthlyUsd)) } },
      budgetFilter: {
        projects: [`projects/${props.projectNumber}`],
        calendarPeriod: "MONTH",
        creditTypesTreatment: "INCLUDE_ALL_CREDITS",
      },
      thresholdRules: props.thresholds.map((t) => ({ thresholdPercent: t, spendBasis: "CURRENT_SPEND" })),
      allUpdatesRule: {
        monitoringNotificationChannels: channels.map((c) => c.id),
        disableDefaultIamRecipients: false,
      },
      dependsOn: props.dependsOn,
    });
  }
}
