"""`dreamviz play [DREAM...]`: the fullscreen relaxation player (settings file + options)."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import random
import sys
from pathlib import Path
from typing import Any

from visualizer.commands.options import non_negative_float, positive_float, size
from visualizer.config import QUALITIES, Settings, load_settings

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # before anything imports pygame

LOW_POWER_FPS = 30


def _fraction(text: str) -> float:
    value = non_negative_float(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text!r}")
    return value


def _int_in(lo: int, hi: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo} and {hi}: {text!r}")
        return value

    return parse


def add_display_options(p: argparse.ArgumentParser) -> None:
    """Window options shared by `play` and `preview`."""
    p.add_argument("--windowed", action="store_true", help="a resizable window, not fullscreen")
    p.add_argument("--fullscreen", action="store_true", help="fullscreen (the default)")
    p.add_argument("--size", type=size, default=None, metavar="WxH",
                   help="window size with --windowed (default 1280x720)")
    p.add_argument("--display", type=_int_in(0, 16), default=None, metavar="N",
                   help="monitor to use, 0 = primary")
    p.add_argument("--fps", type=_int_in(10, 240), default=None,
                   help="frame-rate cap, 10..240 (default 60)")
    p.add_argument("--low-power", action="store_true",
                   help=f"cap at {LOW_POWER_FPS} fps and use low quality to save power")
    p.add_argument("--quality", choices=QUALITIES, default=None, help="picture quality")
    p.add_argument("--no-captions", dest="captions", action="store_false", default=None,
                   help="start with captions off (C toggles)")
    p.add_argument("--captions", dest="captions", action="store_true",
                   help="start with captions on")
    p.add_argument("--volume", type=_fraction, default=None, help="voice volume 0..1")
    p.add_argument("--no-ambient", dest="ambient", action="store_false", default=None,
                   help="no ambient sound bed (A toggles)")
    p.add_argument("--voice", default=None, help="voice name or id (see `dreamviz voices`)")
    p.add_argument("--rate", type=_int_in(60, 300), default=None,
                   help="speaking rate, words per minute (60..300)")
    p.add_argument("--dim", type=_fraction, default=None,
                   help="light level 0.05..1 for a dark room (D cycles)")
    p.add_argument("--duration", type=positive_float, default=None, metavar="SECONDS",
                   help="stop after this many seconds (kiosks, tests)")
    p.add_argument("--no-hints", dest="hints", action="store_false",
                   help="do not show the key hints at start")
    p.add_argument("--screenshot", default=None, metavar="FILE.png",
                   help="save the screen when the first dream reaches --screenshot-at "
                   "seconds, then exit")
    p.add_argument("--force", action="store_true", help="overwrite an existing --screenshot")
    p.add_argument("--screenshot-at", type=non_negative_float, default=10.0,
                   metavar="SECONDS", help="seconds into the dream for --screenshot "
                   "(default 10)")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "play", help="play dreams fullscreen with narration (the relaxation display)",
        description="Play dreams fullscreen: picture, voice and ambient sound, all night. "
        "Keys: Space pause, \u2190/\u2192 sentence, N next dream, C captions, M mute, "
        "A ambient, +/- volume, D dimmer, F fullscreen, H hints, Esc/Q quit. "
        "Defaults come from the settings file (see `dreamviz config --show`).")
    p.add_argument("dreams", nargs="*", metavar="DREAM",
                   help="dream files, folders or bundled names (default: the bundled dreams)")
    add_display_options(p)
    p.add_argument("--once", action="store_true", help="play the list once, then exit")
    p.add_argument("--loop", action="store_true", help="loop the list (the default)")
    p.add_argument("--shuffle", action="store_true", default=None, help="random order")
    p.add_argument("--seed", type=int, default=None, help="shuffle seed (repeatable order)")
    p.add_argument("--sleep-timer", type=positive_float, default=None, metavar="MINUTES",
                   help="fade voice, sound and light over the last minute, then stop")
    p.add_argument("--stay", action="store_true",
                   help="with --sleep-timer: stay dark instead of exiting")
    p.add_argument("--gap", type=non_negative_float, default=4.0, metavar="SECONDS",
                   help="quiet dark gap between dreams (default 4)")
    p.set_defaults(func=run)


def merged(args: argparse.Namespace, settings: Settings) -> Settings:
    """The settings file with the command line on top (an option given always wins)."""
    from dataclasses import replace

    changes: dict[str, Any] = {}
    if getattr(args, "windowed", False):
        changes["fullscreen"] = False
    elif getattr(args, "fullscreen", False):
        changes["fullscreen"] = True
    for key in ("display", "fps", "quality", "captions", "volume", "ambient", "voice",
                "rate", "dim"):
        value = getattr(args, key, None)
        if value is not None:
            changes[key] = value
    if getattr(args, "low_power", False):
        changes["fps"] = min(changes.get("fps", settings.fps), LOW_POWER_FPS)
        if "quality" not in changes:
            changes["quality"] = "low"
    if getattr(args, "sleep_timer", None) is not None:
        changes["sleep_timer"] = args.sleep_timer
    if getattr(args, "shuffle", None):
        changes["shuffle"] = True
    if getattr(args, "once", False):
        changes["loop"] = False
    elif getattr(args, "loop", False):
        changes["loop"] = True
    if "dim" in changes:
        changes["dim"] = max(0.05, changes["dim"])
    return replace(settings, **changes)


def setup_logging() -> None:
    logger = logging.getLogger("dreamviz")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("dreamviz: %(message)s"))
        logger.addHandler(handler)
        # DREAMVIZ_LOG=info shows what the player decides (quality steps, first frame time)
        wanted = os.environ.get("DREAMVIZ_LOG", "warning").upper()
        logger.setLevel(wanted if wanted in ("DEBUG", "INFO", "WARNING", "ERROR") else "WARNING")
        logger.propagate = False


def renderer_factory(width: int, height: int, seed: int, quality: str) -> Any:
    """The engine's renderer; plain colours if the engine cannot be imported."""
    try:
        module = importlib.import_module("visualizer.engine.renderer")
    except ImportError as exc:
        if exc.name != "visualizer.engine.renderer":
            raise
        from visualizer.display.guard import PlainRenderer

        return PlainRenderer(width, height, seed, quality)
    return module.Renderer(width, height, seed=seed, quality=quality)


