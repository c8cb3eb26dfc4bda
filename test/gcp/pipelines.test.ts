import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LAUNCHER_WORKFLOW, kfpSpecOf, parameterValues } from "../../src/targets/gcp/pipelines.js";
import { unescapeTerraformLiteral } from "../../stacks/common/terraform-literals.js";
import { synthContinuousTraining } from "../helpers/pipeline-blueprint.js";
import { Template } from "../helpers/template.js";

/**
 * spec.pipelines on GCP, through the public synth path (blueprint file → escaping sink →
 * cdk.tf.json), on blueprints/continuous-training.yaml --env gcp: the job body in the platform
 * bucket, the launcher workflow, what starts it (Scheduler, Eventarc on GCS, the alert policies'
 * Pub/Sub channel), the three identities and their grants, CMEK, the APIs.
 */
const ROOT = new URL("../../", import.meta.url).pathname;
const KFP = join(ROOT, "blueprints", "pipelines", "retrain-fraud.kfp.yaml");
const work = mkdtempSync(join(tmpdir(), "mlplat-gcp-pipelines-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Spec = Record<string, any>;

const synth = (name: string, edit: (spec: Spec) => void = () => {}): Promise<Template> => synthContinuousTraining(join(work, name), "gcp", edit);

const P = "pipelines_retrain-fraud";

/**
 * Project-level grants of the pipelines: each is a sourced exception to "resource-level grants
 * only", because GCP offers no narrower scope for it.
 */
const PROJECT_GRANT_EXCEPTIONS: Readonly<Record<string, { readonly role: string; readonly why: string; readonly source: string }>> = {
  "pipelines_gcs-agent-publisher": {
    role: "roles/pubsub.publisher",
    why: "Eventarc creates its own transport topic for Cloud Storage events and checks the GCS agent's project grant when the trigger is made",
    source: "https://cloud.google.com/eventarc/docs/run/create-trigger-storage-gcloud#before-you-begin",
  },
  [`${P}_runner-vertex`]: {
    role: "roles/aiplatform.user",
    why: "a pipeline run's tasks create Vertex AI custom jobs, metadata and models, which have no resource-level IAM",
    source: "https://cloud.google.com/vertex-ai/docs/pipelines/configure-project#service-account",
  },
  [`${P}_workflow-submits`]: {
    role: "${google_project_iam_custom_role.pipelines_submit-role.id}",
    why: "pipelineJobs.create is checked on the location (the parent); the custom role holds only pipelineJobs.create/get",
    source: "https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.pipelineJobs/create",
  },
  [`${P}_workflow-logs`]: {
    role: "roles/logging.logWriter",
    why: "a workflow's call logs are written as its service account, and log writing is granted on the project",
    source: "https://cloud.google.com/workflows/docs/log-workflow",
  },
  [`${P}_invoker-invokes`]: {
    role: "roles/workflows.invoker",
    why: "the google provider (6.50) has no workflow-level IAM resource",
    source: "https://cloud.google.com/workflows/docs/access-control",
  },
  [`${P}_invoker-receives`]: {
    role: "roles/eventarc.eventReceiver",
    why: "Eventarc's event receiver role is granted on the project",
    source: "https://cloud.google.com/eventarc/docs/access-control",
  },
};
const ref = (address: string) => `\${${address}}`;

describe("spec.pipelines on GCP (continuous-training --env gcp)", () => {
  let t: Template;
  beforeAll(async () => {
    t = await synth("base");
  }, 120_000);

  it("uploads the PipelineJob body: the compiled spec inline, typed parameters, the run root, the runner and the key", () => {
    const obj = t.resource("google_storage_bucket_object", `${P}_job`);
    expect(obj).toMatchObject({ bucket: ref("google_storage_bucket.pipelines_bucket.name"), name: "specs/retrain-fraud.json", content_type: "application/json" });
    const body = JSON.parse(unescapeTerraformLiteral(obj.content));
    expect(body.pipelineSpec).toEqual(kfpSpecOf(readFileSync(KFP, "utf8")));
    expect(body.pipelineSpec.pipelineInfo.name).toBe("retrain-fraud");
    const bucket = t.resource("google_storage_bucket", "pipelines_bucket");
    const runner = t.resource("google_service_account", `${P}_runner`);
    expect(body).toMatchObject({
      displayName: "retrain-fraud",
      runtimeConfig: { gcsOutputDirectory: `gs://${bucket.name}/runs/retrain-fraud/root`, parameterValues: { num_round: "200", max_depth: "6" } },
      serviceAccount: `${runner.account_id}@fraud-ct-demo.iam.gserviceaccount.com`,
      encryptionSpec: { kmsKeyName: `projects/fraud-ct-demo/locations/us-central1/keyRings/${t.resource("google_kms_key_ring", "kms").name}/cryptoKeys/${t.resource("google_kms_crypto_key", "kms_pipelines").name}` },
      labels: { "mlplat-pipeline": "retrain-fraud" },
    });
    // The platform bucket: CMEK with the storage key, no public access, not protected.
    expect(bucket).toMatchObject({ encryption: { default_kms_key_name: ref("google_kms_crypto_key.kms_storage.id") }, public_access_prevention: "enforced", uniform_bucket_level_access: true });
    expect(bucket.lifecycle).toBeUndefined();
  });

  it("runs one launcher workflow: fixed source, own service account, CMEK, error call logs, the job object and watched prefixes as env vars", () => {
    const wf = t.resource("google_workflows_workflow", P);
    expect(wf).toMatchObject({
      name: "fraud-ct-gcp-retrain-fraud-pipeline",
      region: "us-central1",
      service_account: ref(`google_service_account.${P}_workflow-sa.email`),
      crypto_key_name: ref("google_kms_crypto_key.kms_pipelines.id"),
      call_log_level: "LOG_ERRORS_ONLY",
      deletion_protection: false,
      user_env_vars: {
        MLPLAT_JOB_BUCKET: ref("google_storage_bucket.pipelines_bucket.name"),
        MLPLAT_JOB_OBJECT: "specs/retrain-fraud.json",
        MLPLAT_NEW_DATA: JSON.stringify([{ bucket: t.resource("google_storage_bucket", "storage_datasets").name, prefix: "daily/" }]),
      },
    });
    expect(wf.depends_on).toEqual(expect.arrayContaining(["google_kms_crypto_key_iam_member.kms_pipelines-workflows-agent", "google_project_service.project_workflows"]));
    // Terraform reads `$${` as a literal `${`: the workflow gets its own expressions back.
    expect(wf.source_contents).not.toMatch(/(^|[^$])\$\{/);
    expect(unescapeTerraformLiteral(wf.source_contents)).toBe(LAUNCHER_WORKFLOW);
  });

  it("the launcher reads the job object and creates the pipeline job with the Vertex AI connector", () => {
    const steps = (parse(LAUNCHER_WORKFLOW) as any).main.steps as Record<string, any>[];
    const step = (name: string) => steps.find((s) => name in s)![name];
    expect(steps.map((s) => Object.keys(s)[0])).toEqual(["init", "route", "matchObject", "newDataOnly", "fromNewData", "readIncident", "openedOnly", "readJob", "label", "create", "done", "skipped"]);
    expect(step("readJob")).toMatchObject({ call: "googleapis.storage.v1.objects.get", args: { alt: "media" }, result: "job" });
    expect(step("create")).toMatchObject({ call: "googleapis.aiplatform.v1.projects.locations.pipelineJobs.create", args: { body: "${job}" } });
    expect(step("route").switch.map((c: any) => c.condition)).toEqual([
      '${type == "google.cloud.storage.object.v1.finalized"}',
      '${type == "google.cloud.pubsub.topic.v1.messagePublished"}',
    ]);
    expect(step("openedOnly").switch[0].condition).toContain('"open"');
  });

  it("schedules the workflow with Cloud Scheduler in UTC through the executions API, as the invoker", () => {
    const job = t.resource("google_cloud_scheduler_job", `${P}_schedule`);
    expect(job).toMatchObject({
      schedule: "0 3 * * 1",
      time_zone: "UTC",
      region: "us-central1",
      http_target: {
        http_method: "POST",
        uri: `https://workflowexecutions.googleapis.com/v1/${ref(`google_workflows_workflow.${P}.id`)}/executions`,
        oauth_token: { service_account_email: ref(`google_service_account.${P}_invoker.email`), scope: "https://www.googleapis.com/auth/cloud-platform" },
      },
    });
    expect(JSON.parse(Buffer.from(job.http_target.body, "base64").toString())).toEqual({ argument: '{"source":"schedule"}' });
    expect(job.depends_on).toEqual(expect.arrayContaining([`google_project_iam_member.${P}_invoker-invokes`, "google_project_service.project_cloudscheduler"]));
  });

  it("starts the workflow on objects finalized in the watched bucket, after the GCS agent may publish and the Eventarc agent exists", () => {
    const tr = t.resource("google_eventarc_trigger", `${P}_new-data-datasets`);
    expect(tr).toMatchObject({
      location: "us-central1",
      matching_criteria: [
        { attribute: "type", value: "google.cloud.storage.object.v1.finalized" },
        { attribute: "bucket", value: ref("google_storage_bucket.storage_datasets.name") },
      ],
      destination: { workflow: ref(`google_workflows_workflow.${P}.id`) },
      service_account: ref(`google_service_account.${P}_invoker.email`),
    });
    expect(tr.depends_on).toEqual(
      expect.arrayContaining(["google_project_iam_member.pipelines_gcs-agent-publisher", "google_project_service_identity.project_agents_eventarc", "google_project_service.project_eventarc", `google_project_iam_member.${P}_invoker-receives`]),
    );
    expect(t.resource("google_project_iam_member", "pipelines_gcs-agent-publisher")).toMatchObject({ role: "roles/pubsub.publisher", member: "serviceAccount:${data.google_storage_project_service_account.pipelines_gcs-agent.email_address}" });
  });

  it("adds a CMEK Pub/Sub channel to the endpoint's alert policies and starts the workflow from its topic", () => {
    const channel = t.resource("google_monitoring_notification_channel", `${P}_alarm`);
    expect(channel).toMatchObject({ type: "pubsub", labels: { topic: ref(`google_pubsub_topic.${P}_alarm_topic.id`) } });
    expect(t.resource("google_pubsub_topic", `${P}_alarm_topic`)).toMatchObject({ kms_key_name: ref("google_kms_crypto_key.kms_pipelines.id") });
    const policy = t.resource("google_monitoring_alert_policy", "observability_scorer-latency-p99");
    expect(policy.notification_channels).toEqual(expect.arrayContaining([ref(`google_monitoring_notification_channel.${P}_alarm.id`)]));
    expect(policy.notification_channels.length).toBe(2);
    const publisher = t.resource("google_pubsub_topic_iam_member", `${P}_alarm_publisher`);
    expect(publisher).toMatchObject({ role: "roles/pubsub.publisher", topic: ref(`google_pubsub_topic.${P}_alarm_topic.name`), depends_on: [`google_monitoring_notification_channel.${P}_alarm`] });
    expect(publisher.member).toMatch(/^serviceAccount:service-\$\{data\.google_project\.project_info\.number\}@gcp-sa-monitoring-notification\.iam\.gserviceaccount\.com$/);
    expect(t.resource("google_eventarc_trigger", `${P}_alarm-trigger`)).toMatchObject({
      matching_criteria: [{ attribute: "type", value: "google.cloud.pubsub.topic.v1.messagePublished" }],
      transport: { pubsub: { topic: ref(`google_pubsub_topic.${P}_alarm_topic.id`) } },
      destination: { workflow: ref(`google_workflows_workflow.${P}.id`) },
    });
  });

  it("grants least privilege: project roles only where GCP has no narrower scope, bucket grants scoped by condition", () => {
    const member = (sa: string) => ref(`google_service_account.${P}_${sa}.member`);
    const projectRoles = Object.values(t.findResources("google_project_iam_member", {})).length;
    expect(projectRoles).toBeGreaterThan(0);
    const mine = Object.entries(t.resources("google_project_iam_member")).filter(([id]) => id.startsWith("pipelines_"));
    // Every project-level grant is a sourced exception, and nothing else is granted there.
    expect(Object.fromEntries(mine.map(([id, r]) => [id, r.role]))).toEqual(Object.fromEntries(Object.entries(PROJECT_GRANT_EXCEPTIONS).map(([id, e]) => [id, e.role])));
    for (const e of Object.values(PROJECT_GRANT_EXCEPTIONS)) expect(e.source).toMatch(/^https:\/\/cloud\.google\.com\//);
    expect(t.resource("google_project_iam_custom_role", "pipelines_submit-role").permissions).toEqual(["aiplatform.pipelineJobs.create", "aiplatform.pipelineJobs.get"]);
    expect(t.resource("google_storage_bucket_iam_member", `${P}_runner-bucket-datasets`)).toMatchObject({ role: "roles/storage.objectUser", member: member("runner"), bucket: ref("google_storage_bucket.storage_datasets.name") });
    expect(t.resource("google_storage_bucket_iam_member", `${P}_runner-runs`).condition.expression).toBe(
      'resource.type == "storage.googleapis.com/Bucket" || resource.name.startsWith("projects/_/buckets/${google_storage_bucket.pipelines_bucket.name}/objects/runs/retrain-fraud/")',
    );
    expect(t.resource("google_storage_bucket_iam_member", `${P}_workflow-reads-job`)).toMatchObject({
      role: "roles/storage.objectViewer",
      member: member("workflow-sa"),
      condition: { expression: 'resource.name == "projects/_/buckets/${google_storage_bucket.pipelines_bucket.name}/objects/specs/retrain-fraud.json"' },
    });
    // actAs: the workflow on the runner only; the runner on itself (its tasks launch jobs as it).
    expect(t.resource("google_service_account_iam_member", `${P}_workflow-acts-as-runner`)).toMatchObject({ service_account_id: ref(`google_service_account.${P}_runner.name`), role: "roles/iam.serviceAccountUser", member: member("workflow-sa") });
    expect(t.resource("google_service_account_iam_member", `${P}_runner-acts-as-itself`)).toMatchObject({ service_account_id: ref(`google_service_account.${P}_runner.name`), member: member("runner") });
    // No basic or admin role anywhere in the pipelines' grants.
    const roles = ["google_project_iam_member", "google_storage_bucket_iam_member", "google_service_account_iam_member", "google_pubsub_topic_iam_member"].flatMap((type) =>
      Object.entries(t.resources(type)).filter(([id]) => id.startsWith("pipelines_")).map(([, r]) => String(r.role)),
    );
    expect(roles.filter((r) => /roles\/(owner|editor|viewer)$|admin/i.test(r) || r.includes("*"))).toEqual([]);
  });

  it("policy: CMEK wherever the resource takes a key; no public ingress (the workflow runs only for IAM-authorized callers)", () => {
    expect(t.resource("google_workflows_workflow", P).crypto_key_name).toBe(ref("google_kms_crypto_key.kms_pipelines.id"));
    expect(t.resource("google_pubsub_topic", `${P}_alarm_topic`).kms_key_name).toBe(ref("google_kms_crypto_key.kms_pipelines.id"));
    expect(t.resource("google_storage_bucket", "pipelines_bucket").encryption.default_kms_key_name).toBe(ref("google_kms_crypto_key.kms_storage.id"));
    // Sourced exceptions: Cloud Scheduler jobs take no key (https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs),
    // and Eventarc's own transport topics for Cloud Storage events are encrypted per project through
    // google_eventarc_google_channel_config (https://cloud.google.com/eventarc/docs/use-cmek), which mlplat leaves to the project owner.
    expect(Object.keys(t.resource("google_cloud_scheduler_job", `${P}_schedule`))).not.toContain("kms_key_name");
    // Scheduler and Eventarc authenticate as the invoker; nothing calls the workflow unauthenticated.
    expect(t.resource("google_cloud_scheduler_job", `${P}_schedule`).http_target.oauth_token).toBeDefined();
    for (const tr of Object.values(t.resources("google_eventarc_trigger"))) expect(tr.service_account).toBe(ref(`google_service_account.${P}_invoker.email`));
  });

  it("encrypts with the pipelines key, granted to the Workflows, Pub/Sub and Vertex AI agents made first", () => {
    for (const agent of ["workflows", "pubsub", "vertex"]) {
      const g = t.resource("google_kms_crypto_key_iam_member", `kms_pipelines-${agent}-agent`);
      expect(g).toMatchObject({ crypto_key_id: ref("google_kms_crypto_key.kms_pipelines.id"), role: "roles/cloudkms.cryptoKeyEncrypterDecrypter" });
      expect(g.depends_on?.some((d: string) => d.startsWith("google_project_service_identity."))).toBe(true);
    }
  });

  it("enables the APIs the pipelines use", () => {
    const services = Object.values(t.resources("google_project_service")).map((s) => s.service);
    expect(services).toEqual(expect.arrayContaining(["workflows.googleapis.com", "aiplatform.googleapis.com", "cloudscheduler.googleapis.com", "eventarc.googleapis.com", "pubsub.googleapis.com"]));
    expect(t.json.output.gcp_limitations.value.some((l: string) => l.startsWith("pipelines: the google provider has no Vertex AI pipeline"))).toBe(true);
  });
});

describe("spec.pipelines on GCP: variants", () => {
  it("without a schedule or triggers: no Scheduler job, no Eventarc, and neither API", async () => {
    const t = await synth("bare", (spec) => {
      delete spec.pipelines[0].schedule;
      spec.pipelines[0].triggers = [];
    });
    expect(t.resources("google_cloud_scheduler_job")).toEqual({});
    expect(t.resources("google_eventarc_trigger")).toEqual({});
    expect(t.resources("google_pubsub_topic")).toEqual({});
    const services = Object.values(t.resources("google_project_service")).map((s) => s.service);
    expect(services).not.toContain("cloudscheduler.googleapis.com");
    expect(services).not.toContain("eventarc.googleapis.com");
    expect(t.resources("google_project_iam_member")[`${P}_invoker-receives`]).toBeUndefined();
    expect(t.resource("google_workflows_workflow", P).user_env_vars.MLPLAT_NEW_DATA).toBe("[]");
  }, 120_000);

  it("two prefixes on one bucket: one trigger for the bucket, both prefixes filtered in the workflow; a hostile parameter stays a literal", async () => {
    const t = await synth("prefixes", (spec) => {
      spec.pipelines[0].triggers.push({ newData: { bucket: "datasets", prefix: "hourly/${x}" } });
      spec.pipelines[0].parameters.max_depth = '${file("/etc/passwd")}';
    });
    expect(Object.keys(t.resources("google_eventarc_trigger")).filter((k) => k.includes("new-data"))).toEqual([`${P}_new-data-datasets`]);
    const watch = JSON.parse(unescapeTerraformLiteral(t.resource("google_workflows_workflow", P).user_env_vars.MLPLAT_NEW_DATA));
    expect(watch.map((w: any) => w.prefix)).toEqual(["daily/", "hourly/${x}"]);
    const content = t.resource("google_storage_bucket_object", `${P}_job`).content as string;
    expect(content).toContain('$${file(\\"/etc/passwd\\")}');
    expect(JSON.parse(unescapeTerraformLiteral(content)).runtimeConfig.parameterValues.max_depth).toBe('${file("/etc/passwd")}');
  }, 120_000);
});

describe("KFP parameter values", () => {
  const spec = {
    root: { inputDefinitions: { parameters: { n: { parameterType: "NUMBER_INTEGER" }, lr: { parameterType: "NUMBER_DOUBLE" }, on: { parameterType: "BOOLEAN" }, cfg: { parameterType: "STRUCT" }, s: { parameterType: "STRING" } } } },
  };

  it("become the declared type, and stay strings when they do not read as it", () => {
    expect(parameterValues(spec, { n: "10", lr: "0.1", on: "true", cfg: '{"a":1}', s: "10", other: "x" })).toEqual({ n: 10, lr: 0.1, on: true, cfg: { a: 1 }, s: "10", other: "x" });
    expect(parameterValues(spec, { n: "1.5", lr: "fast", on: "yes", cfg: "{" })).toEqual({ n: "1.5", lr: "fast", on: "yes", cfg: "{" });
  });

  it("the spec may sit under pipelineSpec (PipelineJob JSON)", () => {
    expect(kfpSpecOf(JSON.stringify({ pipelineSpec: { pipelineInfo: { name: "x" } }, runtimeConfig: {} }))).toEqual({ pipelineInfo: { name: "x" } });
  });
});

describe("spec.pipelines on GCP: the first deploy", () => {
  it("an alarm trigger of an endpoint the first deploy defers (image not pushed yet) is left to the deploy that creates the endpoint", async () => {
    const { loadBlueprintOrThrow } = await import("../../src/blueprint/load.js");
    const { firstDeploy } = await import("../first-deploy/cases.js");
    const { gcpTarget } = await import("../../src/targets/gcp/index.js");
    const { model } = loadBlueprintOrThrow(join(ROOT, "blueprints", "continuous-training.yaml"), { env: "gcp", vars: {} });
    const ctx = { offline: true, localStatePath: "x.tfstate" };
    expect(gcpTarget.resolve(model, ctx).pipelines!.pipelines[0]!.alarm?.endpointIds).toEqual(["scorer"]);
    const first = gcpTarget.resolve(firstDeploy(model), ctx).pipelines!.pipelines[0]!;
    expect(first.alarm).toBeUndefined();
    expect(first.newData.map((d) => d.bucketId)).toEqual(["datasets"]);
  });
});
