import { describe, expect, it } from "vitest";
import { fitHelp, helpWidth } from "../../src/cli/help-width.js";
import { buildProgram } from "../../src/cli/program.js";
import { mlplat } from "../helpers/cli.js";

/** Help fitted to the terminal (issue 15, item 10): 80 columns without a TTY, every command. */
describe("help text width", () => {
  it("puts a long example's description under its command, keeps short ones as written", () => {
    const text = [
      "Examples:",
      "  $ mlplat plan platform.yaml --env prod                       plan against the real state",
      "  $ mlplat plan p.yaml       short",
    ].join("\n");
    expect(fitHelp(text, 80).split("\n")).toEqual([
      "Examples:",
      "  $ mlplat plan platform.yaml --env prod",
      "      plan against the real state",
      "  $ mlplat plan p.yaml       short",
    ]);
  });

  it("reflows a prose paragraph with a line too long, keeping a hanging indent, and leaves fitting paragraphs alone", () => {
    const para = "Exit codes: 0 ok (deploy: also status \"partial\") · 1 user or config error (or a refused deploy)\n            2 plan has changes";
    const out = fitHelp(para, 60).split("\n");
    expect(out.every((l) => l.length <= 60)).toBe(true);
    expect(out[0]).toBe('Exit codes: 0 ok (deploy: also status "partial") · 1 user or');
    expect(out.slice(1).every((l) => l.startsWith("            "))).toBe(true);
    expect(out.join(" ").split(/\s+/).filter(Boolean)).toEqual(para.split(/\s+/).filter(Boolean));
    const fits = "A short line.\nAnother one.";
    expect(fitHelp(fits, 80)).toBe(fits);
  });

  it("continues a long shell command with a backslash at a space outside quotes", () => {
    const line = "  $ mlplat validate platform.yaml --json | jq '.diagnostics[] | select(.severity==\"error\")'";
    expect(fitHelp(line, 60).split("\n")).toEqual(["  $ mlplat validate platform.yaml --json | jq \\", "      '.diagnostics[] | select(.severity==\"error\")'"]);
  });

  it("is the terminal's width on a TTY, else 80", () => {
    expect(helpWidth({ isTTY: false, columns: 200 })).toBe(80);
    expect(helpWidth({ isTTY: true, columns: 120 })).toBe(120);
    expect(helpWidth({ isTTY: true, columns: 20 })).toBe(40);
  });

  const names = (cmd: ReturnType<typeof buildProgram>, prefix: string[] = []): string[][] =>
    cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).flatMap((c) => [[...prefix, c.name()], ...names(c as ReturnType<typeof buildProgram>, [...prefix, c.name()])]);

  it("fits every command's help, examples and notes included, in 80 columns on the built CLI", () => {
    const commands = [[], ...names(buildProgram())];
    expect(commands.length).toBeGreaterThan(15);
    const wide: string[] = [];
    for (const args of commands) {
      const r = mlplat([...args, "--help"]);
      expect(r.code, args.join(" ")).toBe(0);
      for (const l of r.stdout.split("\n")) if ([...l].length > 80) wide.push(`${args.join(" ") || "mlplat"}: ${l}`);
    }
    expect(wide).toEqual([]);
  });

  it("describes --verbose for output without plans, and keeps it for plan", () => {
    // Commander wraps option descriptions to the width: compare with the line breaks flattened.
    const flat = (s: string) => s.replace(/\s+/g, " ");
    const output = flat(mlplat(["output", "--help"]).stdout);
    expect(output).toContain("stream terraform's messages to stderr (output plans and changes nothing)");
    expect(output).not.toContain("mlplat.tfplan");
    expect(flat(mlplat(["plan", "--help"]).stdout)).toContain("(for plans: one line per change; `terraform show mlplat.tfplan` has the full diff)");
  });
});
