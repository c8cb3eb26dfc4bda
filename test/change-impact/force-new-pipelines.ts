import type { ForceNewEntry } from "./force-new.js";

/**
 * ForceNew attributes of the resources spec.pipelines creates on GCP and Azure (issue 17), merged
 * into FORCE_NEW (force-new.ts). Sources: the providers' schemas at the pinned versions (google
 * 6.50, azurerm 4.55; azapi 2.x), read on their main branches where the flag has not changed.
 */
const GOOGLE = "https://github.com/hashicorp/terraform-provider-google/blob/main/google/services";
const GOOGLE_IAM = "https://github.com/hashicorp/terraform-provider-google/blob/main/google/tpgiamresource/resource_iam_member.go (IamMemberBaseSchema: role, member, condition ForceNew; the parent's id field too)";
const AZURERM = "https://github.com/hashicorp/terraform-provider-azurerm/blob/main/internal/services";

export const PIPELINE_FORCE_NEW: Readonly<Record<string, ForceNewEntry>> = {
  google_workflows_workflow: {
    paths: ["name", "name_prefix", "region", "project"],
    source: `${GOOGLE}/workflows/resource_workflows_workflow.go (source_contents, service_account, crypto_key_name, user_env_vars, call_log_level update in place: a new revision)`,
  },
  google_cloud_scheduler_job: {
    paths: ["name", "region", "project"],
    source: `${GOOGLE}/cloudscheduler/resource_cloud_scheduler_job.go (schedule, time_zone, http_target update in place)`,
  },
  google_eventarc_trigger: {
    paths: ["name", "location", "project", "channel", "transport"],
    source: `${GOOGLE}/eventarc/resource_eventarc_trigger.go (matching_criteria, destination, service_account, labels update in place)`,
  },
  google_storage_bucket_object: {
    paths: ["name", "bucket", "content", "source", "kms_key_name", "customer_encryption", "detect_md5hash"],
    source: `${GOOGLE}/storage/resource_storage_bucket_object.go (an object is immutable: new content is a new object)`,
  },
  google_monitoring_notification_channel: { paths: ["project"], source: `${GOOGLE}/monitoring/resource_monitoring_notification_channel.go (type, labels and display name update in place)` },
  google_pubsub_topic: { paths: ["name", "project", "kms_key_name"], source: `${GOOGLE}/pubsub/resource_pubsub_topic.go` },
  google_project_iam_custom_role: { paths: ["role_id", "project"], source: `${GOOGLE}/resourcemanager/resource_google_project_iam_custom_role.go (permissions, title, description update in place)` },
  google_service_account: { paths: ["account_id", "project"], source: `${GOOGLE}/resourcemanager/resource_google_service_account.go` },
  google_project_iam_member: { paths: ["project", "role", "member", "condition"], source: GOOGLE_IAM },
  google_storage_bucket_iam_member: { paths: ["bucket", "role", "member", "condition"], source: GOOGLE_IAM },
  google_service_account_iam_member: { paths: ["service_account_id", "role", "member", "condition"], source: GOOGLE_IAM },
  google_pubsub_topic_iam_member: { paths: ["topic", "project", "role", "member", "condition"], source: GOOGLE_IAM },
  azapi_resource: {
    paths: ["type", "name", "parent_id", "location"],
    source: "https://github.com/Azure/terraform-provider-azapi/blob/main/internal/services/azapi_resource.go (RequiresReplace on name, parent_id, type's resource type and location; body updates in place)",
  },
  azurerm_logic_app_workflow: {
    paths: ["name", "location", "resource_group_name", "integration_service_environment_id"],
    source: `${AZURERM}/logic/logic_app_workflow_resource.go`,
  },
  azurerm_logic_app_trigger_http_request: { paths: ["name", "logic_app_id"], source: `${AZURERM}/logic/logic_app_trigger_http_request_resource.go` },
  azurerm_logic_app_action_custom: { paths: ["name", "logic_app_id"], source: `${AZURERM}/logic/logic_app_action_custom_resource.go (body updates in place)` },
  azurerm_eventgrid_system_topic: {
    paths: ["name", "location", "resource_group_name", "source_resource_id", "source_arm_resource_id", "topic_type"],
    source: `${AZURERM}/eventgrid/eventgrid_system_topic_resource.go`,
  },
  azurerm_eventgrid_system_topic_event_subscription: {
    paths: ["name", "system_topic", "resource_group_name", "event_delivery_schema"],
    source: `${AZURERM}/eventgrid/eventgrid_system_topic_event_subscription_resource.go (filters, endpoints and retry policy update in place)`,
  },
  azurerm_monitor_action_group: { paths: ["name", "resource_group_name"], source: `${AZURERM}/monitor/monitor_action_group_resource.go` },
  azurerm_role_assignment: {
    paths: ["name", "scope", "role_definition_id", "role_definition_name", "principal_id", "principal_type", "condition", "condition_version", "description"],
    source: `${AZURERM}/authorization/role_assignment_resource.go (every argument ForceNew)`,
  },
};
