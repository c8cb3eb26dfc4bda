import { describe, expect, it } from "vitest";
import { formatCidr, formatIp, isPrivateCidr, overlaps, parseCidr, requireCidr } from "../../src/model/cidr.js";
import { MlplatError } from "../../src/util/errors.js";

const c = (s: string) => parseCidr(s)!;

describe("CIDR arithmetic shared by the rules and the targets", () => {
  it("parses, clears host bits, and formats back", () => {
    expect(c("10.40.1.7/16")).toEqual({ base: (10 << 24) + (40 << 16), prefix: 16 });
    expect(formatCidr(c("10.40.1.7/16"))).toBe("10.40.0.0/16");
    expect(parseCidr("10.0.0.256/16")).toBeUndefined();
    expect(parseCidr("10.0.0.0/33")).toBeUndefined();
  });

  it("tells private space and overlaps", () => {
    expect(isPrivateCidr(c("172.20.0.0/16"))).toBe(true);
    expect(isPrivateCidr(c("172.32.0.0/16"))).toBe(false);
    expect(overlaps(c("10.0.0.0/16"), c("10.0.255.0/24"))).toBe(true);
    expect(overlaps(c("10.0.0.0/16"), c("10.1.0.0/16"))).toBe(false);
  });

  it("formats addresses above 2^31 as unsigned", () => {
    expect(formatIp(c("192.168.240.0/20").base + 10)).toBe("192.168.240.10");
  });

  it("throws the target's code for a CIDR that does not parse", () => {
    expect(() => requireCidr("10.0.0/16", "MLP_GCP_CIDR")).toThrow(MlplatError);
    try {
      requireCidr("x", "MLP_GCP_CIDR");
    } catch (e) {
      expect((e as MlplatError).code).toBe("MLP_GCP_CIDR");
    }
  });
});
