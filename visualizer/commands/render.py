"""`dreamviz render DREAM --out FILE.mp4`: the dream as a video to share or play on a TV."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Any

from visualizer.commands.options import non_negative_float, size


def _fps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"fps must be a whole number, not {text!r}") from None
    if not 1 <= value <= 120:
        raise argparse.ArgumentTypeError(f"fps {value} out of range 1..120")
    return value


def _out_path(text: str) -> Path:
    return Path(text).expanduser()


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"jobs must be a whole number, not {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"jobs {value} out of range 1..64")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "render",
        help="render a dream to an MP4 video (H.264 + AAC)",
        description="Render a dream headless to a video with narration and ambient sound, "
        "faster than real time. The file appears only when complete; an existing file is "
        "kept unless --force.",
    )
    p.add_argument("dream", help="a dream file (.txt or .dream) or a bundled name")
    p.add_argument("--out", "-o", required=True, type=_out_path, metavar="FILE.mp4",
                   help="the video to write")
    p.add_argument("--size", type=size, default=(1280, 720), metavar="WxH",
                   help="frame size (default 1280x720; width and height even)")
    p.add_argument("--fps", type=_fps, default=30, help="frames per second (default 30)")
    p.add_argument("--quality", choices=("low", "medium", "high"), default="medium",
                   help="picture detail and encoding quality (default medium)")
    p.add_argument("--captions", choices=("burn", "vtt"),
                   help="burn captions into the picture, or write FILE.vtt beside the video")
    p.add_argument("--no-ambient", dest="ambient", action="store_false",
                   help="narration only, no ambient sound bed")
    p.add_argument("--seed", type=int, help="picture seed (default: the script's seed)")
    p.add_argument("--start", type=non_negative_float, default=0.0, metavar="S",
                   help="begin S seconds into the dream (check a script's staging)")
    p.add_argument("--duration", type=non_negative_float, metavar="S",
                   help="render only S seconds (default: to the end of the dream)")
    p.add_argument("--voice", help="voice name (see `dreamviz voices`)")
    p.add_argument("--rate", type=int, help="narration rate in words per minute")
    p.add_argument("--jobs", "-j", type=_jobs, metavar="N",
                   help="processes painting frames (default: one per core for long videos)")
    p.add_argument("--force", "-f", action="store_true", help="overwrite an existing file")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # the renderer is numpy: no window
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from visualizer.errors import DreamError
    from visualizer.export import ExportSettings
    from visualizer.export.output import check_target, sigterm_interrupts

    width, height = args.size
    if args.duration is not None and args.duration <= 0:
        raise DreamError("--duration must be more than 0 seconds", exit_code=2)
    settings = ExportSettings(
        width=width, height=height, fps=args.fps, quality=args.quality,
        captions=args.captions, ambient=args.ambient, seed=args.seed,
        duration=args.duration, start=args.start, force=args.force, jobs=args.jobs,
    )
    check_target(args.out, args.force)  # fail before the narration is synthesized
    with sigterm_interrupts():  # SIGTERM at any stage cleans up like Ctrl-C
        return _render(args, settings)


def _render(args: argparse.Namespace, settings: Any) -> int:
    from visualizer import pipeline
    from visualizer.export.make import render_prepared

    width, height = args.size
    script = pipeline.load(args.dream)
    voice = pipeline.effective_voice(script, rate=args.rate, name=args.voice)
    from visualizer.narration import get_narrator

    narrator = get_narrator()
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # TTS engines may chatter on stdout
            prepared = pipeline.prepare(script, narrator=narrator, voice=voice)
    finally:
        close = getattr(narrator, "close", None)
        if close is not None:  # the voice is all synthesized: free its worker process
            close()
    for warning in prepared.warnings:
        print(f"dreamviz: warning: {warning}", file=sys.stderr)
    result = render_prepared(prepared, args.out, settings, quiet=args.quiet)
    mb = result.bytes / 1e6
    print(f"wrote {result.path} ({result.seconds:.1f} s, {width}x{height} @ {args.fps} fps, "
          f"{mb:.1f} MB) in {result.elapsed:.1f} s ({result.speed:.1f}x real time)")
    if result.captions is not None:
        print(f"wrote {result.captions}")
    return 0
