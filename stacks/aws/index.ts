/**
 * Entry point of the AWS stack module, loaded lazily by `awsTarget.loadStack()` so provider
 * classes are imported only when synthesizing for AWS.
 */
import type { Construct } from "constructs";
import { AwsPlatformStack, type AwsPlatformProps } from "./platform-stack.js";

export { AwsPlatformStack };
export type { AwsPlatformProps };

/** A `StackFactory<AwsPlatformProps>`: adds the platform stack named `id` to the app. */
export function addAwsPlatformStack(scope: Construct, id: string, props: AwsPlatformProps): void {
  new AwsPlatformStack(scope, id, props);
}