_SAID: set[str] = set()


def _note_once(message: str) -> None:
    """The sink's notes, each said once: the player re-creates the sink every few seconds
    while a device is missing, and the terminal should not fill with the same line."""
    if message not in _SAID:
        _SAID.add(message)
        print(f"dreamviz: {message}", file=sys.stderr)


def sink_factory() -> Any:
    """The pygame mixer sink; silence (wall clock) when there is no audio layer or device."""
    try:
        module = importlib.import_module("visualizer.audio.mixer_sink")
    except ImportError as exc:
        if exc.name != "visualizer.audio.mixer_sink":
            raise
        from visualizer.display.player import SilentSink

        return SilentSink()
    return module.MixerSink(note=_note_once)  # says so, once, when there is no device


def window_for(settings: Settings, args: argparse.Namespace, title: str) -> Any:
    from visualizer.display.window import Window

    return Window(fullscreen=settings.fullscreen, size=args.size or (1280, 720),
                  display=settings.display, title=title)


def player_options(settings: Settings, args: argparse.Namespace, **extra: Any) -> Any:
    from visualizer.display.player import PlayerOptions

    return PlayerOptions(
        fps=settings.fps, captions=settings.captions, volume=settings.volume,
        ambient=settings.ambient, dim=settings.dim, quality=settings.quality,
        sleep_timer=settings.sleep_timer * 60.0, stay=getattr(args, "stay", False),
        duration=args.duration, hints=args.hints, screenshot=args.screenshot,
        screenshot_at=args.screenshot_at, **extra)


def run(args: argparse.Namespace) -> int:
    if args.screenshot:
        from visualizer.engine.snapshot import check_png_target

        check_png_target(Path(args.screenshot), force=args.force)
    setup_logging()
    settings = merged(args, load_settings())
    from visualizer.display.loading import make_loader
    from visualizer.display.player import Player
    from visualizer.display.playlist import Playlist, collect

    paths = collect(args.dreams)
    rng = random.Random(args.seed)
    playlist = Playlist(paths, loop=settings.loop, shuffle=settings.shuffle, rng=rng)
    loader = make_loader(voice=settings.voice, rate=settings.rate, ambient=True)
    player = Player(
        playlist, loader,
        window=window_for(settings, args, "dreamviz"),
        renderer_factory=renderer_factory,
        sink_factory=sink_factory,
        options=player_options(settings, args, gap=args.gap),
    )
    return player.run()
