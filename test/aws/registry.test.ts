import { describe, expect, it } from "vitest";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy/index.js";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository/index.js";
import { SagemakerModelPackageGroup } from "@cdktf/provider-aws/lib/sagemaker-model-package-group/index.js";
import { ImageRepository } from "../../stacks/aws/image-repository.js";
import { Registry } from "../../stacks/aws/registry.js";
import { synthConstruct } from "./synth.js";

describe("ImageRepository", () => {
  it("creates an immutable, scanned, KMS-encrypted repository with a keep-last lifecycle", () => {
    const t = synthConstruct((s) => void new ImageRepository(s, "serving", { repositoryName: "fraud-default/serving", kmsKeyArn: "arn:key", keepLast: 50 }));
    expect(t.resource(EcrRepository.tfResourceType, "serving")).toMatchObject({
      name: "fraud-default/serving",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: "arn:key" }],
      force_delete: false,
    });
    const policy = JSON.parse(t.resource(EcrLifecyclePolicy.tfResourceType, "serving_lifecycle").policy);
    expect(policy.rules[0]).toMatchObject({ selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 50 }, action: { type: "expire" } });
  });

  it("honours opt-outs and creates no lifecycle policy without keepLast", () => {
    const t = synthConstruct((s) => void new ImageRepository(s, "dev", { repositoryName: "x/dev", kmsKeyArn: "k", immutableTags: false, scanOnPush: false }));
    expect(t.resource(EcrRepository.tfResourceType, "dev")).toMatchObject({ image_tag_mutability: "MUTABLE", image_scanning_configuration: { scan_on_push: false } });
    t.resourceCountIs(EcrLifecyclePolicy.tfResourceType, 0);
  });

  it("throws on a keepLast below 1", () => {
    expect(() => synthConstruct((s) => void new ImageRepository(s, "r", { repositoryName: "r", kmsKeyArn: "k", keepLast: 0 }))).toThrow(/positive integer/);
  });
});

describe("Registry", () => {
  it("names repositories after the images and makes the model package group the section's own resource", () => {
    const t = synthConstruct(
      (s) =>
        void new Registry(s, "registry", {
          kmsKeyArn: "k",
          images: [{ name: "serving", repositoryName: "fraud-default/serving" }],
          modelPackageGroupName: "fraud-default-models",
        }),
    );
    expect(Object.keys(t.resources(EcrRepository.tfResourceType))).toEqual(["registry_serving"]);
    expect(t.resource(SagemakerModelPackageGroup.tfResourceType, "registry")).toMatchObject({ model_package_group_name: "fraud-default-models" });
  });

  it("creates no model registry unless asked", () => {
    const t = synthConstruct((s) => void new Registry(s, "registry", { kmsKeyArn: "k", images: [] }));
    t.resourceCountIs(SagemakerModelPackageGroup.tfResourceType, 0);
  });
});
