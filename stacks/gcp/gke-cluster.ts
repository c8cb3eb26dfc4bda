import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster/index.js";
import { DataGoogleClientOpenidUserinfo } from "@cdktf/provider-google/lib/data-google-client-openid-userinfo/index.js";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { Fn, Token, conditional, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { GkeNodePool, type GkeNodePoolProps } from "./gke-node-pool.js";

/**
 * A GKE Standard cluster, private and locked down: private nodes, private control-plane
 * endpoint (unless the blueprint opened it), master authorized networks limited to the VPC and
 * the admin CIDRs, Secrets encrypted in etcd with the platform's key, workload identity,
 * Shielded nodes, Dataplane V2 (network policy enforcement), the REGULAR release channel,
 * system and control-plane logs, managed Prometheus, deletion protection, and the default node
 * pool removed in favour of explicit pools running as a dedicated node service account with
 * only `roles/container.defaultNodeServiceAccount` (logs, metrics, metadata).
 *
 * Construct ids are API: the cluster is `Resource`, the node service account `nodes`, pools
 * are named after the blueprint pools (`system` for the system pool), admin grants
 * `admin-<principal>` (or `admin-deployer` without admins).
 */
export type GkePoolSpec = Omit<GkeNodePoolProps, "project" | "clusterId" | "location" | "serviceAccountEmail" | "bootDiskKmsKeyId" | "resourceLabels" | "dependsOn"> & {
  /** Construct id: the blueprint pool name. */
  readonly id: string;
};

export interface GkeClusterProps {
  readonly project: string;
  readonly region: string;
  readonly name: string;
  /** Network and subnet self links / ids. */
  readonly networkId: string;
  readonly subnetId: string;
  readonly podsRangeName: string;
  readonly servicesRangeName: string;
  /** Key for Secrets encryption and node boot disks. */
  readonly kmsKeyId: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Kubernetes minor version floor (`1.33`); the release channel upgrades from there. */
  readonly minMasterVersion: string;
  readonly nodeServiceAccountId: string;
  readonly masterAuthorizedNetworks: readonly { readonly cidr: string; readonly displayName: string }[];
  readonly systemPool: GkePoolSpec;
  readonly nodePools: readonly GkePoolSpec[];
  /**
   * Control plane reachable only on its private IP.
   * @default true
   */
  readonly privateEndpoint?: boolean;
  /**
   * The DNS-based control-plane endpoint accepts traffic from outside the VPC, authorized by IAM
   * (`container.clusters.connect`), not by network: the access path to a private cluster.
   * @default true
   */
  readonly dnsEndpoint?: boolean;
  /**
   * @default "REGULAR"
   */
  readonly releaseChannel?: "RAPID" | "REGULAR" | "STABLE";
  /**
   * IAM members given `roles/container.admin` (cluster-admin through GKE's IAM integration).
   * @default [] - the identity that deploys (read at plan time), bound as `admin-deployer`
   */
  readonly admins?: readonly string[];
  /**
   * `deletion_protection`: terraform refuses to delete the cluster until an apply turns it off
   * (`mlplat destroy` does that with a targeted apply: src/terraform/deletion-protection.ts).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * What the cluster waits for (Container API, the key grants for the GKE and Compute agents).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

export class GkeCluster extends Construct {
  readonly cluster: ContainerCluster;
  readonly nodeServiceAccount: ServiceAccount;
  readonly pools: Readonly<Record<string, GkeNodePool>>;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const privateEndpoint = props.privateEndpoint ?? true;
    const admins = props.admins ?? [];

    this.nodeServiceAccount = new ServiceAccount(this, "nodes", {
      project: props.project,
      accountId: props.nodeServiceAccountId,
      displayName: `GKE nodes of ${props.name}`,
      description: "mlplat: least-privilege identity of the cluster's nodes",
      dependsOn: props.dependsOn,
    });
    const nodeRole = new ProjectIamMember(this, "nodes-default-node-role", {
      project: props.project,
      role: "roles/container.defaultNodeServiceAccount",
      member: this.nodeServiceAccount.member,
    });

    this.cluster = new ContainerCluster(this, "Resource", {
      project: props.project,
      name: props.name,
      location: props.region,
      network: props.networkId,
      subnetwork: props.subnetId,
      networkingMode: "VPC_NATIVE",
      ipAllocationPolicy: {
        clusterSecondaryRangeName: props.podsRangeName,
        servicesSecondaryRangeName: props.servicesRangeName,
        stackType: "IPV4",
      },
      // Node pools are separate resources; the default pool only exists while the cluster is
      // created, but it runs nodes meanwhile: as the least-privilege node identity, CMEK boot disks.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: {
        serviceAccount: this.nodeServiceAccount.email,
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        bootDiskKmsKey: props.kmsKeyId,
        diskType: "pd-balanced",
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        metadata: { "disable-legacy-endpoints": "true" },
      },
      controlPlaneEndpointsConfig: { dnsEndpointConfig: { allowExternalTraffic: props.dnsEndpoint ?? true } },
      minMasterVersion: props.minMasterVersion,
      releaseChannel: { channel: props.releaseChannel ?? "REGULAR" },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: privateEndpoint,
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: props.masterAuthorizedNetworks.map((n) => ({ cidrBlock: n.cidr, displayName: n.displayName })),
        gcpPublicCidrsAccessEnabled: false,
      },
      databaseEncryption: { state: "ENCRYPTED", keyName: props.kmsKeyId },
      workloadIdentityConfig: { workloadPool: `${props.project}.svc.id.goog` },
      enableShieldedNodes: true,
      datapathProvider: "ADVANCED_DATAPATH",
      addonsConfig: {
        // Pods read models straight from GCS buckets through the CSI driver.
        gcsFuseCsiDriverConfig: { enabled: true },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
      },
      loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER"] },
      monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"], managedPrometheus: { enabled: true } },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      deletionProtection: props.deletionProtection ?? true,
      resourceLabels: { ...props.labels },
      dependsOn: [...(props.dependsOn ?? []), nodeRole],
      // node_config only describes the removed default pool, and most of its fields force a new
      // cluster: a cluster created by v0.1 (without it) must not be replaced for it.
      lifecycle: { ignoreChanges: ["node_config"] },
    });

    const pools: Record<string, GkeNodePool> = {};
    for (const spec of [props.systemPool, ...props.nodePools]) {
      const { id: poolId, ...rest } = spec;
      pools[poolId] = new GkeNodePool(this, poolId, {
        ...rest,
        project: props.project,
        clusterId: this.cluster.id,
        location: props.region,
        serviceAccountEmail: this.nodeServiceAccount.email,
        bootDiskKmsKeyId: props.kmsKeyId,
        resourceLabels: props.labels,
        dependsOn: [nodeRole],
      });
    }
    this.pools = pools;

    for (const member of admins) {
      new ProjectIamMember(this, `admin-${member.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-+$/, "")}`, {
        project: props.project,
        role: "roles/container.admin",
        member,
      });
    }
    if (admins.length === 0) {
      // No admins in the blueprint: the identity running terraform stays cluster admin
      // explicitly, rather than through whatever project role let it create the cluster.
      // The provider's default scopes include userinfo.email, so the e-mail is readable for
      // user credentials and service accounts alike; the prefix follows the e-mail's domain.
      const deployer = new DataGoogleClientOpenidUserinfo(this, "deployer", {});
      const kind = conditional(Fn.endswith(deployer.email, ".gserviceaccount.com"), "serviceAccount", "user");
      new ProjectIamMember(this, "admin-deployer", {
        project: props.project,
        role: "roles/container.admin",
        member: `${Token.asString(kind)}:${deployer.email}`,
      });
    }
  }
}
