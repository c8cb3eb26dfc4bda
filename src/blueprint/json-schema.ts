import { z } from "zod";
import { BlueprintSchema } from "./schema.js";

/** The draft-07 JSON Schema of the blueprint, from the zod schema (input side: defaults are optional). */
export function blueprintJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(BlueprintSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return { ...schema, $id: "https://mlplat.dev/schemas/blueprint-v1.json" };
}
