"""`dreamviz preview SCRIPT [--watch] [--at SECONDS]`: a window playing one script, for
authors; with --watch it reloads on save and keeps the playhead."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import Any

from visualizer.commands.options import non_negative_float
from visualizer.commands.play import (
    add_display_options,
    merged,
    player_options,
    renderer_factory,
    setup_logging,
    sink_factory,
    window_for,
)
from visualizer.config import load_settings


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "preview", help="play one script in a window; --watch reloads it when saved",
        description="Play a dream or .dream script in a window (fullscreen with "
        "--fullscreen), looping. With --watch the file is reloaded whenever it is saved and "
        "the playhead kept; a script error is shown on screen and in the terminal while the "
        "last good version keeps playing.")
    p.add_argument("script", metavar="SCRIPT", help="a .dream or .txt file (or bundled name)")
    p.add_argument("--watch", action="store_true", help="reload the script when it is saved")
    p.add_argument("--at", type=non_negative_float, default=0.0, metavar="SECONDS",
                   help="start this many seconds into the dream")
    add_display_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    setup_logging()
    if not args.fullscreen:
        args.windowed = True  # an author's preview sits next to the editor
    settings = merged(args, load_settings())
    settings = replace(settings, sleep_timer=0.0, shuffle=False, loop=True,
                       dim=args.dim if args.dim is not None else 1.0)
    from visualizer.display.loading import make_loader
    from visualizer.display.player import Player
    from visualizer.display.playlist import Playlist
    from visualizer.display.watch import ScriptWatcher
    from visualizer.resources import resolve_dream

    path = resolve_dream(args.script)
    loader = make_loader(voice=settings.voice, rate=settings.rate, ambient=True)

    def report(message: str) -> None:
        print(f"dreamviz: {message}", file=sys.stderr, flush=True)

    watcher = ScriptWatcher(path, loader, report) if args.watch else None
    args.stay = False
    player = Player(
        Playlist([path], loop=True), loader,
        window=window_for(settings, args, f"dreamviz preview \u2014 {path.name}"),
        renderer_factory=renderer_factory, sink_factory=sink_factory,
        options=player_options(settings, args, start_at=args.at, repeat_dream=True, gap=0.0),
        reloader=watcher, report=report,
    )
    return player.run()
