import { basename, join } from "node:path";
import type { ToolExec, ToolName } from "../kubectl/exec.js";
import { KubectlError, tailDetails } from "../kubectl/failure.js";
import type { PlatformImage } from "./image-ref.js";

/** The log image checks append to, in the stack folder. */
export const IMAGES_LOG_FILE = "images.log";

/** The port the image phase asks: is this image (this tag) in its registry? */
export interface RegistryImages {
  exists(dir: string, img: PlatformImage, region: string): Promise<boolean>;
}

interface Check {
  readonly tool: ToolName;
  readonly args: string[];
  /** stderr of a "the image (or its repository) is not there" answer, as opposed to a failure. */
  readonly notFound: RegExp;
}

/**
 * The cloud's own read-only check, as an argument array:
 * - AWS: `aws ecr describe-images` exits 254 with ImageNotFoundException (or
 *   RepositoryNotFoundException) when the tag is absent
 *   (https://docs.aws.amazon.com/cli/latest/reference/ecr/describe-images.html);
 * - GCP: `gcloud artifacts docker images describe <image>` fails with NOT_FOUND
 *   (https://cloud.google.com/sdk/gcloud/reference/artifacts/docker/images/describe);
 * - Azure: `az acr manifest show` fails with MANIFEST_UNKNOWN / "not found"
 *   (https://learn.microsoft.com/cli/azure/acr/manifest#az-acr-manifest-show).
 */
export function imageCheck(img: PlatformImage, region: string): Check {
  switch (img.cloud) {
    case "aws":
      return {
        tool: "aws",
        args: ["ecr", "describe-images", "--region", region, "--registry-id", img.host.split(".")[0]!, "--repository-name", img.path, "--image-ids", `imageTag=${img.tag}`, "--output", "json"],
        notFound: /ImageNotFoundException|RepositoryNotFoundException/,
      };
    case "gcp":
      return { tool: "gcloud", args: ["artifacts", "docker", "images", "describe", img.image, "--format=json"], notFound: /NOT_FOUND|not found/i };
    case "azure":
      return {
        tool: "az",
        args: ["acr", "manifest", "show", "--registry", img.host.split(".")[0]!, "--name", `${img.path}:${img.tag}`, "--output", "json"],
        notFound: /MANIFEST_UNKNOWN|NAME_UNKNOWN|not found|does not exist/i,
      };
  }
}

/** `RegistryImages` over the cloud CLIs; a failure other than "not found" is MLP_IMAGE_CHECK_FAILED (exit 3). */
export class CliRegistryImages implements RegistryImages {
  constructor(private readonly exec: ToolExec) {}

  async exists(dir: string, img: PlatformImage, region: string): Promise<boolean> {
    const check = imageCheck(img, region);
    const logFile = join(dir, IMAGES_LOG_FILE);
    const r = await this.exec.run({ tool: check.tool, args: check.args, cwd: dir, logFile, quietStdout: true });
    if (r.code === 0 && !r.interrupted) return true;
    if (!r.interrupted && check.notFound.test(r.stderr)) return false;
    throw new KubectlError("MLP_IMAGE_CHECK_FAILED", `could not check whether ${img.image} is in its registry (stack ${basename(dir)}): \`${check.tool} ${check.args.join(" ")}\` ${r.interrupted ? `was interrupted (${r.interrupted})` : `failed (exit ${r.code ?? "by signal"})`}.`, {
      logFile,
      details: tailDetails(r.stderr, logFile),
      hint: `mlplat checks the image before creating the endpoint that runs it. Sign in with an identity that can read the registry (${check.tool}), then deploy again.`,
    });
  }
}
