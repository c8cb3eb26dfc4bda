import type { Cloud, EndpointModel } from "../model/platform.js";

/**
 * Where a managed endpoint's image lives when it is in a registry this platform creates
 * (`image: { repository, tag }`), derived from the stack's `registry_urls` output the way each
 * cloud's target derives the image it deploys (test/engine/image-ref.test.ts holds the two
 * together):
 * - AWS (src/targets/aws/serving.ts): `<registry_urls[repo]>:<tag>`;
 * - GCP (src/targets/gcp/serving.ts): `<registry_urls[repo]>/<repo>:<tag>`, the Artifact
 *   Registry repository being a folder of images;
 * - Azure (src/targets/azure/serving.ts): `<registry_urls[repo]>:<tag>`.
 */
export interface PlatformImage {
  readonly cloud: Cloud;
  /** Blueprint repository name (`spec.registry.images[].name`). */
  readonly repository: string;
  readonly tag: string;
  /** The full reference the endpoint runs: `host/path:tag`. */
  readonly image: string;
  /** Registry host: `<account>.dkr.ecr.<region>.amazonaws.com`, `<region>-docker.pkg.dev`, `<name>.azurecr.io`. */
  readonly host: string;
  /** The path between host and tag (the ECR repository name, the AR path, the ACR repository). */
  readonly path: string;
}

/**
 * Endpoints whose image is in a platform registry: the ones a first deploy cannot create.
 * Managed endpoints fail at creation (SageMaker model, Cloud Run revision, Container App
 * revision); Kubernetes ones would be applied and never start (ImagePullBackOff).
 */
export function platformImageEndpoints(endpoints: readonly EndpointModel[]): EndpointModel[] {
  return endpoints.filter((e) => e.image.kind === "repository");
}

/** The image of `e` from the `registry_urls` output; undefined when the registry is not deployed yet. */
export function platformImage(cloud: Cloud, e: EndpointModel, registryUrls: Readonly<Record<string, unknown>>): PlatformImage | undefined {
  if (e.image.kind !== "repository") return undefined;
  const url = registryUrls[e.image.repository];
  if (typeof url !== "string" || !url.includes("/")) return undefined;
  const base = cloud === "gcp" ? `${url}/${e.image.repository}` : url;
  const slash = base.indexOf("/");
  return { cloud, repository: e.image.repository, tag: e.image.tag, image: `${base}:${e.image.tag}`, host: base.slice(0, slash), path: base.slice(slash + 1) };
}

/** The commands that push a locally built `<repository>:<tag>` to where the endpoint expects it. */
export function pushCommands(img: PlatformImage, region: string): string[] {
  const login =
    img.cloud === "aws"
      ? `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin ${img.host}`
      : img.cloud === "gcp"
        ? `gcloud auth configure-docker ${img.host}`
        : `az acr login --name ${img.host.split(".")[0]}`;
  return [login, `docker tag ${img.repository}:${img.tag} ${img.image}`, `docker push ${img.image}`];
}
