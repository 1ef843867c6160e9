"""`dreamviz narrate DREAM`: the dream read aloud with no window, or written to a WAV file."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

import numpy as np

from visualizer.commands.options import positive_float
from visualizer.errors import DreamError, UsageError

SAMPLE_RATE = 22050


def _rate(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 60 <= value <= 400:
        raise argparse.ArgumentTypeError(f"rate {value} out of range 60..400 words a minute")
    return value


def _volume(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 2.0:
        raise argparse.ArgumentTypeError(f"volume {text} out of range 0..2 (1 is normal)")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "narrate",
        help="read a dream aloud without a window, or write it to a WAV file",
        description="Narration only: speaks the dream through the sound device and shows "
        "each sentence as it is spoken (Space pauses, arrows skip sentences, Q quits). With "
        "--out, writes the narration to a WAV file faster than real time instead.",
    )
    p.add_argument("dream", help="a dream file (.txt or .dream) or a bundled name")
    p.add_argument("--out", metavar="FILE.wav", help="write a WAV file instead of playing")
    p.add_argument("--force", action="store_true",
                   help="overwrite an existing --out or --captions file")
    p.add_argument("--ambient", action=argparse.BooleanOptionalAction, default=None,
                   help="mix the ambient soundscape under the voice (default: on when "
                   "playing, off with --out)")
    p.add_argument("--captions", metavar="FILE", help="also write captions (.srt or .vtt)")
    p.add_argument("--voice", help="voice name or id (see `dreamviz voices`)")
    p.add_argument("--rate", type=_rate, metavar="WPM",
                   help="words per minute (default: the script's, a calm 140)")
    p.add_argument("--volume", type=_volume, metavar="V", help="voice volume 0..2 (1 normal)")
    p.add_argument("--sleep-timer", type=positive_float, metavar="MINUTES",
                   help="fade out over the last minute and stop after this many minutes")
    p.add_argument("--engine", default="auto", choices=("auto", "espeak", "pyttsx3", "none"),
                   help="speech engine (none: captions at reading pace, silent)")
    p.add_argument("--json", action="store_true",
                   help="machine-readable output: a summary with --out, else one JSON "
                   "line per sentence as it is spoken")
    p.set_defaults(func=run)


def _check_out(args: argparse.Namespace) -> Path | None:
    if not args.out:
        return None
    out = Path(args.out).expanduser()
    if out.suffix.lower() != ".wav":
        raise UsageError(f"--out must be a .wav file, not {out.name!r}")
    if out.is_dir():
        raise DreamError("is a folder, not a file", path=str(out))
    if out.exists() and not args.force:
        raise DreamError("already exists (use --force to overwrite)", path=str(out))
    if not out.parent.is_dir():
        raise DreamError("no such folder", path=str(out.parent))
    return out


def _check_captions(args: argparse.Namespace) -> Path | None:
    if not args.captions:
        return None
    path = Path(args.captions).expanduser()
    if path.suffix.lower() not in (".srt", ".vtt"):
        raise UsageError(f"--captions must end in .srt or .vtt, not {path.name!r}")
    if not path.parent.is_dir():
        raise DreamError("no such folder", path=str(path.parent))
    if path.exists() and not args.force:
        raise DreamError("already exists (use --force to overwrite)", path=str(path))
    return path


def prepare(args: argparse.Namespace) -> Any:
    """Script -> voice -> schedule, with TTS chatter kept off stdout."""
    from visualizer import pipeline
    from visualizer.narration import get_narrator

    script = pipeline.load(args.dream)
    voice = pipeline.effective_voice(script, name=args.voice, rate=args.rate,
                                     volume=args.volume)
    chatter = io.StringIO()
    with contextlib.redirect_stdout(chatter):
        narrator = get_narrator(args.engine)
        try:
            prepared = pipeline.prepare(script, narrator=narrator, voice=voice)
        finally:
            close = getattr(narrator, "close", None)
            if close:
                close()
    for warning in prepared.warnings:
        print(f"dreamviz: warning: {warning}", file=sys.stderr)
    return prepared


def run(args: argparse.Namespace) -> int:
    out = _check_out(args)
    captions = _check_captions(args)
    prepared = prepare(args)
    schedule = prepared.schedule
    if captions is not None:
        from visualizer.narration.captions import write_captions

        write_captions(captions, schedule)
    if out is not None:
        return _write(args, prepared, out, captions)
    return _play(args, prepared)


def sleep_fade(pcm: np.ndarray, sample_rate: int, minutes: float | None) -> np.ndarray:
    """Cut at the sleep timer, fading out over its last minute (or all of it if shorter)."""
    if minutes is None:
        return pcm
    end = min(len(pcm), int(minutes * 60 * sample_rate))
    fade = min(end, int(min(60.0, minutes * 60) * sample_rate))
    out = pcm[:end].copy()
    if fade:
        ramp = np.linspace(1.0, 0.0, fade, dtype=np.float32)
        out[end - fade:] = (out[end - fade:].astype(np.float32) * ramp).astype(np.int16)
    return out


def _tracks(prepared: Any, ambient: bool) -> tuple[np.ndarray, np.ndarray | None, int]:
    from visualizer.audio.mixdown import narration_track

    utts = list(prepared.utterances)
    sr = utts[0].sample_rate if utts else SAMPLE_RATE
    voice = narration_track(prepared.schedule, utts, sr)
    bed = None
    if ambient:
        from visualizer.audio.ambient import ambient_track

        bed = ambient_track(prepared.schedule, sr, voice_track=voice)
    return voice, bed, sr


def _write(args: argparse.Namespace, prepared: Any, out: Path, captions: Path | None) -> int:
    from visualizer.audio.mixdown import mix
    from visualizer.audio.wav import write_wav

    voice, bed, sr = _tracks(prepared, bool(args.ambient))
    pcm = sleep_fade(mix(voice, bed) if bed is not None else voice, sr, args.sleep_timer)
    try:
        write_wav(out, pcm, sr)
    except OSError as exc:
        raise DreamError(f"cannot write: {exc.strerror or exc}", path=str(out)) from None
    seconds = len(pcm) / sr
    if args.json:
        data = {"out": str(out), "duration": round(seconds, 3), "sample_rate": sr,
                "speaks": bool(prepared.speaks), "ambient": bed is not None,
                "captions": str(captions) if captions else None,
                "sentences": [{"start": round(s.start, 3), "end": round(s.end, 3),
                               "text": s.text} for s in prepared.schedule.sentences]}
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        m, s = divmod(seconds, 60)
        what = "narration" if prepared.speaks else "silence (no voice)"
        print(f"wrote {out}: {int(m)}:{s:04.1f} of {what}, "
              f"{len(prepared.schedule.sentences)} sentences"
              + (", with ambient sound" if bed is not None else ""))
    return 0


def _play(args: argparse.Namespace, prepared: Any) -> int:
    from visualizer.audio.mixer_sink import MixerSink
    from visualizer.clock import SystemClock
    from visualizer.narration.session import NarrationSession
    from visualizer.narration.terminal import is_interactive, raw_keys

    ambient = True if args.ambient is None else args.ambient
    voice, bed, sr = _tracks(prepared, ambient)
    clock = SystemClock()
    sink = MixerSink(clock, sample_rate=sr)
    sink.load(voice, bed, sr)
    interactive = is_interactive() and not args.json
    stop = {"now": False}

    def on_term(signum: int, frame: object) -> None:
        stop["now"] = True

    old = signal.signal(signal.SIGTERM, on_term)
    keys_cm = raw_keys() if interactive else contextlib.nullcontext(None)
    try:
        with keys_cm as keys:
            if interactive:
                sys.stdout.write(f"\x1b[?25l{prepared.schedule.title}\n")
            session = NarrationSession(
                prepared.schedule, sink, clock, sys.stdout, interactive=interactive,
                keys=keys, sleep_timer=args.sleep_timer * 60 if args.sleep_timer else None,
                json_lines=args.json, width=lambda: shutil.get_terminal_size().columns,
                stop_requested=lambda: stop["now"])
            outcome = session.run()
    finally:
        if interactive:
            sys.stdout.write("\x1b[?25h")
            sys.stdout.flush()
        signal.signal(signal.SIGTERM, old)
        sink.close()
    if args.json:
        print(json.dumps({"event": "done", "reason": outcome.reason,
                          "position": round(outcome.position, 3)}))
    elif outcome.reason == "sleep":
        print("sleep timer: good night", file=sys.stderr)
    return 143 if outcome.reason == "signal" else 0


