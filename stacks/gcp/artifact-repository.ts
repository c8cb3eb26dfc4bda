import { ArtifactRegistryRepositoryIamMember } from "@cdktf/provider-google/lib/artifact-registry-repository-iam-member/index.js";
import {
  ArtifactRegistryRepository,
  type ArtifactRegistryRepositoryCleanupPolicies,
} from "@cdktf/provider-google/lib/artifact-registry-repository/index.js";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/**
 * One Artifact Registry docker repository: CMEK, immutable tags, vulnerability scanning
 * inherited from the project (the Container Scanning API), and a cleanup policy keeping the
 * `keepLast` most recent versions. Artifact Registry has no public access unless someone grants
 * `allUsers`; readers are granted one by one with `grantRead`.
 *
 * Construct id (the blueprint repository name) and `repositoryId` are API: changing either
 * replaces the repository and deletes its images.
 */
export interface ArtifactRepositoryProps {
  readonly project: string;
  readonly region: string;
  readonly repositoryId: string;
  /** CMEK key id; it must be in the repository's region. */
  readonly kmsKeyId: string;
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Tags can't be moved or deleted once pushed.
   * @default true
   */
  readonly immutableTags?: boolean;
  /**
   * Scan pushed images (needs containerscanning.googleapis.com, enabled by the project construct).
   * @default true
   */
  readonly scanOnPush?: boolean;
  /**
   * Keep only this many most recent versions per image; older ones are deleted.
   * @default - keep everything
   */
  readonly keepLast?: number;
  /**
   * What the repository waits for: the API and the key grant for the Artifact Registry agent.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class ArtifactRepository extends Construct {
  readonly repository: ArtifactRegistryRepository;
  private readonly props: ArtifactRepositoryProps;

  constructor(scope: Construct, id: string, props: ArtifactRepositoryProps) {
    super(scope, id);
    this.props = props;
    const immutableTags = props.immutableTags ?? true;
    const scanOnPush = props.scanOnPush ?? true;
    if (props.keepLast !== undefined && (!Number.isInteger(props.keepLast) || props.keepLast < 1)) {
      throw new Error(`repository ${id}: keepLast must be a positive integer, got ${props.keepLast}`);
    }
    const cleanupPolicies: ArtifactRegistryRepositoryCleanupPolicies[] | undefined =
      props.keepLast === undefined
        ? undefined
        : [
            // KEEP wins over DELETE: everything is a deletion candidate except the newest N.
            { id: "delete-all-but-recent", action: "DELETE", condition: { tagState: "ANY" } },
            { id: `keep-last-${props.keepLast}`, action: "KEEP", mostRecentVersions: { keepCount: props.keepLast } },
          ];

    this.repository = new ArtifactRegistryRepository(this, "Resource", {
      project: props.project,
      location: props.region,
      repositoryId: props.repositoryId,
      format: "DOCKER",
      mode: "STANDARD_REPOSITORY",
      kmsKeyName: props.kmsKeyId,
      dockerConfig: { immutableTags },
      vulnerabilityScanningConfig: { enablementConfig: scanOnPush ? "INHERITED" : "DISABLED" },
      cleanupPolicyDryRun: false,
      cleanupPolicies,
      labels: { ...props.labels },
      dependsOn: props.dependsOn,
    });
  }

  /** Lets `member` pull images (`roles/artifactregistry.reader` on this repository only). */
  grantRead(id: string, member: string): ArtifactRegistryRepositoryIamMember {
    return new ArtifactRegistryRepositoryIamMember(this, `reader-${id}`, {
      project: this.props.project,
      location: this.props.region,
      repository: this.repository.name,
      role: "roles/artifactregistry.reader",
      member,
    });
  }
}
