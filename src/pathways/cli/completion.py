"""`pathways completion bash|zsh`: a shell script that completes `pathways` commands.

The script is generated from the command's own parser, so it knows every subcommand, option
and choice of this version: `eval "$(pathways completion bash)"` in `~/.bashrc` (or `zsh` in
`~/.zshrc`). It needs nothing installed but the shell; zsh runs the bash script through
`bashcompinit`.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SHELLS", "Command", "commands", "register", "run", "script"]

SHELLS = ("bash", "zsh")


@dataclass
class Command:
    """What completes after one command line prefix (`""`, `check`, `db upgrade`)."""

    path: str
    subcommands: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    # the options that take a value: their choices, or None for a file name
    values: dict[str, list[str] | None] = field(default_factory=dict)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "completion",
        help="print a shell script that completes pathways commands (bash or zsh)",
        description="Print a script that completes pathways commands, options and choices "
        'as you type. Add eval "$(pathways completion bash)" to ~/.bashrc, or '
        'eval "$(pathways completion zsh)" to ~/.zshrc.',
    )
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathways.cli import build_parser

    print(script(build_parser(), args.shell), end="")
    return 0


def commands(parser: argparse.ArgumentParser, path: str = "") -> Iterator[Command]:
    """Every command of `parser` and its subcommands, with what completes after each."""
    here = Command(path)
    children: list[tuple[str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                here.subcommands.append(name)
                children.append((name, sub))
            continue
        if action.help == argparse.SUPPRESS:
            continue
        here.options.extend(action.option_strings)
        if action.option_strings and action.nargs != 0:
            choices = [str(c) for c in action.choices] if action.choices else None
            here.values.update(dict.fromkeys(action.option_strings, choices))
        elif not action.option_strings and action.choices:
            here.subcommands.extend(str(c) for c in action.choices)
    yield here
    for name, sub in children:
        yield from commands(sub, f"{path} {name}".strip())


def _words(items: list[str]) -> str:
    return shlex.quote(" ".join(items))


def _bash(parser: argparse.ArgumentParser) -> Iterator[str]:
    found = list(commands(parser))
    prog = parser.prog
    yield f'# Completion of {prog} commands for bash: eval "$({prog} completion bash)"'
    yield f"_{prog}_complete() {{"
    yield '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"'
    yield '    local cmd="" word i'
    yield "    for ((i = 1; i < COMP_CWORD; i++)); do"
    yield '        word="${cmd:+$cmd }${COMP_WORDS[i]}"'
    yield '        case "$word" in'
    paths = " | ".join(shlex.quote(c.path) for c in found if c.path)
    yield f'            {paths}) cmd="$word" ;;'
    yield "        esac"
    yield "    done"
    yield '    local subcommands="" options=""'
    yield '    case "$cmd" in'
    for command in found:
        yield (
            f"        {shlex.quote(command.path)}) subcommands={_words(command.subcommands)}; "
            f"options={_words(command.options)} ;;"
        )
    yield "    esac"
    yield '    case "$cmd|$prev" in'
    for command in found:
        for option, choices in command.values.items():
            key = shlex.quote(f"{command.path}|{option}")
            words = "-f" if choices is None else f"-W {_words(choices)}"
            yield f'        {key}) COMPREPLY=($(compgen {words} -- "$cur")); return ;;'
    yield "    esac"
    yield '    if [[ "$cur" == -* ]]; then'
    yield '        COMPREPLY=($(compgen -W "$options" -- "$cur"))'
    yield '    elif [[ -n "$subcommands" ]]; then'
    yield '        COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))'
    yield "    else"
    yield '        COMPREPLY=($(compgen -f -- "$cur"))'
    yield "    fi"
    yield "}"
    yield f"complete -o filenames -F _{prog}_complete {prog}"


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for `shell` (one of `SHELLS`)."""
    lines = list(_bash(parser))
    if shell == "zsh":
        lines[0] = lines[0].replace("bash", "zsh")
        lines[1:1] = [
            "(( $+functions[compdef] )) || { autoload -U +X compinit && compinit; }",
            "autoload -U +X bashcompinit && bashcompinit",
        ]
    return "\n".join(lines) + "\n"
