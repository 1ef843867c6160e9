"""The `dreamviz` command: one subcommand per module in `visualizer/commands/`.

Each command module defines `register(subparsers)` and sets `func=run` on its parser, where
`run(args) -> int`. Errors the user can fix arrive as `DreamError` and print as one line.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from visualizer import __version__
from visualizer.errors import DreamError

COMMANDS = (
    "play",
    "narrate",
    "still",
    "storyboard",
    "timeline",
    "draft",
    "check",
    "motifs",
    "voices",
    "preview",
    "render",
    "bench",
    "config",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """Usage errors: one line and exit 2, like every other error here."""
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dreamviz",
        description="Turn a written dream into a slow, narrated audiovisual experience.",
    )
    parser.add_argument("--version", action="version", version=f"dreamviz {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"visualizer.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"visualizer.commands.{name}":
                continue  # not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except DreamError as exc:
        print(f"dreamviz: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dreamviz: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last line of defence: never a traceback for users
        if os.environ.get("DREAMVIZ_DEBUG"):
            raise
        name = type(exc).__name__
        print(f"dreamviz: internal error: {name}: {exc} (DREAMVIZ_DEBUG=1 shows details)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
