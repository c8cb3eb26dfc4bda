/**
 * `mlplat completion bash|zsh|fish`: a shell completion script for commands and their options,
 * generated from the CLI's own definitions (so it never drifts), plus two dynamic lists asked of
 * mlplat at completion time through the hidden `mlplat __complete`: the environments of the
 * blueprint on the command line (for `--env`) and the template names (for `--template`).
 */
import type { Command } from "commander";
import { MlplatError } from "../../util/errors.js";

const SHELLS = ["bash", "zsh", "fish"] as const;
type Shell = (typeof SHELLS)[number];

export function register(program: Command): void {
  program
    .command("completion")
    .description("Print a shell completion script (commands, options, environments of the blueprint, template names).")
    .argument("<shell>", `one of ${SHELLS.join(", ")}`)
    .addHelpText(
      "after",
      `
Examples:
  $ mlplat completion bash > ~/.local/share/bash-completion/completions/mlplat
  $ mlplat completion zsh > "\${fpath[1]}/_mlplat"
  $ mlplat completion fish > ~/.config/fish/completions/mlplat.fish`,
    )
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell))
        throw new MlplatError("MLP_UNKNOWN_SHELL", `no completion for the shell "${shell}".`, { hint: `use one of: ${SHELLS.join(", ")}` });
      process.stdout.write(completionScript(shell as Shell, describeCommands(program)));
    });

  program
    .command("__complete", { hidden: true })
    .argument("<what>", "envs | templates")
    .argument("[file]")
    .action(async (what: string, file?: string) => {
      process.stdout.write((await dynamicWords(what, file)).join("\n") + "\n");
    });
}

export interface CommandWords {
  readonly name: string;
  readonly options: readonly string[];
}

export function describeCommands(program: Command): CommandWords[] {
  return program.commands
    .filter((c) => !c.name().startsWith("__"))
    .map((c) => ({ name: c.name(), options: [...c.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x)), "--help"] }));
}

/** Environment names of a blueprint (its `environments` keys) or the template names; [] on any error. */
export async function dynamicWords(what: string, file?: string): Promise<string[]> {
  try {
    if (what === "templates") {
      const { listTemplates } = await import("../../init/templates.js");
      return listTemplates().map((t) => t.name);
    }
    if (what === "envs" && file) {
      // The blueprint reader validate uses: regular files only, bounded size and depth.
      const { parseBlueprintFile } = await import("../../blueprint/parse.js");
      const envs = parseBlueprintFile(file).parsed?.value.environments;
      return envs && typeof envs === "object" && !Array.isArray(envs) ? Object.keys(envs).filter((k) => /^[A-Za-z0-9_-]+$/.test(k)) : [];
    }
  } catch (e) {
    if (process.env.MLPLAT_DEBUG_COMPLETE) process.stderr.write(String(e) + "\n");
    // completion must never print an error into the user's shell
  }
  return [];
}

export function completionScript(shell: Shell, commands: readonly CommandWords[]): string {
  const names = commands.map((c) => c.name).join(" ");
  if (shell === "bash") {
    const cases = commands.map((c) => `    ${c.name}) opts="${c.options.join(" ")}" ;;`).join("\n");
    return `# mlplat bash completion (mlplat completion bash)
_mlplat() {
  local cur prev cmd opts file i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names} --help --version" -- "$cur") ); return
  fi
  case "$prev" in
    --env|-e)
      for ((i=2; i<COMP_CWORD; i++)); do case "\${COMP_WORDS[i]}" in *.yaml|*.yml) file="\${COMP_WORDS[i]}" ;; esac; done
      COMPREPLY=( $(compgen -W "$(mlplat __complete envs "$file" 2>/dev/null)" -- "$cur") ); return ;;
    --template|-t)
      COMPREPLY=( $(compgen -W "$(mlplat __complete templates 2>/dev/null)" -- "$cur") ); return ;;
  esac
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "$opts" -- "$cur") ); else COMPREPLY=( $(compgen -f -- "$cur") ); fi
}
complete -o filenames -F _mlplat mlplat
`;
  }
  if (shell === "zsh") {
    const cases = commands.map((c) => `    ${c.name}) opts=(${c.options.join(" ")}) ;;`).join("\n");
    return `#compdef mlplat
# mlplat zsh completion (mlplat completion zsh)
_mlplat() {
  local -a opts cmds
  local file w
  cmds=(${names})
  if (( CURRENT == 2 )); then compadd -- $cmds --help --version; return; fi
  case "\${words[CURRENT-1]}" in
    --env|-e)
      for w in \${words[@]}; do [[ "$w" == *.y(a|)ml ]] && file="$w"; done
      compadd -- \${(f)"$(mlplat __complete envs "$file" 2>/dev/null)"}; return ;;
    --template|-t)
      compadd -- \${(f)"$(mlplat __complete templates 2>/dev/null)"}; return ;;
  esac
  case "\${words[2]}" in
${cases}
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then compadd -- $opts; else _files; fi
}
compdef _mlplat mlplat
`;
  }
  const lines = commands.flatMap((c) =>
    c.options.filter((o) => o.startsWith("--")).map((o) => `complete -c mlplat -n "__fish_seen_subcommand_from ${c.name}" -l ${o.slice(2)}`),
  );
  return `# mlplat fish completion (mlplat completion fish)
function __mlplat_blueprint
  for w in (commandline -opc)
    string match -qr '\\.ya?ml$' -- $w; and echo $w
  end
end
complete -c mlplat -f
complete -c mlplat -n "__fish_use_subcommand" -a "${names}"
${lines.join("\n")}
complete -c mlplat -l env -s e -x -a "(mlplat __complete envs (__mlplat_blueprint) 2>/dev/null)"
complete -c mlplat -l template -s t -x -a "(mlplat __complete templates 2>/dev/null)"
complete -c mlplat -n "not __fish_use_subcommand" -F
`;
}
