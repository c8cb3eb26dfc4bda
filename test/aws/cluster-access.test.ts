import { describe, expect, it } from "vitest";
import { Testing } from "cdktf";
import type { PlatformModel } from "../../src/model/platform.js";
import { awsTarget } from "../../src/targets/aws/index.js";
import { AwsPlatformStack } from "../../stacks/aws/platform-stack.js";
import { Template } from "../helpers/template.js";
import { OFFLINE, specExampleModel } from "./fixtures.js";

function synth(model: PlatformModel): Template {
  const app = Testing.app();
  return Template.fromJson(Testing.synth(new AwsPlatformStack(app, model.stackName, awsTarget.resolve(model, OFFLINE))));
}
const RULE = "aws_vpc_security_group_ingress_rule";
const withNetwork = (network: PlatformModel["network"]) => specExampleModel({ network });

describe("the access path to a private EKS API", () => {
  it("opens 443 on the cluster security group to each admin range, private ranges included", () => {
    const t = synth(withNetwork({ cidr: "10.40.0.0/16", privateCluster: true, adminCidrs: ["10.99.0.0/16", "192.168.10.0/24"] }));
    const rules = Object.values(t.resources(RULE));
    expect(rules).toHaveLength(2);
    for (const r of rules) {
      expect(r).toMatchObject({ ip_protocol: "tcp", from_port: 443, to_port: 443 });
      expect(r.security_group_id).toMatch(/^\$\{aws_eks_cluster\.cluster\.vpc_config\[0\]\.cluster_security_group_id\}$/);
    }
    expect(rules.map((r) => r.cidr_ipv4).sort()).toEqual(["10.99.0.0/16", "192.168.10.0/24"]);
    // The endpoint stays private-only.
    const [cluster] = Object.values(t.resources("aws_eks_cluster"));
    expect(cluster!.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
  });

  it("keeps each rule's address when another range is added (no churn on upgrade)", () => {
    const one = synth(withNetwork({ cidr: "10.40.0.0/16", privateCluster: true, adminCidrs: ["10.99.0.0/16"] }));
    const two = synth(withNetwork({ cidr: "10.40.0.0/16", privateCluster: true, adminCidrs: ["172.16.0.0/12", "10.99.0.0/16"] }));
    const [addr] = Object.keys(one.resources(RULE));
    expect(Object.keys(two.resources(RULE))).toContain(addr);
  });

  it("adds no rule without adminCidrs, and none for a public endpoint (publicAccessCidrs does that)", () => {
    expect(synth(withNetwork({ cidr: "10.40.0.0/16", privateCluster: true, adminCidrs: [] })).resources(RULE)).toEqual({});
    const pub = synth(withNetwork({ cidr: "10.40.0.0/16", privateCluster: false, adminCidrs: ["203.0.113.0/24"] }));
    expect(pub.resources(RULE)).toEqual({});
    const [cluster] = Object.values(pub.resources("aws_eks_cluster"));
    expect(cluster!.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] });
  });

  it("reserves the construct id from node pool names", () => {
    const m = specExampleModel();
    const bad = { ...m, cluster: { ...m.cluster!, nodePools: [{ ...m.cluster!.nodePools[0]!, name: "api-access" }] } } as PlatformModel;
    expect(() => awsTarget.resolve(bad, OFFLINE)).toThrow(/reserved on AWS/);
  });
});
