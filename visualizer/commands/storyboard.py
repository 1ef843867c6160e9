"""`dreamviz storyboard DREAM --out FILE.png`: a contact sheet of frames across a dream, each
labelled with its time and the sentence being spoken, to check every image of the text."""

from __future__ import annotations

import argparse
import math
import os
from pathlib import Path

from visualizer.commands.options import size
from visualizer.commands.still import add_dream_options, prepare_quietly

LABEL_LINES = 3
PAD = 8


def _count(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= n <= 200:
        raise argparse.ArgumentTypeError("frames must be between 1 and 200")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "storyboard",
        help="a grid of frames across a dream, labelled with time and sentence",
        description="Render N moments across the dream into one PNG, each labelled with its "
        "time and the sentence being spoken.",
    )
    p.add_argument("dream", help="a dream file (.txt or .dream) or a bundled name")
    p.add_argument("--out", "-o", required=True, type=Path, metavar="FILE.png")
    p.add_argument("--frames", type=_count, default=12, metavar="N",
                   help="number of frames (default 12)")
    p.add_argument("--size", type=size, default=(480, 270), metavar="WxH",
                   help="size of each frame (default 480x270)")
    p.add_argument("--columns", type=_count, default=None, metavar="N",
                   help="frames per row (default: about square)")
    add_dream_options(p)
    p.set_defaults(func=run)


def moments(schedule, n: int) -> list[float]:
    """n times spread over the spoken part of the dream (skipping the silent lead-in and the
    final fade), at the middle of equal slices."""
    if schedule.sentences:
        start = schedule.sentences[0].start
        end = schedule.sentences[-1].end
    else:
        start, end = 0.0, schedule.duration
    end = max(end, start + 1e-3)
    return [start + (end - start) * (i + 0.5) / n for i in range(n)]


def wrap(font, text: str, width: int, lines: int) -> list[str]:
    out: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if font.size(trial)[0] <= width or not line:
            line = trial
            continue
        out.append(line)
        line = word
        if len(out) == lines:
            break
    if line and len(out) < lines:
        out.append(line)
    consumed = sum(len(x.split()) for x in out)
    if consumed < len(text.split()) and out:
        last = out[-1]
        while last and font.size(last + " ...")[0] > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        out[-1] = last + " ..."
    return out


def label_text(schedule, sentence: int | None, t: float) -> str:
    """The sentence being spoken; in a pause, the one just spoken (marked as such)."""
    if sentence is not None:
        return schedule.sentences[sentence].text
    before = [s for s in schedule.sentences if s.start <= t]
    return f"(pause after) {before[-1].text}" if before else "(silence)"


def _clock(seconds: float) -> str:
    m, s = divmod(float(seconds), 60.0)
    return f"{int(m):d}:{s:04.1f}"


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    from visualizer.engine.renderer import Renderer
    from visualizer.engine.snapshot import array_surface, check_png_target, save_png

    out = check_png_target(args.out, force=args.force)
    prepared = prepare_quietly(args)
    schedule = prepared.schedule
    fw, fh = args.size
    n = args.frames
    cols = args.columns or max(1, min(n, math.ceil(math.sqrt(n * fh / fw * 1.6))))
    rows = math.ceil(n / cols)
    pygame.font.init()
    font = pygame.font.Font(None, max(14, fh // 14))
    line_h = font.get_linesize()
    label_h = line_h * (LABEL_LINES + 1) + PAD
    sheet = pygame.Surface((cols * (fw + PAD) + PAD, rows * (fh + label_h + PAD) + PAD))
    sheet.fill((18, 18, 24))
    seed = schedule.seed if args.seed is None else args.seed
    renderer = Renderer(fw, fh, seed=seed, quality=args.quality)
    renderer.follow(schedule.sample)
    for i, t in enumerate(moments(schedule, n)):
        state = schedule.sample(t)
        x = PAD + (i % cols) * (fw + PAD)
        y = PAD + (i // cols) * (fh + label_h + PAD)
        sheet.blit(array_surface(renderer.render(state, t)), (x, y))
        scene = schedule.scenes[state.scene].name if schedule.scenes else ""
        head = f"{_clock(t)}  {scene}"
        sheet.blit(font.render(head, True, (235, 220, 170)), (x, y + fh + 4))
        text = label_text(schedule, state.sentence, t)
        for k, line in enumerate(wrap(font, text, fw, LABEL_LINES)):
            sheet.blit(font.render(line, True, (205, 205, 215)), (x, y + fh + 4 + line_h * (k + 1)))
    save_png(sheet, out)
    print(f"wrote {out} ({n} frames, {sheet.get_width()}x{sheet.get_height()})")
    return 0
