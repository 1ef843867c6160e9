"""`dreamviz still DREAM --at SECONDS --out FILE.png`: one frame of a dream, as a PNG."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from pathlib import Path

from visualizer.commands.options import non_negative_float, size

QUALITIES = ("low", "medium", "high")


def add_dream_options(p: argparse.ArgumentParser) -> None:
    """Options shared by still and storyboard: picture seed, quality, voice timing."""
    p.add_argument("--seed", type=int, help="picture seed (default: the script's seed)")
    p.add_argument("--quality", choices=QUALITIES, default="high",
                   help="picture quality (default high)")
    p.add_argument("--voice", help="voice name, for exact narration timing")
    p.add_argument("--rate", type=int, help="narration rate in words per minute")
    p.add_argument("--no-voice", action="store_true",
                   help="time the dream at reading pace instead of synthesizing the voice")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "still",
        help="render one frame of a dream to a PNG",
        description="Render the picture at one moment of a dream. The same dream, time, size "
        "and seed always give the same image.",
    )
    p.add_argument("dream", help="a dream file (.txt or .dream) or a bundled name")
    p.add_argument("--at", type=non_negative_float, default=10.0, metavar="SECONDS",
                   help="moment to render, in seconds from the start (default 10)")
    p.add_argument("--out", "-o", required=True, type=Path, metavar="FILE.png")
    p.add_argument("--size", type=size, default=(1280, 720), metavar="WxH",
                   help="picture size (default 1280x720)")
    add_dream_options(p)
    p.set_defaults(func=run)


def prepare_quietly(args: argparse.Namespace):  # -> pipeline.Prepared
    """Load and time the dream; TTS chatter is kept off stdout."""
    from visualizer import pipeline

    script = pipeline.load(args.dream)
    voice = pipeline.effective_voice(script, rate=args.rate, name=args.voice)
    narrator = None
    if args.no_voice:
        from visualizer.narration import ReadingPaceNarrator

        narrator = ReadingPaceNarrator(reason="--no-voice")
    with contextlib.redirect_stdout(io.StringIO()):
        prepared = pipeline.prepare(script, narrator=narrator, voice=voice)
    for warning in prepared.warnings:
        print(f"dreamviz: warning: {warning}", file=sys.stderr)
    return prepared


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from visualizer.engine.renderer import Renderer
    from visualizer.engine.snapshot import array_surface, check_png_target, save_png
    from visualizer.errors import DreamError

    out = check_png_target(args.out, force=args.force)
    prepared = prepare_quietly(args)
    schedule = prepared.schedule
    if args.at > schedule.duration:
        raise DreamError(f"--at {args.at:g} is past the end of the dream "
                         f"({schedule.duration:.1f} s)", path=str(prepared.path), exit_code=2)
    width, height = args.size
    seed = schedule.seed if args.seed is None else args.seed
    renderer = Renderer(width, height, seed=seed, quality=args.quality)
    renderer.follow(schedule.sample)
    frame = renderer.render(schedule.sample(args.at), args.at)
    save_png(array_surface(frame), out)
    print(f"wrote {out} ({width}x{height}, t={args.at:g} s, seed {seed})")
    return 0
