import { Command } from "commander";
import { note } from "../output.js";

export function register(program: Command): void {
  program
    .command("schema")
    .summary("print the blueprint JSON Schema (for editors and CI)")
    .description(
      "The draft-07 JSON Schema of blueprint format v1, generated from mlplat's own schema, with a\n" +
        "description on every field. Point your editor at it with a first line of\n" +
        "  # yaml-language-server: $schema=<path or URL of blueprint.schema.json>",
    )
    .option("-o, --out <file>", "write to a file instead of stdout")
    .addHelpText("after", "\nExamples:\n  $ mlplat schema --out blueprints/blueprint.schema.json\n  $ mlplat schema | jq '.properties.spec.properties | keys'")
    .action(async (o: { out?: string }) => {
      const { blueprintJsonSchema } = await import("../../blueprint/json-schema.js");
      const text = JSON.stringify(blueprintJsonSchema(), null, 2) + "\n";
      if (o.out) {
        const { writeUserFile } = await import("../../util/user-file.js");
        writeUserFile(o.out, text, "--out");
        note(`wrote ${o.out}`);
      } else process.stdout.write(text);
    });
}
