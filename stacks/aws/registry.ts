/**
 * The `registry` section: one `ImageRepository` per `registry.images[]` entry (construct id =
 * the image's blueprint name) and, with `models: true`, the SageMaker model package group as
 * this construct's main resource (`aws_sagemaker_model_package_group.registry`), which no image
 * name can collide with.
 */
import { Construct } from "constructs";
import { SagemakerModelPackageGroup } from "@cdktf/provider-aws/lib/sagemaker-model-package-group/index.js";
import { ImageRepository, type ImageRepositoryProps } from "./image-repository.js";

export type ImageRepositorySpec = Omit<ImageRepositoryProps, "kmsKeyArn"> & { readonly name: string };

export interface RegistryProps {
  readonly kmsKeyArn: string;
  readonly images: readonly ImageRepositorySpec[];
  /** SageMaker model package group name; no model registry when absent. @default - none */
  readonly modelPackageGroupName?: string;
}

export class Registry extends Construct {
  readonly repositories: Record<string, ImageRepository> = {};
  readonly modelPackageGroup?: SagemakerModelPackageGroup;

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id);
    for (const { name, ...spec } of props.images) {
      this.repositories[name] = new ImageRepository(this, name, { ...spec, kmsKeyArn: props.kmsKeyArn });
    }
    if (props.modelPackageGroupName) {
      this.modelPackageGroup = new SagemakerModelPackageGroup(this, "Resource", {
        modelPackageGroupName: props.modelPackageGroupName,
        modelPackageGroupDescription: "mlplat model registry",
      });
    }
  }
}
