"""`dreamviz timeline DREAM --json`: the schedule with real narration times."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "timeline",
        help="print the schedule of a dream (sentences, scenes, cues)",
        description="Print when each sentence is spoken, when scenes change and when each "
        "motif is cued. Times come from the real synthesized narration.",
    )
    p.add_argument("dream", help="a dream file (.txt or .dream) or a bundled name")
    p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    p.add_argument("--rate", type=int, help="narration rate in words per minute")
    p.add_argument("--voice", help="voice name (see `dreamviz voices`)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from visualizer import pipeline

    script = pipeline.load(args.dream)
    voice = pipeline.effective_voice(script, rate=args.rate, name=args.voice)
    # TTS engines may chatter on stdout; keep it out of machine-readable output
    chatter = io.StringIO()
    with contextlib.redirect_stdout(chatter):
        prepared = pipeline.prepare(script, voice=voice)
    for warning in prepared.warnings:
        print(f"dreamviz: warning: {warning}", file=sys.stderr)
    data = prepared.schedule.to_json()
    if not prepared.speaks:
        data["voice"] = "none (captions at reading pace)"
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"{data['title']}  ({_clock(data['duration'])})")
    for scene in data["scenes"]:
        print(f"\n[{_clock(scene['start'])}] scene {scene['name']}: palette {scene['palette']}, "
              f"{scene['sky']}, {scene['ground']}, mood {scene['mood']}")
        for s in data["sentences"]:
            if s["scene"] == scene["index"]:
                cues = [c for c in data["cues"] if c["sentence"] == s["index"]]
                marks = "".join(f"  <{c['motif']} @ {c['word']}>" for c in cues)
                print(f"  {_clock(s['start'])}  {s['text']}{marks}")
    return 0


def _clock(seconds: float) -> str:
    m, s = divmod(float(seconds), 60.0)
    return f"{int(m):d}:{s:04.1f}"
