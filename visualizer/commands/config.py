"""`dreamviz config`: show, create or change the settings file that `play` starts from."""

from __future__ import annotations

import argparse
from typing import Any

from visualizer.config import (
    KEYS,
    Settings,
    config_path,
    load_settings,
    set_value,
    to_toml,
    write_default,
)
from visualizer.errors import UsageError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "config", help="show or change the settings `play` starts with",
        description="Settings live in a TOML file in the user config dir "
        "(DREAMVIZ_CONFIG_DIR overrides); options given to `play` override them. "
        f"Keys: {', '.join(KEYS)}.")
    p.add_argument("--show", action="store_true",
                   help="print the file's path and every value (the default)")
    p.add_argument("--path", action="store_true", help="print only the file's path")
    p.add_argument("--init", action="store_true",
                   help="write a commented file with the defaults")
    p.add_argument("--force", action="store_true", help="with --init: overwrite")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="change one setting (repeatable), e.g. --set dim=0.3")
    p.set_defaults(func=run)


def show(settings: Settings) -> str:
    default = Settings()
    lines = []
    for line in to_toml(settings, comments=False).splitlines():
        key = line.split(" = ", 1)[0]
        note = "  # default" if getattr(settings, key) == getattr(default, key) else ""
        lines.append(f"{line}{note}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    path = config_path()
    if args.path:
        print(path)
        return 0
    if args.init:
        write_default(path, force=args.force)
        print(f"wrote {path}")
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--set wants KEY=VALUE, not {item!r}")
        set_value(key.strip(), value.strip(), path)
    settings = load_settings(path)
    state = "" if path.exists() else " (not created yet: defaults; `dreamviz config --init`)"
    print(f"# {path}{state}")
    print(show(settings))
    return 0

