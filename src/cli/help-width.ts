/**
 * Help text fitted to the terminal (issue 15, item 10): commander wraps its own option and
 * command lists to the width, but the examples and notes each command adds (`addHelpText`) are
 * written with hard line breaks at about 95 columns, which a terminal then breaks again
 * mid-word. Every help text goes through here (the program's `writeOut`): an example line too
 * long gets its description on the next line, under the command; a prose paragraph with a line
 * too long is reflowed as a whole. Lines that fit are left as written.
 */
export function helpWidth(stream: { isTTY?: boolean; columns?: number } = process.stdout): number {
  return stream.isTTY && stream.columns ? Math.max(40, stream.columns) : 80;
}

const EXAMPLE = /^(\s*)\$ /;

export function fitHelp(text: string, width = helpWidth()): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!;
    if (line.trim() === "") {
      out.push(line);
      i++;
      continue;
    }
    if (EXAMPLE.test(line)) {
      out.push(...fitExample(line, width));
      i++;
      continue;
    }
    // A paragraph: consecutive non-blank lines that are not examples.
    let j = i;
    while (j < lines.length && lines[j]!.trim() !== "" && !EXAMPLE.test(lines[j]!)) j++;
    const para = lines.slice(i, j);
    out.push(...(para.some((l) => l.length > width) ? reflow(para, width) : para));
    i = j;
  }
  return out.join("\n");
}

/** `  $ mlplat plan x --json      what it does` → the command, then the description indented under it. */
function fitExample(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = EXAMPLE.exec(line)![1]!;
  const gap = /\s{3,}(?=\S)/.exec(line.slice(indent.length + 2));
  if (!gap) return breakCommand(line, width, `${indent}    `);
  const command = line.slice(0, indent.length + 2 + gap.index).trimEnd();
  const description = line.slice(indent.length + 2 + gap.index + gap[0].length);
  return [command, ...wrap(description, width, `${indent}    `, `${indent}    `)];
}

/**
 * One long shell command, continued with ` \` at spaces outside quotes (so what is pasted
 * runs the same); left whole when it has no such space that helps.
 */
function breakCommand(line: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let rest = line;
  let prefix = "";
  while ((prefix + rest).length > width) {
    const limit = width - prefix.length - 2;
    let quote: string | undefined;
    let cut = -1;
    for (let k = 0; k < rest.length && k <= limit; k++) {
      const c = rest[k]!;
      if (quote) quote = c === quote ? undefined : quote;
      else if (c === "'" || c === '"') quote = c;
      else if (c === " " && k > 0 && rest[k - 1] !== " " && /\S/.test(rest.slice(0, k))) cut = k;
    }
    if (cut <= prefix.length + 4 || cut < 0) break;
    out.push(`${prefix}${rest.slice(0, cut)} \\`);
    rest = rest.slice(cut + 1);
    prefix = indent;
  }
  out.push(prefix + rest);
  return out;
}

/** A paragraph's words re-wrapped: its first line's indent, then the second line's (a hanging indent). */
function reflow(para: readonly string[], width: number): string[] {
  const first = /^\s*/.exec(para[0]!)![0];
  const rest = para.length > 1 ? /^\s*/.exec(para[1]!)![0] : first;
  return wrap(para.map((l) => l.trim()).join(" "), width, first, rest);
}

function wrap(text: string, width: number, firstIndent: string, restIndent: string): string[] {
  const out: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > width) {
      out.push(line);
      line = restIndent;
      empty = true;
    }
    line += (empty ? "" : " ") + word;
    empty = false;
  }
  if (!empty) out.push(line);
  return out;
}
