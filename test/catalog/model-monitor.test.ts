import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadModelMonitorImages, modelMonitorImagesSchema, modelMonitorImage, modelMonitorRegions } from "../../src/catalog/model-monitor.js";

const supported: string[] = JSON.parse(readFileSync("src/catalog/data/regions.json", "utf8")).regions.aws;

describe("Model Monitor analyzer images (src/catalog/data/model-monitor.json)", () => {
  it("matches its schema and names its AWS documentation source", () => {
    const t = modelMonitorImagesSchema().parse(JSON.parse(readFileSync("src/catalog/data/model-monitor.json", "utf8")));
    expect(t.sources).toContain("https://docs.aws.amazon.com/sagemaker/latest/dg-ecr-paths/sagemaker-algo-docker-registry-paths.html");
  });

  it("builds the region's image URI from its registry account", () => {
    expect(modelMonitorImage("us-east-1")).toBe("156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer:latest");
    expect(modelMonitorImage("eu-west-1")).toBe("468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer:latest");
    expect(modelMonitorImage("eu-south-1")).toBeUndefined();
  });

  it("covers only supported regions, and the gaps are exactly these (validate refuses drift there)", () => {
    const regions = modelMonitorRegions();
    expect(regions.filter((r) => !supported.includes(r))).toEqual([]);
    // Supported regions with no analyzer image in the sources: drift there is MLP_MODEL_MONITOR_REGION.
    // Adding one needs its account from the AWS page above.
    expect(supported.filter((r) => !regions.includes(r))).toEqual([
      "af-south-1", "ap-east-2", "ap-northeast-3", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
      "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "mx-central-1",
    ]);
    expect(Object.keys(loadModelMonitorImages().registries)).toHaveLength(18);
  });
});
