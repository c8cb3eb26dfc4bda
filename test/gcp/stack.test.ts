import { ArtifactRegistryRepositoryIamMember } from "@cdktf/provider-google/lib/artifact-registry-repository-iam-member/index.js";
import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository/index.js";
import { BillingBudget } from "@cdktf/provider-google/lib/billing-budget/index.js";
import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service/index.js";
import { ComputeNetwork } from "@cdktf/provider-google/lib/compute-network/index.js";
import { ComputeRouterNat } from "@cdktf/provider-google/lib/compute-router-nat/index.js";
import { ComputeRouter } from "@cdktf/provider-google/lib/compute-router/index.js";
import { ComputeSubnetwork } from "@cdktf/provider-google/lib/compute-subnetwork/index.js";
import { ContainerCluster } from "@cdktf/provider-google/lib/container-cluster/index.js";
import { ContainerNodePool } from "@cdktf/provider-google/lib/container-node-pool/index.js";
import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project/index.js";
import { DataGoogleStorageProjectServiceAccount } from "@cdktf/provider-google/lib/data-google-storage-project-service-account/index.js";
import { KmsCryptoKeyIamMember } from "@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js";
import { KmsCryptoKey } from "@cdktf/provider-google/lib/kms-crypto-key/index.js";
import { KmsKeyRing } from "@cdktf/provider-google/lib/kms-key-ring/index.js";
import { LoggingProjectBucketConfig } from "@cdktf/provider-google/lib/logging-project-bucket-config/index.js";
import { MonitoringAlertPolicy } from "@cdktf/provider-google/lib/monitoring-alert-policy/index.js";
import { MonitoringNotificationChannel } from "@cdktf/provider-google/lib/monitoring-notification-channel/index.js";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member/index.js";
import { ProjectService } from "@cdktf/provider-google/lib/project-service/index.js";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member/index.js";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account/index.js";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member/index.js";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket/index.js";
import { describe, expect, it } from "vitest";
import { gcpTarget } from "../../src/targets/gcp/index.js";
import { ProjectServiceIdentity } from "../../stacks/gcp/project-service-identity.js";
import { ctx, gcpModel, l4Pool, synthModel, synthProps, t4Pool } from "./fixtures.js";

const NUMBER = "${data.google_project.project_info.number}";
const LABELS = {
  "cost-center": "4411",
  "managed-by": "mlplat",
  "mlplat-env": "default",
  "mlplat-platform": "fraud",
  owner: "risk-ml_example_com",
};

