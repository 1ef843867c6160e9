"""`dreamviz draft DREAM [--out FILE] [--force]`: the auto-direction as an editable script."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from visualizer.errors import DreamError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "draft",
        help="write how a dream would be staged as an editable .dream script",
        description="Stage a dream automatically and write it out as a .dream script with "
        "every scene and cue spelled out, ready to edit. Prints to stdout unless --out "
        "is given; never overwrites a file without --force.",
    )
    p.add_argument("dream", help="a dream file (.txt or .dream) or a bundled name")
    p.add_argument("-o", "--out", metavar="FILE", help="write the script here")
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.set_defaults(func=run)


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, so a crash never leaves half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    from visualizer.resources import resolve_dream
    from visualizer.script import load_script
    from visualizer.script.draft import draft_text

    source = resolve_dream(args.dream)
    script = load_script(source)
    for warning in script.warnings:
        print(f"dreamviz: warning: {warning}", file=sys.stderr)
    text = draft_text(script, source.name)
    if not args.out:
        sys.stdout.write(text)
        return 0
    out = Path(args.out).expanduser()
    if out.is_dir():
        raise DreamError("is a folder; give a file name for the script", path=str(out))
    if out.exists() and out.resolve() == source.resolve():
        raise DreamError("refusing to overwrite the dream being drafted", path=str(out))
    if out.exists() and not args.force:
        raise DreamError("already exists (use --force to overwrite it)", path=str(out))
    if not out.parent.is_dir():
        raise DreamError("no such folder", path=str(out.parent))
    try:
        write_atomic(out, text)
    except OSError as exc:
        raise DreamError(f"cannot write: {exc.strerror or exc}", path=str(out)) from None
    print(f"dreamviz: wrote {out} ({len(script.scenes)} scenes, {len(script.cues)} cues)",
          file=sys.stderr)
    return 0
