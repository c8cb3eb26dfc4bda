import { z } from "zod";
import { GpuSchema } from "./gpu.js";
import { bucketRef, d, nonNegativeInt, positiveInt } from "./common.js";

/** `spec.workspaces` (v1.1): a private, idle-stopped notebook per data scientist. */
export const WorkspaceUserSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,20}$/, { message: "must be 1-21 characters: a lowercase letter, then lowercase letters, digits or '-'" })
      .meta(d("User name, unique among users: [a-z][a-z0-9-]{0,20}.")),
    identity: z
      .string()
      .min(1)
      .meta(d("Who opens the workspace. aws: an IAM principal ARN; gcp: a Google account e-mail; azure: an Entra object ID (UUID).")),
    gpu: GpuSchema.optional().meta(d("Per-user accelerators, overriding the default size.")),
    instanceType: z.string().min(1).optional().meta(d("Per-user instance type, overriding the default size.")),
  })
  .meta(d("A data scientist with their own notebook."));

export const WorkspacesSchema = z
  .strictObject({
    idleShutdownMinutes: nonNegativeInt.max(10080).default(60).meta(d("Stop an idle notebook after this many minutes; 0 = never. @default 60")),
    instanceType: z.string().min(1).optional().meta(d("Default notebook size (aws ml.t3.large, gcp e2-standard-4, azure Standard_DS3_v2). @default the cloud's small CPU size")),
    gpu: GpuSchema.optional().meta(d("Default accelerators of every notebook; exactly one of gpu / instanceType or neither.")),
    diskGiB: positiveInt.min(10).max(16384).default(100).meta(d("Home/data disk per user in GiB. @default 100")),
    buckets: z.array(bucketRef("read and write for the users")).default([]).meta(d("Declared buckets the users' identities may read and write.")),
    users: z.array(WorkspaceUserSchema).min(1).meta(d("One notebook per user.")),
  })
  .meta(d("Notebooks for data scientists (v1.1): one per user, private, idle-stopped."));

export type WorkspacesSpec = z.output<typeof WorkspacesSchema>;
export type WorkspaceUserSpec = z.output<typeof WorkspaceUserSchema>;