describe("the GCP platform stack for the spec's example", () => {
  const t = synthModel(gcpModel());
  const props = gcpTarget.resolve(gcpModel(), ctx);
  const datasets = props.buckets.find((b) => b.id === "datasets")!.name;
  const models = props.buckets.find((b) => b.id === "models")!.name;

  it("produces exactly these GCP resource types", () => {
    expect(t.resourceTypes()).toEqual(
      [
        ArtifactRegistryRepository,
        ArtifactRegistryRepositoryIamMember,
        BillingBudget,
        CloudRunV2Service,
        ComputeNetwork,
        ComputeRouter,
        ComputeRouterNat,
        ComputeSubnetwork,
        ContainerCluster,
        ContainerNodePool,
        KmsCryptoKey,
        KmsCryptoKeyIamMember,
        KmsKeyRing,
        LoggingProjectBucketConfig,
        MonitoringAlertPolicy,
        MonitoringNotificationChannel,
        ProjectIamMember,
        ProjectService,
        ProjectServiceIdentity,
        ServiceAccount,
        StorageBucket,
        StorageBucketIamMember,
      ]
        .map((c) => c.tfResourceType)
        .sort(),
    );
    expect(Object.keys(t.json.data).sort()).toEqual([DataGoogleProject.tfResourceType, DataGoogleStorageProjectServiceAccount.tfResourceType]);
  });

  it("configures the google provider with the project, region and fitted default labels", () => {
    expect(t.providers().google).toEqual([
      { project: "fraud-ml-prod", region: "us-central1", default_labels: LABELS, user_project_override: true, billing_project: "fraud-ml-prod" },
    ]);
    expect(t.json.terraform.required_providers.google.version).toBe("6.50.0");
  });

  it("enables every API with disable_on_destroy false", () => {
    t.resourceCountIs(ProjectService.tfResourceType, 14);
    t.allResourcesHaveProperties(ProjectService.tfResourceType, { project: "fraud-ml-prod", disable_on_destroy: false, disable_dependent_services: false });
    t.hasResourceWithProperties(ProjectService.tfResourceType, { service: "aiplatform.googleapis.com" });
    t.hasResourceWithProperties(ProjectService.tfResourceType, { service: "billingbudgets.googleapis.com" });
    expect(t.resource(ProjectService.tfResourceType, "project_container").service).toBe("container.googleapis.com");
  });

  it("builds a custom-mode VPC with a private, flow-logged node subnet and its GKE secondary ranges", () => {
    expect(t.resource(ComputeNetwork.tfResourceType, "network")).toMatchObject({
      name: "fraud-default",
      auto_create_subnetworks: false,
      routing_mode: "REGIONAL",
      depends_on: ["google_project_service.project_compute"],
    });
    expect(t.resource(ComputeSubnetwork.tfResourceType, "network_nodes")).toMatchObject({
      name: "fraud-default-nodes",
      region: "us-central1",
      network: "${google_compute_network.network.id}",
      ip_cidr_range: "10.40.0.0/18",
      private_ip_google_access: true,
      stack_type: "IPV4_ONLY",
      secondary_ip_range: [
        { range_name: "pods", ip_cidr_range: "10.40.128.0/17" },
        { range_name: "services", ip_cidr_range: "10.40.64.0/20" },
      ],
      log_config: { aggregation_interval: "INTERVAL_5_SEC", flow_sampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
    });
  });

  it("routes outbound traffic through Cloud Router and NAT for the platform subnet only", () => {
    expect(t.resource(ComputeRouter.tfResourceType, "network_router")).toMatchObject({ name: "fraud-default-router", network: "${google_compute_network.network.id}" });
    expect(t.resource(ComputeRouterNat.tfResourceType, "network_nat")).toMatchObject({
      name: "fraud-default-nat",
      router: "${google_compute_router.network_router.name}",
      nat_ip_allocate_option: "AUTO_ONLY",
      source_subnetwork_ip_ranges_to_nat: "LIST_OF_SUBNETWORKS",
      subnetwork: [{ name: "${google_compute_subnetwork.network_nodes.id}", source_ip_ranges_to_nat: ["ALL_IP_RANGES"] }],
      log_config: { enable: true, filter: "ERRORS_ONLY" },
    });
  });

  it("creates a protected key ring and rotated, protected keys, which GCP never deletes", () => {
    expect(t.resource(KmsKeyRing.tfResourceType, "kms")).toMatchObject({ name: "fraud-default", location: "us-central1", lifecycle: { prevent_destroy: true } });
    t.resourceCountIs(KmsCryptoKey.tfResourceType, 4);
    t.allResourcesHaveProperties(KmsCryptoKey.tfResourceType, {
      key_ring: "${google_kms_key_ring.kms.id}",
      purpose: "ENCRYPT_DECRYPT",
      rotation_period: "7776000s",
      destroy_scheduled_duration: "2592000s",
      version_template: { algorithm: "GOOGLE_SYMMETRIC_ENCRYPTION", protection_level: "SOFTWARE" },
      labels: LABELS,
      lifecycle: { prevent_destroy: true },
    });
  });

  it("lets each service agent encrypt with its own key only", () => {
    const grants = Object.values(t.resources(KmsCryptoKeyIamMember.tfResourceType)).map((g) => [g.crypto_key_id, g.member]);
    expect(grants.sort()).toEqual(
      [
        ["${google_kms_crypto_key.kms_storage.id}", "serviceAccount:${data.google_storage_project_service_account.kms_gcs-agent.email_address}"],
        ["${google_kms_crypto_key.kms_registry.id}", `serviceAccount:service-${NUMBER}@gcp-sa-artifactregistry.iam.gserviceaccount.com`],
        ["${google_kms_crypto_key.kms_cluster.id}", `serviceAccount:service-${NUMBER}@container-engine-robot.iam.gserviceaccount.com`],
        ["${google_kms_crypto_key.kms_cluster.id}", `serviceAccount:service-${NUMBER}@compute-system.iam.gserviceaccount.com`],
        ["${google_kms_crypto_key.kms_serving.id}", `serviceAccount:service-${NUMBER}@serverless-robot-prod.iam.gserviceaccount.com`],
      ].sort(),
    );
    t.allResourcesHaveProperties(KmsCryptoKeyIamMember.tfResourceType, { role: "roles/cloudkms.cryptoKeyEncrypterDecrypter" });
    expect(t.dataSources(DataGoogleProject.tfResourceType).project_info).toEqual({ project_id: "fraud-ml-prod" });
  });

  it("makes every bucket CMEK-encrypted, uniform, public-access-prevented, versioned and soft-deleting, never force_destroy", () => {
    t.resourceCountIs(StorageBucket.tfResourceType, 2);
    t.allResourcesHaveProperties(StorageBucket.tfResourceType, {
      location: "US-CENTRAL1",
      storage_class: "STANDARD",
      encryption: { default_kms_key_name: "${google_kms_crypto_key.kms_storage.id}" },
      uniform_bucket_level_access: true,
      public_access_prevention: "enforced",
      versioning: { enabled: true },
      soft_delete_policy: { retention_duration_seconds: 604800 },
      force_destroy: false,
      lifecycle: { prevent_destroy: true },
      labels: LABELS,
      depends_on: ["google_kms_crypto_key_iam_member.kms_storage-gcs-agent", "google_project_service.project_storage"],
    });
    expect(t.resource(StorageBucket.tfResourceType, "storage_datasets").name).toBe(datasets);
  });

  it("tiers and expires objects from tiering and expireAfterDays", () => {
    expect(t.resource(StorageBucket.tfResourceType, "storage_datasets").lifecycle_rule).toEqual([
      { action: { type: "SetStorageClass", storage_class: "NEARLINE" }, condition: { age: 30, matches_storage_class: ["STANDARD"] } },
      { action: { type: "SetStorageClass", storage_class: "ARCHIVE" }, condition: { age: 180, matches_storage_class: ["STANDARD", "NEARLINE"] } },
      { action: { type: "Delete" }, condition: { age: 730, with_state: "ANY" } },
      // versioned: noncurrent versions go 30 days after they stop being current
      { action: { type: "Delete" }, condition: { days_since_noncurrent_time: 30, with_state: "ARCHIVED" } },
    ]);
    expect(t.resource(StorageBucket.tfResourceType, "storage_models").lifecycle_rule).toEqual([
      { action: { type: "Delete" }, condition: { days_since_noncurrent_time: 30, with_state: "ARCHIVED" } },
    ]);
  });

  it("leaves unprotected buckets destroyable, still without force_destroy, and their key protected", () => {
    const u = synthModel(gcpModel({ buckets: [{ name: "scratch", versioning: false, protect: false }], endpoints: [], registry: { images: [], models: false } }));
    const b = u.resource(StorageBucket.tfResourceType, "storage_scratch");
    expect(b.lifecycle).toBeUndefined();
    expect(b.force_destroy).toBe(false);
    expect(b.versioning).toEqual({ enabled: false });
    // nothing noncurrent to expire without versioning
    expect(b.lifecycle_rule).toBeUndefined();
    expect(u.resource(KmsCryptoKey.tfResourceType, "kms_storage").lifecycle).toEqual({ prevent_destroy: true });
  });

  it("creates a CMEK docker repository with immutable tags, scanning and a keep-last cleanup policy", () => {
    expect(t.resource(ArtifactRegistryRepository.tfResourceType, "registry_serving")).toMatchObject({
      repository_id: "fraud-default-serving",
      location: "us-central1",
      format: "DOCKER",
      mode: "STANDARD_REPOSITORY",
      kms_key_name: "${google_kms_crypto_key.kms_registry.id}",
      docker_config: { immutable_tags: true },
      vulnerability_scanning_config: { enablement_config: "INHERITED" },
      cleanup_policy_dry_run: false,
      cleanup_policies: [
        { id: "delete-all-but-recent", action: "DELETE", condition: { tag_state: "ANY" } },
        { id: "keep-last-50", action: "KEEP", most_recent_versions: { keep_count: 50 } },
      ],
      labels: LABELS,
      depends_on: [
        "google_kms_crypto_key_iam_member.kms_registry-artifact-registry-agent",
        "google_project_service.project_artifactregistry",
        "google_project_service.project_containerscanning",
      ],
    });
  });

  it("lets only the GKE nodes read the repository", () => {
    expect(t.resources(ArtifactRegistryRepositoryIamMember.tfResourceType)).toEqual({
      "registry_serving_reader-gke-nodes": {
        project: "fraud-ml-prod",
        location: "us-central1",
        repository: "${google_artifact_registry_repository.registry_serving.name}",
        role: "roles/artifactregistry.reader",
        member: "${google_service_account.cluster_nodes.member}",
      },
    });
  });

  it("gives the Vertex AI service agent read access to the models bucket and names the registry location", () => {
    expect(t.resource(StorageBucketIamMember.tfResourceType, "registry_models_reader-models")).toEqual({
      bucket: models,
      role: "roles/storage.objectViewer",
      member: `serviceAccount:service-${NUMBER}@gcp-sa-aiplatform.iam.gserviceaccount.com`,
      // The Vertex AI agent is created just in time: its identity is made before the grant.
      depends_on: ["google_project_service.project_aiplatform", "google_project_service_identity.project_agents_aiplatform"],
    });
    expect(t.resource(ProjectServiceIdentity.tfResourceType, "project_agents_aiplatform")).toEqual({
      project: "fraud-ml-prod",
      service: "aiplatform.googleapis.com",
      provider: "google-beta",
      depends_on: ["google_project_service.project_aiplatform"],
    });
    expect(t.outputs().model_registry.value).toBe("projects/fraud-ml-prod/locations/us-central1/models");
    expect(t.outputs().model_registry.description).toContain("CI uploads versions");
  });

  it("creates a private, encrypted, workload-identity GKE cluster without its default pool", () => {
    expect(t.resource(ContainerCluster.tfResourceType, "cluster")).toMatchObject({
      name: "fraud-default",
      location: "us-central1",
      network: "${google_compute_network.network.id}",
      subnetwork: "${google_compute_subnetwork.network_nodes.id}",
      networking_mode: "VPC_NATIVE",
      ip_allocation_policy: { cluster_secondary_range_name: "pods", services_secondary_range_name: "services" },
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true },
      master_authorized_networks_config: {
        cidr_blocks: [{ cidr_block: "10.40.0.0/16", display_name: "vpc" }],
        gcp_public_cidrs_access_enabled: false,
      },
      database_encryption: { state: "ENCRYPTED", key_name: "${google_kms_crypto_key.kms_cluster.id}" },
      workload_identity_config: { workload_pool: "fraud-ml-prod.svc.id.goog" },
      enable_shielded_nodes: true,
      release_channel: { channel: "REGULAR" },
      min_master_version: "1.35",
      logging_config: { enable_components: ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER"] },
      monitoring_config: { enable_components: ["SYSTEM_COMPONENTS"], managed_prometheus: { enabled: true } },
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
      deletion_protection: true,
      remove_default_node_pool: true,
      initial_node_count: 1,
      datapath_provider: "ADVANCED_DATAPATH",
      resource_labels: LABELS,
      // The DNS-based endpoint is the access path to the private control plane.
      control_plane_endpoints_config: { dns_endpoint_config: { allow_external_traffic: true } },
      // The temporary default pool runs as the node identity, with CMEK boot disks; node_config
      // is ignored afterwards (it would replace a cluster created without it).
      node_config: {
        service_account: "${google_service_account.cluster_nodes.email}",
        boot_disk_kms_key: "${google_kms_crypto_key.kms_cluster.id}",
        oauth_scopes: ["https://www.googleapis.com/auth/cloud-platform"],
        workload_metadata_config: { mode: "GKE_METADATA" },
        shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
      },
      lifecycle: { ignore_changes: ["node_config"] },
      depends_on: [
        "google_kms_crypto_key_iam_member.kms_cluster-gke-agent",
        "google_kms_crypto_key_iam_member.kms_cluster-compute-agent",
        "google_project_service.project_container",
        "google_project_service.project_iam",
        "google_project_iam_member.cluster_nodes-default-node-role",
      ],
    });
  });

  it("runs nodes as a dedicated service account with only the default node role", () => {
    expect(t.resource(ServiceAccount.tfResourceType, "cluster_nodes")).toMatchObject({ account_id: "fraud-default-gke-nodes", project: "fraud-ml-prod" });
    const roles = Object.values(t.resources(ProjectIamMember.tfResourceType)).filter((m) => m.member === "${google_service_account.cluster_nodes.member}");
    expect(roles.map((r) => r.role)).toEqual(["roles/container.defaultNodeServiceAccount"]);
  });

  it("binds cluster admins to roles/container.admin with their principal prefixes", () => {
    const admins = t.findResources(ProjectIamMember.tfResourceType, { role: "roles/container.admin" });
    expect(Object.entries(admins).map(([id, r]) => [id, r.member])).toEqual([
      ["cluster_admin-group-ml-admins-example-com", "group:ml-admins@example.com"],
      ["cluster_admin-user-alice-example-com", "user:alice@example.com"],
    ]);
    expect(t.dataSources("google_client_openid_userinfo")).toEqual({});
  });

  it("hardens every node pool: node service account, GKE metadata, secure boot, CMEK boot disks, auto repair and upgrade", () => {
    t.resourceCountIs(ContainerNodePool.tfResourceType, 3);
    t.allResourcesHaveProperties(ContainerNodePool.tfResourceType, {
      cluster: "${google_container_cluster.cluster.id}",
      location: "us-central1",
      management: { auto_repair: true, auto_upgrade: true },
      node_config: {
        service_account: "${google_service_account.cluster_nodes.email}",
        oauth_scopes: ["https://www.googleapis.com/auth/cloud-platform"],
        workload_metadata_config: { mode: "GKE_METADATA" },
        shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
        boot_disk_kms_key: "${google_kms_crypto_key.kms_cluster.id}",
        image_type: "COS_CONTAINERD",
        metadata: { "disable-legacy-endpoints": "true" },
        resource_labels: LABELS,
      },
      depends_on: ["google_project_iam_member.cluster_nodes-default-node-role"],
    });
  });

  it("gives the system pool no accelerator, no taint and at least one node", () => {
    const system = t.resource(ContainerNodePool.tfResourceType, "cluster_system");
    expect(system).toMatchObject({
      name: "fraud-default-system",
      initial_node_count: 1,
      autoscaling: { total_min_node_count: 1, total_max_node_count: 3, location_policy: "BALANCED" },
      upgrade_settings: { strategy: "SURGE", max_surge: 1, max_unavailable: 0 },
      node_config: { machine_type: "e2-standard-4", spot: false, disk_size_gb: 100, disk_type: "pd-balanced", labels: { "mlplat.io/pool": "system" }, taint: [] },
    });
    expect(system.node_config.guest_accelerator).toBeUndefined();
  });

  it("attaches the A100s to the spot training pool with managed drivers, its taints and labels", () => {
    expect(t.resource(ContainerNodePool.tfResourceType, "cluster_train")).toMatchObject({
      name: "fraud-default-train",
      initial_node_count: 0,
      autoscaling: { total_min_node_count: 0, total_max_node_count: 4, location_policy: "ANY" },
      upgrade_settings: { strategy: "SURGE", max_surge: 0, max_unavailable: 1 },
      node_config: {
        machine_type: "a2-ultragpu-8g",
        spot: true,
        disk_size_gb: 500,
        disk_type: "pd-balanced",
        guest_accelerator: [{ type: "nvidia-a100-80gb", count: 8, gpu_driver_installation_config: { gpu_driver_version: "LATEST" } }],
        labels: { workload: "training", "mlplat.io/pool": "train", "mlplat.io/capacity": "spot" },
        taint: [
          { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" },
          { key: "team", value: "risk", effect: "NO_SCHEDULE" },
        ],
      },
    });
  });

  it("declares the L4 built into g2 machines as a guest accelerator too", () => {
    expect(t.resource(ContainerNodePool.tfResourceType, "cluster_l4").node_config).toMatchObject({
      machine_type: "g2-standard-8",
      spot: false,
      disk_size_gb: 200,
      guest_accelerator: [{ type: "nvidia-l4", count: 1, gpu_driver_installation_config: { gpu_driver_version: "LATEST" } }],
    });
  });

  it("serves the managed endpoint on Cloud Run with one L4, internal ingress, CMEK and its own identity", () => {
    expect(t.resource(CloudRunV2Service.tfResourceType, "serving_scorer")).toMatchObject({
      name: "fraud-default-scorer",
      location: "us-central1",
      ingress: "INGRESS_TRAFFIC_INTERNAL_ONLY",
      deletion_protection: false,
      labels: LABELS,
      template: {
        service_account: "${google_service_account.serving_scorer_identity.email}",
        encryption_key: "${google_kms_crypto_key.kms_serving.id}",
        execution_environment: "EXECUTION_ENVIRONMENT_GEN2",
        node_selector: { accelerator: "nvidia-l4" },
        gpu_zonal_redundancy_disabled: true,
        scaling: { min_instance_count: 0, max_instance_count: 8 },
        max_instance_request_concurrency: 8,
        labels: LABELS,
        containers: [
          {
            image: "us-central1-docker.pkg.dev/fraud-ml-prod/fraud-default-serving/serving:1.4.2",
            ports: { container_port: 8080 },
            resources: { limits: { cpu: "4", memory: "16Gi", "nvidia.com/gpu": "1" }, cpu_idle: false, startup_cpu_boost: true },
            env: [{ name: "MODEL_URI", value: `gs://${models}/scorer/1.4.2/` }],
          },
        ],
      },
    });
    expect(t.resource(CloudRunV2Service.tfResourceType, "serving_scorer").depends_on).toEqual([
      "google_kms_crypto_key_iam_member.kms_serving-cloud-run-agent",
      "google_project_service.project_run",
      "google_project_service.project_iam",
      "google_artifact_registry_repository.registry_serving",
      "google_project_iam_member.serving_scorer_log-writer",
      "google_project_iam_member.serving_scorer_metric-writer",
      "google_storage_bucket_iam_member.serving_scorer_model-reader",
    ]);
  });

  it("grants the endpoint identity logs, metrics and its model bucket, nothing more", () => {
    const member = "${google_service_account.serving_scorer_identity.member}";
    expect(t.resource(ServiceAccount.tfResourceType, "serving_scorer_identity").account_id).toBe("fraud-default-run-scorer");
    const projectRoles = Object.values(t.resources(ProjectIamMember.tfResourceType)).filter((m) => m.member === member).map((m) => m.role);
    expect(projectRoles).toEqual(["roles/logging.logWriter", "roles/monitoring.metricWriter"]);
    expect(t.resource(StorageBucketIamMember.tfResourceType, "serving_scorer_model-reader")).toEqual({ bucket: models, role: "roles/storage.objectViewer", member });
  });

  it("keeps CPU-only Cloud Run services request-billed with no GPU settings", () => {
    const cpu = synthModel(gcpModel({ endpoints: [{ ...gcpModel().endpoints[0]!, gpu: undefined, cpu: 1, memoryGiB: 2 }] }));
    const tpl = cpu.resource(CloudRunV2Service.tfResourceType, "serving_scorer").template;
    expect(tpl.node_selector).toBeUndefined();
    expect(tpl.gpu_zonal_redundancy_disabled).toBeUndefined();
    expect(tpl.containers[0].resources).toEqual({ limits: { cpu: "1", memory: "2Gi" }, cpu_idle: true, startup_cpu_boost: true });
  });

  it("sets the _Default log bucket retention", () => {
    expect(t.resource(LoggingProjectBucketConfig.tfResourceType, "observability")).toMatchObject({
      project: "fraud-ml-prod",
      location: "global",
      bucket_id: "_Default",
      retention_days: 30,
    });
  });

  it("creates e-mail channels for alerts and for the budget", () => {
    expect(t.resource(MonitoringNotificationChannel.tfResourceType, "observability_email_oncall-example-com")).toMatchObject({
      type: "email",
      labels: { email_address: "oncall@example.com" },
      user_labels: LABELS,
    });
    expect(t.resource(MonitoringNotificationChannel.tfResourceType, "budget_email_finance-example-com").labels).toEqual({ email_address: "finance@example.com" });
  });

  it("alerts on the endpoint's p99 latency and 5xx share", () => {
    const channel = ["${google_monitoring_notification_channel.observability_email_oncall-example-com.id}"];
    const service = 'resource.type = "cloud_run_revision" AND resource.labels.service_name = "fraud-default-scorer"';
    expect(t.resource(MonitoringAlertPolicy.tfResourceType, "observability_scorer-latency-p99")).toMatchObject({
      combiner: "OR",
      notification_channels: channel,
      user_labels: LABELS,
      conditions: [
        {
          condition_threshold: {
            filter: `${service} AND metric.type = "run.googleapis.com/request_latencies"`,
            comparison: "COMPARISON_GT",
            threshold_value: 300,
            duration: "300s",
            aggregations: [{ per_series_aligner: "ALIGN_PERCENTILE_99", cross_series_reducer: "REDUCE_MAX" }],
          },
        },
      ],
    });
    expect(t.resource(MonitoringAlertPolicy.tfResourceType, "observability_scorer-5xx-rate")).toMatchObject({
      notification_channels: channel,
      conditions: [
        {
          condition_threshold: {
            filter: `${service} AND metric.type = "run.googleapis.com/request_count" AND metric.labels.response_code_class = "5xx"`,
            denominator_filter: `${service} AND metric.type = "run.googleapis.com/request_count"`,
            threshold_value: 0.01,
            aggregations: [{ per_series_aligner: "ALIGN_RATE", cross_series_reducer: "REDUCE_SUM" }],
            denominator_aggregations: [{ per_series_aligner: "ALIGN_RATE", cross_series_reducer: "REDUCE_SUM" }],
          },
        },
      ],
    });
  });

  it("sets a monthly USD budget on the project with threshold rules", () => {
    expect(t.resource(BillingBudget.tfResourceType, "budget")).toMatchObject({
      billing_account: "0A1B2C-3D4E5F-6A7B8C",
      display_name: "mlplat-fraud-default",
      amount: { specified_amount: { currency_code: "USD", units: "25000" } },
      budget_filter: { projects: [`projects/${NUMBER}`], calendar_period: "MONTH", credit_types_treatment: "INCLUDE_ALL_CREDITS" },
      threshold_rules: [
        { threshold_percent: 0.5, spend_basis: "CURRENT_SPEND" },
        { threshold_percent: 0.8, spend_basis: "CURRENT_SPEND" },
        { threshold_percent: 1, spend_basis: "CURRENT_SPEND" },
      ],
      all_updates_rule: { monitoring_notification_channels: ["${google_monitoring_notification_channel.budget_email_finance-example-com.id}"] },
    });
  });

  it("puts CMEK on every bucket, repository, cluster, node disk and service", () => {
    for (const b of Object.values(t.resources(StorageBucket.tfResourceType))) expect(b.encryption.default_kms_key_name).toMatch(/^\$\{google_kms_crypto_key\./);
    for (const r of Object.values(t.resources(ArtifactRegistryRepository.tfResourceType))) expect(r.kms_key_name).toMatch(/^\$\{google_kms_crypto_key\./);
    for (const c of Object.values(t.resources(ContainerCluster.tfResourceType))) expect(c.database_encryption.key_name).toMatch(/^\$\{google_kms_crypto_key\./);
    for (const p of Object.values(t.resources(ContainerNodePool.tfResourceType))) expect(p.node_config.boot_disk_kms_key).toMatch(/^\$\{google_kms_crypto_key\./);
    for (const s of Object.values(t.resources(CloudRunV2Service.tfResourceType))) expect(s.template.encryption_key).toMatch(/^\$\{google_kms_crypto_key\./);
  });

  it("labels every labelable resource with lowercase GCP labels", () => {
    const labelled: [string, (r: any) => Record<string, string>][] = [
      [StorageBucket.tfResourceType, (r) => r.labels],
      [ArtifactRegistryRepository.tfResourceType, (r) => r.labels],
      [KmsCryptoKey.tfResourceType, (r) => r.labels],
      [CloudRunV2Service.tfResourceType, (r) => r.labels],
      [CloudRunV2Service.tfResourceType, (r) => r.template.labels],
      [ContainerCluster.tfResourceType, (r) => r.resource_labels],
      [ContainerNodePool.tfResourceType, (r) => r.node_config.resource_labels],
      [MonitoringAlertPolicy.tfResourceType, (r) => r.user_labels],
      [MonitoringNotificationChannel.tfResourceType, (r) => r.user_labels],
    ];
    for (const [type, get] of labelled) {
      const all = Object.values(t.resources(type));
      expect(all.length).toBeGreaterThan(0);
      for (const r of all) {
        expect(get(r)).toEqual(LABELS);
        for (const [k, v] of Object.entries(get(r))) {
          expect(k).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
          expect(v).toMatch(/^[a-z0-9_-]{0,63}$/);
        }
      }
    }
  });

  it("writes the snake_case outputs", () => {
    const o = t.outputs();
    expect(Object.keys(o).sort()).toEqual(
      ["bucket_names", "cluster_name", "endpoint_urls", "gcp_limitations", "kms_import_commands", "kubeconfig_command", "model_registry", "region", "registry_urls"].sort(),
    );
    expect(o.region.value).toBe("us-central1");
    expect(o.cluster_name.value).toBe("${google_container_cluster.cluster.name}");
    expect(o.kubeconfig_command.value).toBe("gcloud container clusters get-credentials fraud-default --region us-central1 --project fraud-ml-prod --dns-endpoint");
    expect(o.bucket_names.value).toEqual({ datasets, models });
    expect(o.registry_urls.value).toEqual({ serving: "us-central1-docker.pkg.dev/fraud-ml-prod/fraud-default-serving" });
    expect(o.endpoint_urls.value).toEqual({ scorer: "${google_cloud_run_v2_service.serving_scorer.uri}" });
  });

  it("says in the gcp_limitations output what the google provider cannot do", () => {
    expect(t.outputs().gcp_limitations.value).toEqual(props.limitations);
    expect(t.outputs().gcp_limitations.value.length).toBe(9);
  });

  it("lists the terraform import commands that bring KMS back after a destroy", () => {
    const ring = "projects/fraud-ml-prod/locations/us-central1/keyRings/fraud-default";
    expect(t.outputs().kms_import_commands.value).toEqual([
      `terraform import google_kms_key_ring.kms ${ring}`,
      `terraform import google_kms_crypto_key.kms_storage ${ring}/cryptoKeys/fraud-default-storage`,
      `terraform import google_kms_crypto_key.kms_registry ${ring}/cryptoKeys/fraud-default-registry`,
      `terraform import google_kms_crypto_key.kms_cluster ${ring}/cryptoKeys/fraud-default-cluster`,
      `terraform import google_kms_crypto_key.kms_serving ${ring}/cryptoKeys/fraud-default-serving`,
    ]);
    expect(t.outputs().kms_import_commands.description).toContain("GCP never deletes KMS key rings or keys");
  });

  it("uses the GCS backend, and the local state file when offline", () => {
    expect(t.backend()).toEqual({ gcs: { bucket: "acme-tfstate", prefix: "mlplat/fraud" } });
    expect(synthModel(gcpModel(), { ...ctx, offline: true }).backend()).toEqual({ local: { path: ctx.localStatePath } });
  });
});

describe("the GCP platform stack in other shapes", () => {
  it("builds a GKE platform with T4 and L4 pools and no Cloud Run, budget or model registry", () => {
    const model = gcpModel({
      gcp: { project: "vision-ml-dev" },
      network: { cidr: "10.60.0.0/20", privateCluster: false, adminCidrs: ["198.51.100.0/24"] },
      cluster: { version: "1.35", admins: [], systemPool: { instanceType: "e2-standard-4", min: 1, max: 2 }, nodePools: [t4Pool, { ...l4Pool, instanceType: "g2-standard-4" }] },
      endpoints: [{ ...gcpModel().endpoints[0]!, runtime: "kubernetes", pool: "l4" }],
      budget: undefined,
      registry: { images: [{ name: "detector", immutableTags: true, scanOnPush: true, keepLast: 20 }], models: false },
    });
    const t = synthModel(model);
    expect(t.resource(ContainerNodePool.tfResourceType, "cluster_t4").node_config).toMatchObject({
      machine_type: "n1-highmem-4",
      spot: true,
      guest_accelerator: [{ type: "nvidia-tesla-t4", count: 1, gpu_driver_installation_config: { gpu_driver_version: "LATEST" } }],
      taint: [
        { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" },
        { key: "workload", value: "batch", effect: "NO_EXECUTE" },
      ],
    });
    expect(t.resource(ContainerNodePool.tfResourceType, "cluster_l4").node_config.guest_accelerator[0].type).toBe("nvidia-l4");
    expect(t.resource(ComputeSubnetwork.tfResourceType, "network_nodes")).toMatchObject({
      ip_cidr_range: "10.60.0.0/20",
      secondary_ip_range: [
        { range_name: "pods", ip_cidr_range: "172.16.0.0/16" },
        { range_name: "services", ip_cidr_range: "172.17.0.0/20" },
      ],
    });
    expect(t.resource(ContainerCluster.tfResourceType, "cluster").private_cluster_config).toEqual({ enable_private_nodes: true, enable_private_endpoint: false });
    expect(t.resource(ContainerCluster.tfResourceType, "cluster").master_authorized_networks_config.cidr_blocks).toEqual([
      { cidr_block: "10.60.0.0/20", display_name: "vpc" },
      { cidr_block: "198.51.100.0/24", display_name: "admin-1" },
    ]);
    for (const type of [CloudRunV2Service, BillingBudget, MonitoringAlertPolicy]) t.resourceCountIs(type.tfResourceType, 0);
    // No admins in the blueprint: the deploying identity, read at plan time.
    expect(t.findResources(ProjectIamMember.tfResourceType, { role: "roles/container.admin" })).toEqual({
      "cluster_admin-deployer": {
        project: "vision-ml-dev",
        role: "roles/container.admin",
        member:
          '${endswith(data.google_client_openid_userinfo.cluster_deployer.email, ".gserviceaccount.com") ? "serviceAccount" : "user"}:${data.google_client_openid_userinfo.cluster_deployer.email}',
      },
    });
    expect(t.findResources(KmsCryptoKey.tfResourceType, {})).not.toHaveProperty("kms_serving");
    expect(t.providers().google[0].user_project_override).toBeUndefined();
    expect(t.outputs().kubeconfig_command.value).toContain("--dns-endpoint");
    expect(t.outputs()).not.toHaveProperty("model_registry");
  });

  it("gives a kubernetes endpoint that reads a model a service account its Kubernetes ServiceAccount impersonates, reading only the model bucket", () => {
    const base = gcpModel().endpoints[0]!;
    const model = gcpModel({
      endpoints: [
        { ...base, name: "llm", runtime: "kubernetes", pool: "l4" },
        { ...base, name: "ranker", runtime: "kubernetes", pool: "l4", model: undefined },
      ],
    });
    const t = synthModel(model);
    expect(t.resource(ServiceAccount.tfResourceType, "serving_llm")).toMatchObject({
      project: "fraud-ml-prod",
      account_id: "fraud-default-k8s-llm",
      depends_on: ["google_project_service.project_iam"],
    });
    expect(t.findResources(ServiceAccount.tfResourceType, {})).not.toHaveProperty("serving_ranker");
    expect(t.resources(ServiceAccountIamMember.tfResourceType)).toEqual({
      "serving_llm_workload-identity-user": {
        service_account_id: "${google_service_account.serving_llm.name}",
        role: "roles/iam.workloadIdentityUser",
        member: "serviceAccount:fraud-ml-prod.svc.id.goog[mlplat-serving/llm]",
        // The workload pool exists once the cluster does.
        depends_on: ["google_container_cluster.cluster"],
      },
    });
    const member = "${google_service_account.serving_llm.member}";
    expect(t.findResources(StorageBucketIamMember.tfResourceType, { member })).toEqual({
      "serving_llm_model-reader": {
        bucket: "${google_storage_bucket.storage_models.name}",
        role: "roles/storage.objectViewer",
        member,
      },
    });
    // Nothing else names the account: no project roles, no key grant (GCS decrypts with its agent).
    expect(t.findResources(ProjectIamMember.tfResourceType, { member })).toEqual({});
    expect(t.findResources(KmsCryptoKeyIamMember.tfResourceType, { member })).toEqual({});
  });

  it("refuses workload identities without a cluster to impersonate them from", () => {
    const props = gcpTarget.resolve(gcpModel({ endpoints: [{ ...gcpModel().endpoints[0]!, runtime: "kubernetes", pool: "l4" }] }), ctx);
    expect(props.workloadIdentities).toHaveLength(1);
    expect(() => synthProps({ ...props, cluster: undefined })).toThrow(/need a cluster/);
  });

  it("builds storage, registry and observability alone when there is no cluster", () => {
    const t = synthModel(gcpModel({ cluster: undefined, endpoints: [], budget: undefined }));
    for (const type of [ContainerCluster, ContainerNodePool, ServiceAccount, CloudRunV2Service]) t.resourceCountIs(type.tfResourceType, 0);
    expect(Object.keys(t.resources(KmsCryptoKey.tfResourceType)).sort()).toEqual(["kms_registry", "kms_storage"]);
    t.resourceCountIs(ArtifactRegistryRepositoryIamMember.tfResourceType, 0);
    expect(t.outputs()).not.toHaveProperty("cluster_name");
  });

  it("throws when the GCS bucket name would contain google", () => {
    expect(() => synthProps(gcpTarget.resolve(gcpModel({ name: "google", stackName: "google-default" }), ctx))).toThrow(/contains "google"/);
  });
});
