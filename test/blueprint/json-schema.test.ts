import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { blueprintJsonSchema } from "../../src/blueprint/json-schema.js";

const COMMITTED = "blueprints/blueprint.schema.json";

describe("the blueprint JSON Schema", () => {
  const schema = blueprintJsonSchema() as any;
  if (process.env.UPDATE_SCHEMA) writeFileSync(COMMITTED, JSON.stringify(schema, null, 2) + "\n");

  it("matches the committed blueprints/blueprint.schema.json (run `npm run schema` after changing the zod schema)", () => {
    expect(JSON.parse(readFileSync(COMMITTED, "utf8"))).toEqual(schema);
  });

  it("is draft-07 and closed: unknown keys are rejected by editors too", () => {
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.spec.additionalProperties).toBe(false);
  });

  it("documents every field of spec for editor hover", () => {
    const spec = schema.properties.spec.properties;
    for (const [k, v] of Object.entries<any>(spec)) expect(v.description, `spec.${k}`).toBeTruthy();
    const pool = spec.cluster.properties.nodePools.items.properties;
    for (const [k, v] of Object.entries<any>(pool)) expect(v.description, `nodePools[].${k}`).toBeTruthy();
  });

  it("lists defaults as optional on the input side", () => {
    expect(schema.required).toEqual(["apiVersion", "kind", "metadata", "spec"]);
    expect(schema.properties.spec.required).toEqual(["cloud", "region"]);
  });
});
