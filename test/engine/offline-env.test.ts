import { describe, expect, it } from "vitest";
import { offlineEnv } from "../../src/engine/default-deps.js";

describe("offlineEnv", () => {
  it("gives terraform stand-in AWS credentials and switches every real source off", () => {
    const env = offlineEnv({
      PATH: "/usr/bin",
      TF_CLI_CONFIG_FILE: "/my/tfrc",
      AWS_PROFILE: "prod-admin",
      AWS_ACCESS_KEY_ID: "AKIAREALKEY",
      AWS_SECRET_ACCESS_KEY: "real",
      AWS_SESSION_TOKEN: "real-token",
      AWS_ROLE_ARN: "arn:aws:iam::1:role/x",
    });
    expect(env).toEqual({
      PATH: "/usr/bin",
      TF_CLI_CONFIG_FILE: "/my/tfrc",
      AWS_ACCESS_KEY_ID: "AKIAMLPLATOFFLINE000",
      AWS_SECRET_ACCESS_KEY: "mlplat-offline-plan-no-real-credentials",
      AWS_EC2_METADATA_DISABLED: "true",
    });
  });
});
