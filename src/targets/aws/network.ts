import { formatCidr, requireCidr } from "../../model/cidr.js";
import { MlplatError } from "../../util/errors.js";
import type { ZoneSubnets } from "../../../stacks/aws/network.js";

/**
 * Zone letters per region where they are not simply a, b, c (zones retired or not offered to
 * new accounts). Names are derived, never looked up: no data source may call AWS at plan time.
 */
const ZONE_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "ap-northeast-1": ["a", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "us-west-1": ["a", "c"],
};
const DEFAULT_ZONE_LETTERS = ["a", "b", "c"] as const;

/** Interface endpoints in the private subnets: construct id → service suffix. */
export const INTERFACE_ENDPOINTS: Readonly<Record<string, string>> = {
  "ecr-api": "ecr.api",
  "ecr-dkr": "ecr.dkr",
  sts: "sts",
  logs: "logs",
  "sagemaker-runtime": "sagemaker.runtime",
};

/**
 * Added with `workspaces`: a VpcOnly SageMaker domain needs the SageMaker API besides the runtime
 * and STS above (https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-and-internet-access.html).
 */
export const WORKSPACE_ENDPOINTS: Readonly<Record<string, string>> = {
  "sagemaker-api": "sagemaker.api",
};

/** Zones derived from the region, and a private (/p+2) and public (/p+4) subnet in each. */
export function zoneSubnets(region: string, cidr: string): ZoneSubnets[] {
  const { base, prefix } = requireCidr(cidr, "MLP_AWS_CIDR");
  if (prefix < 16 || prefix > 24) {
    throw new MlplatError("MLP_AWS_CIDR", `network.cidr ${cidr} must be /16 to /24 on AWS, got /${prefix}.`, { hint: "use a /16 for room to grow." });
  }
  if (formatCidr({ base, prefix }) !== cidr) {
    throw new MlplatError("MLP_AWS_CIDR", `network.cidr ${cidr} has host bits set.`, { hint: `use ${formatCidr({ base, prefix })}.` });
  }
  const size = 2 ** (32 - prefix);
  const letters = ZONE_LETTERS[region] ?? DEFAULT_ZONE_LETTERS;
  const quarter = size / 4;
  const sixteenth = size / 16;
  return letters.slice(0, 3).map((letter, i) => ({
    zone: `${region}${letter}`,
    letter,
    // Nodes and pods take VPC addresses (VPC CNI): the private subnets get three quarters.
    privateCidr: formatCidr({ base: base + i * quarter, prefix: prefix + 2 }),
    // NAT gateways and load balancers need few: sixteenths of the last quarter.
    publicCidr: formatCidr({ base: base + 3 * quarter + i * sixteenth, prefix: prefix + 4 }),
  }));
}

export function partitionOf(region: string): { partition: string; dnsSuffix: string } {
  if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" };
  if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com" };
  return { partition: "aws", dnsSuffix: "amazonaws.com" };
}
