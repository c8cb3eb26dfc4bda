import { describe, expect, it } from "vitest";
import { unsafeExpressions } from "../../stacks/common/terraform-literals.js";

/** The backstop names where each foreign expression sits (its path is built only on a finding: issue 19). */
describe("unsafeExpressions paths", () => {
  it("names the JSON path of values, keys and list items, skips the terraform block and escaped literals", () => {
    const json = {
      terraform: { backend: { local: { path: '${file("/etc/passwd")}' } } },
      resource: {
        aws_s3_bucket: {
          b: {
            bucket: "ok-$${x}-%%{y}",
            tags: { '${file("k")}': "v", env: "${aws_s3_bucket.b.arn}" },
            list: ["a", { deep: ['${file("x")}', "%{ if true }x%{ endif }"] }],
          },
        },
      },
      output: { o: { value: "${env(\"HOME\")}" } },
    };
    expect(unsafeExpressions(json).map((p) => [p.path, p.expression])).toEqual([
      ["resource.aws_s3_bucket.b.tags.${file(\"k\")}", '${file("k")}'],
      ["resource.aws_s3_bucket.b.list[1].deep[0]", '${file("x")}'],
      ["resource.aws_s3_bucket.b.list[1].deep[1]", "%{ if true }"],
      ["resource.aws_s3_bucket.b.list[1].deep[1]", "%{ endif }"],
      ["output.o.value", '${env("HOME")}'],
    ]);
    expect(unsafeExpressions({ resource: { x: { y: { a: "plain", b: ["${var.v}", "${data.d.e.f}"] } } } })).toEqual([]);
  });
});
