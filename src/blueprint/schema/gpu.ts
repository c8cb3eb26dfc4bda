import { z } from "zod";
import { d, positiveInt } from "./common.js";

const GpuObjectSchema = z
  .strictObject({
    type: z.string().min(1).meta(d("Normalized accelerator name: T4, L4, A10G, A10, L40S, V100, A100-40GB, A100-80GB, H100, H200, B200, … (case-insensitive; `mlplat catalog gpus` lists them).")),
    count: positiveInt.max(16).default(1).meta(d("Accelerators per node (or per instance for endpoints). @default 1")),
  })
  .meta(d("Accelerators per node: mlplat picks the cheapest instance type with exactly this accelerator and count offered in the region."));

/** `A100-80GB:8`: the shorthand the README and the catalog print, for `{ type: A100-80GB, count: 8 }`. */
const GpuShorthandSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*:([1-9]|1[0-6])$/, "write TYPE:COUNT, e.g. A100-80GB:8 (count 1-16)")
  .transform((s) => {
    const i = s.lastIndexOf(":");
    return { type: s.slice(0, i), count: Number(s.slice(i + 1)) };
  })
  .meta(d("Shorthand TYPE:COUNT, e.g. `A100-80GB:8` = { type: A100-80GB, count: 8 }."));

export const GpuSchema = z
  .union([GpuObjectSchema, GpuShorthandSchema])
  .meta(d("Accelerators per node (or per instance): `{ type: A100-80GB, count: 8 }` or the shorthand `A100-80GB:8`. mlplat picks the cheapest instance type with exactly this accelerator and count offered in the region."));
