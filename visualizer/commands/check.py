"""`dreamviz check FILE...`: lint scene scripts and dreams, like a compiler would.

Each finding is `file:line:col: message`, then the line and a caret under the column.
Exit 0 when every file is clean, 1 when there is any finding, 2 for usage errors.
"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="lint .dream scripts and .txt dreams (unknown names, misplaced cues, bad values)",
        description="Check scene scripts for mistakes: unknown motifs or palettes (with a "
        "did-you-mean), cue words missing from their scene, empty scenes, values out of "
        "range, unreadable files. Exit 0 when clean, 1 when there are findings.",
    )
    p.add_argument("files", nargs="+", metavar="FILE",
                   help=".dream or .txt files, or bundled names")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    p.set_defaults(func=run)


def check_file(name: str) -> list[str]:
    """Rendered findings for one file (empty when clean)."""
    from pathlib import Path

    from visualizer.errors import DreamError
    from visualizer.resources import resolve_dream
    from visualizer.script import script_from_text
    from visualizer.script.build import check_document
    from visualizer.script.lint import render
    from visualizer.script.parser import parse
    from visualizer.script.reader import read_source

    try:
        path = Path(name) if Path(name).exists() else resolve_dream(name)
        source = read_source(path)
        if path.suffix.lower() != ".dream":
            script = script_from_text(source)
            return [_warning(w, str(path)) for w in script.warnings]
        doc = parse(source)
        _, findings = check_document(doc)
    except DreamError as exc:
        return [str(exc)]
    return [_warning(w, str(path)) for w in doc.warnings] + [render(f, doc) for f in findings]


def _warning(text: str, path: str) -> str:
    """`file:line:col: message` -> `file:line:col: warning: message`."""
    at = text.find(": ", len(path)) if text.startswith(path) else -1
    return f"{text[:at]}: warning: {text[at + 2:]}" if at >= 0 else f"warning: {text}"


def run(args: argparse.Namespace) -> int:
    total = 0
    bad_files = 0
    for name in args.files:
        found = check_file(name)
        for text in found:
            print(text)
        total += len(found)
        bad_files += bool(found)
    if not args.quiet:
        files = len(args.files)
        noun = "file" if files == 1 else "files"
        if total:
            print(f"dreamviz check: {total} finding{'s' * (total != 1)} in {bad_files} of "
                  f"{files} {noun}", file=sys.stderr)
        else:
            print(f"dreamviz check: {files} {noun} clean", file=sys.stderr)
    return 1 if total else 0
