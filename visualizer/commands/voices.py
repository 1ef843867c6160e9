"""`dreamviz voices`: the voices this machine can narrate with."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("voices", help="list the narration voices",
                       description="List the voices of the speech engine (use the id or "
                       "name with --voice).")
    p.add_argument("filter", nargs="?", help="only voices whose id, name or language "
                   "contains this (e.g. en)")
    p.add_argument("--engine", default="auto", choices=("auto", "espeak", "pyttsx3"),
                   help="speech engine")
    p.add_argument("--json", action="store_true", help="machine-readable JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from visualizer.narration import get_narrator

    with contextlib.redirect_stdout(io.StringIO()):
        narrator = get_narrator(args.engine)
        try:
            voices = narrator.voices()
        finally:
            close = getattr(narrator, "close", None)
            if close:
                close()
    if args.filter:
        f = args.filter.lower()
        voices = [v for v in voices if v.id.lower().rsplit("/", 1)[-1].startswith(f)
                  or v.name.lower().startswith(f) or f == v.id.lower()
                  or any(lang.lower().startswith(f) for lang in v.languages)]
    if args.json:
        json.dump({"engine": narrator.engine_id,
                   "voices": [{"id": v.id, "name": v.name, "languages": list(v.languages)}
                              for v in voices]}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not voices:
        print("no voices available" + ("" if narrator.speaks else
                                       " (no speech engine: captions only)"), file=sys.stderr)
        return 1
    wid = max(len(v.id) for v in voices)
    wname = max(len(v.name) for v in voices)
    print(f"{'ID':<{wid}}  {'NAME':<{wname}}  LANGUAGES")
    for v in voices:
        print(f"{v.id:<{wid}}  {v.name:<{wname}}  {', '.join(v.languages)}")
    print(f"\n{len(voices)} voices ({narrator.engine_id}); use --voice ID", file=sys.stderr)
    return 0
