import { Testing } from "cdktf";
import { MlplatStack } from "../../stacks/common/mlplat-stack.js";
import { Template } from "../helpers/template.js";

/** Synthesizes one construct (or several) in a bare MlplatStack and wraps the JSON in a Template. */
export function synthConstruct(build: (stack: MlplatStack) => void): Template {
  const app = Testing.app();
  const stack = new MlplatStack(app, "test");
  build(stack);
  return Template.fromJson(Testing.synth(stack));
}

export const ACCOUNT = { partition: "aws", accountId: "123456789012", region: "us-east-1", dnsSuffix: "amazonaws.com" } as const;

/** The parsed JSON policy of a resource attribute. */
export function policyOf(resource: Record<string, any>, attribute = "policy"): { Statement: any[] } {
  return JSON.parse(resource[attribute]);
}
