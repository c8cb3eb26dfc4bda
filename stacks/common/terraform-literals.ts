import { boundedMemo } from "../../src/util/bounded-memo.js";

/**
 * The one sink for literal strings in Terraform JSON, and the check that keeps it the only one.
 *
 * Terraform evaluates every string of a `.tf.json` file (outside the `terraform` block) as a
 * template: `${...}` is an expression and `%{...}` a directive. A blueprint value written raw
 * would therefore be code — `image: 'x:${file("/etc/hostname")}'` puts a file of the machine
 * that runs terraform into the plan. Terraform's own escapes are `$${` for a literal `${` and
 * `%%{` for a literal `%{` (verified with terraform 1.11: `"$$${x}"` → `$${x}`, `"$${{ a }}"` →
 * `${{ a }}`), so escaping every occurrence is exact and reversible.
 *
 * Where the escaping happens: `escapeLiterals` runs over the target's resolved props once, at the
 * synth entry (stacks/app.ts), before any construct sees them. Props are pure data (the resolver
 * never creates tokens), so every string in them is a literal; references that constructs create
 * (cdktf tokens) are added afterwards and stay expressions. Backend settings are the exception:
 * Terraform reads the `terraform.backend` block literally (no template evaluation: a local path
 * `st$${x}` stays `st$${x}`), so `backend` is passed through unescaped.
 *
 * The backstop: `unsafeExpressions` scans the synthesized JSON. Every unescaped `${...}` must be a
 * reference (`aws_s3_bucket.x.arn`, `data.y.z`, `var.v`) or a call of a short list of functions
 * that mlplat's constructs use, with only references and quoted constants as arguments; no `%{`
 * directive may appear at all. A literal that reached Terraform without passing the sink (a new
 * construct reading something other than its props) makes synth fail instead of emitting code.
 */

/** `${` → `$${` and `%{` → `%%{`: the string reaches the cloud exactly as written. */
export function escapeTerraformLiteral(value: string): string {
  if (!value.includes("{")) return value;
  // Replacer functions, not strings: in a replacement string `$$` means one `$`.
  return value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** The inverse of `escapeTerraformLiteral`: what Terraform makes of an escaped literal. */
export function unescapeTerraformLiteral(value: string): string {
  return value.replace(/\$\$\{/g, () => "${").replace(/%%\{/g, () => "%{");
}

/** Keys whose values Terraform reads literally (never as templates): passed through as is. */
const LITERAL_KEYS = new Set(["backend"]);

/**
 * A deep copy of resolved props with every string escaped (keys too: they can become map keys,
 * e.g. tags). Only plain objects and arrays are walked; the resolver produces nothing else.
 */
export function escapeLiterals<T>(props: T): T {
  return walk(props, true) as T;
}

function walk(value: unknown, top: boolean): unknown {
  if (typeof value === "string") return escapeTerraformLiteral(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, false));
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(`escapeLiterals: props must be plain data, found a ${proto?.constructor?.name ?? "non-plain object"}`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[escapeTerraformLiteral(k)] = top && LITERAL_KEYS.has(k) ? v : walk(v, false);
    }
    return out;
  }
  return value;
}

/** Functions mlplat's constructs call in expressions (`Fn.*`); nothing that reads files or the environment. */
const ALLOWED_FUNCTIONS = new Set([
  "replace",
  "endswith",
  "startswith",
  "formatdate",
  "timestamp",
  "jsonencode",
  "lookup",
  "element",
  "join",
  "tolist",
  "toset",
  "length",
  "lower",
  "format",
  "coalesce",
  "try",
  "base64encode",
  // The MLflow database password (stacks/gcp/mlflow-database.ts): random, reads nothing.
  "uuid",
]);

export interface UnsafeExpression {
  /** JSON path of the string, e.g. `resource.aws_ecr_repository.x.name`. */
  readonly path: string;
  /** The offending template sequence. */
  readonly expression: string;
  readonly reason: string;
}

/**
 * Every template sequence in a synthesized stack that is not a reference or an allowed call.
 * The `terraform` block (backend, required providers) is not evaluated by Terraform and is
 * skipped. An empty list means the JSON carries no code that mlplat did not write.
 */
export function unsafeExpressions(stackJson: unknown): UnsafeExpression[] {
  const found: UnsafeExpression[] = [];
  // The JSON path is built only for a string that holds a template sequence: joining a path for
  // every value of a large stack was most of this walk's time (issue 19, node --cpu-prof).
  const segments: string[] = [];
  const report = (s: string): void => {
    if (!s.includes("${") && !s.includes("%{")) return; // nothing scanTemplate could find
    const path = segments.join("");
    for (const problem of scanTemplate(s)) found.push({ path, ...problem });
  };
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      report(value);
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        segments.push(`[${i}]`);
        visit(value[i]);
        segments.pop();
      }
    } else if (value !== null && typeof value === "object") {
      const top = segments.every((x) => x === "");
      for (const [k, v] of Object.entries(value)) {
        if (top && k === "terraform") continue;
        segments.push(top ? k : `.${k}`);
        report(k);
        visit(v);
        segments.pop();
      }
    }
  };
  visit(stackJson);
  return found;
}

/** The unescaped `${...}` and `%{...}` sequences of one string, with why each is not allowed. */
function scanTemplate(s: string): { expression: string; reason: string }[] {
  const problems: { expression: string; reason: string }[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] !== "$" && s[i] !== "%") {
      i++; // no sequence starts here: skip without slicing
      continue;
    }
    const two = s.slice(i, i + 2);
    if ((two === "$$" || two === "%%") && s[i + 2] === "{") {
      i += 3; // an escaped literal `${` / `%{`
      continue;
    }
    if (two === "%{") {
      const end = closingBrace(s, i + 2);
      problems.push({ expression: s.slice(i, end + 1), reason: "a template directive; mlplat never writes one" });
      i = end + 1;
      continue;
    }
    if (two === "${") {
      const end = closingBrace(s, i + 2);
      const expression = s.slice(i, end + 1);
      const reason = end < 0 ? "an unterminated expression" : checkedExpression(s.slice(i + 2, end));
      if (reason) problems.push({ expression: end < 0 ? s.slice(i) : expression, reason });
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    i++;
  }
  return problems;
}

/** Index of the `}` closing an expression opened before `from`, skipping quoted strings; -1 if none. */
function closingBrace(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === "\\" ? 2 : 1;
    } else if (c === "{") depth++;
    else if (c === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * checkExpression, remembered: a large stack repeats the same references hundreds of times (the
 * cluster's name, the VPC's id).
 */
const checkedExpression = boundedMemo(checkExpression);

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_-]*)|(\d+)|(\[\*\]|[.,()[\]?:]|==|!=))/y;

/** Why an expression body is not a reference or an allowed call; undefined when it is fine. */
function checkExpression(body: string): string | undefined {
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < body.length) {
    if (/^\s*$/.test(body.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(body);
    if (!m) return `unexpected text "${body.slice(pos, pos + 20)}"`;
    const [, quoted, ident] = m;
    if (quoted !== undefined && /\$\{|%\{/.test(quoted.replace(/\$\$\{|%%\{/g, ""))) {
      return "a nested template inside a quoted argument";
    }
    if (ident !== undefined && body.slice(TOKEN.lastIndex).trimStart().startsWith("(") && !ALLOWED_FUNCTIONS.has(ident)) {
      return `a call of ${ident}(), which mlplat never writes`;
    }
    pos = TOKEN.lastIndex;
  }
  return undefined;
}
