"""Captions drawn into the exported frames: soft warm text low in the frame, the word being
spoken a little warmer, fading in and out with each sentence.

Text is rasterised with pygame.font once per (sentence, highlighted word) into a small
premultiplied RGBA patch and cached; per frame only the caption's box is blended, with
buffers allocated once per sentence, never per frame."""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Sequence

import numpy as np

from visualizer.export.timing import CaptionCue

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

from visualizer.display.fonts import font_file

TEXT = (236, 230, 218)
SPOKEN = (255, 226, 170)
SHADOW_ALPHA = 0.55
FADE_IN = 0.4
FADE_OUT = 0.6
MAX_LINES = 4


def _smooth(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3 - 2 * x)


class _Patch:
    """A rendered caption: premultiplied colour (h, w, 3) and alpha (h, w, 1), float32,
    plus scratch buffers of the same box for blending."""

    def __init__(self, rgba: np.ndarray) -> None:
        alpha = rgba[..., 3:4].astype(np.float32) / 255.0
        self.alpha = alpha
        self.color = rgba[..., :3].astype(np.float32) * alpha
        self.mix = np.empty_like(self.color)
        self.keep = np.empty_like(alpha)


class CaptionBurner:
    """`apply(frame, t)` draws the caption due at time t into the uint8 frame in place."""

    def __init__(self, cues: Sequence[CaptionCue], width: int, height: int) -> None:
        self.cues = list(cues)
        self.w, self.h = int(width), int(height)
        if not pygame.font.get_init():
            pygame.font.init()
        self.size = max(10, round(min(self.h * 0.046, self.w * 0.034)))
        self.font = pygame.font.Font(font_file(), self.size)  # the player's caption font
        self.pad = max(2, self.size // 8)
        self._layout_for: int | None = None
        self._lines: list[list[tuple[int, str]]] = []
        self._patches: dict[tuple[int, int], _Patch] = {}
        self._starts = [c.start for c in self.cues]

    # which caption, which word
    def cue_at(self, t: float) -> CaptionCue | None:
        i = bisect.bisect_right(self._starts, t) - 1
        if i >= 0 and t < self.cues[i].end:
            return self.cues[i]
        return None

    @staticmethod
    def word_at(cue: CaptionCue, t: float) -> int:
        """Char offset of the word being spoken, or -1 (before the first / after the last)."""
        current = -1
        for char, start, end in cue.words:
            if start <= t < end:
                return char
            if start <= t:
                current = char if t < end else -1
        return current

    def opacity(self, cue: CaptionCue, t: float) -> float:
        return _smooth((t - cue.start) / FADE_IN) * _smooth((cue.end - t) / FADE_OUT)

    # layout and rasterising (once per sentence / word)
    def _layout(self, cue: CaptionCue) -> list[list[tuple[int, str]]]:
        """The cue's own lines (its "\n"), each wrapped again if wider than 84% of the
        frame; tokens keep their char offset in the cue text for highlighting."""
        max_w = self.w * 0.84
        lines: list[list[tuple[int, str]]] = []
        offset = 0
        for raw in cue.text.split("\n"):
            tokens = [(offset + m.start(), m.group()) for m in re.finditer(r"\S+", raw)]
            offset += len(raw) + 1
            line: list[tuple[int, str]] = []
            for tok in tokens:
                trial = " ".join(t for _, t in [*line, tok])
                if line and self.font.size(trial)[0] > max_w:
                    lines.append(line)
                    line = []
                line.append(tok)
            if line:
                lines.append(line)
        if len(lines) > MAX_LINES:  # only for absurdly long cues: keep it on screen
            flat = [tok for line in lines for tok in line]
            per = -(-len(flat) // MAX_LINES)
            lines = [flat[i:i + per] for i in range(0, len(flat), per)]
        return lines or [[]]

    def _raster(self, cue: CaptionCue, spoken: int) -> _Patch:
        if self._layout_for != cue.index:
            self._layout_for = cue.index
            self._lines = self._layout(cue)
            self._patches.clear()
        font = self.font
        space = font.size(" ")[0]
        line_h = font.get_linesize()
        widths = [font.size(" ".join(t for _, t in line))[0] for line in self._lines]
        box_w = min(self.w, max(widths) + 4 * self.pad)
        box_h = min(self.h, line_h * len(self._lines) + 4 * self.pad)
        text = pygame.Surface((box_w, box_h), pygame.SRCALPHA)
        shadow = pygame.Surface((box_w, box_h), pygame.SRCALPHA)
        for row, line in enumerate(self._lines):
            x = (box_w - widths[row]) // 2
            y = 2 * self.pad + row * line_h
            for char, tok in line:
                word_end = char + len(tok)
                color = SPOKEN if char <= spoken < word_end else TEXT
                text.blit(font.render(tok, True, color), (x, y))
                shadow.blit(font.render(tok, True, (0, 0, 0)), (x, y))
                x += font.size(tok)[0] + space
        rgba = np.dstack((pygame.surfarray.array3d(text), pygame.surfarray.array_alpha(text)))
        rgba = np.ascontiguousarray(rgba.transpose(1, 0, 2))
        # A soft dark halo under the text keeps it readable over bright sky or glow.
        sh = pygame.surfarray.array_alpha(shadow).T.astype(np.float32) / 255.0
        halo = np.zeros_like(sh)
        r = self.pad
        for dy in range(-r, r + 1):
            for dx in range(-r, r + 1):
                w = 1.0 / (1.0 + dx * dx + dy * dy)
                shifted = np.roll(np.roll(sh, dy, axis=0), dx, axis=1)
                np.maximum(halo, shifted * w, out=halo)
        a_text = rgba[..., 3].astype(np.float32) / 255.0
        a_shadow = halo * SHADOW_ALPHA
        alpha = a_text + a_shadow * (1 - a_text)
        premultiplied = rgba[..., :3].astype(np.float32) * a_text[..., None]
        out = np.empty((box_h, box_w, 4), dtype=np.float32)
        safe = np.maximum(alpha, 1e-6)[..., None]
        out[..., :3] = premultiplied / safe
        out[..., 3] = alpha * 255.0
        return _Patch(np.clip(out, 0, 255))

    def patch(self, cue: CaptionCue, t: float) -> _Patch:
        key = (cue.index, self.word_at(cue, t))
        p = self._patches.get(key)
        if p is None:
            p = self._raster(cue, key[1])
            self._patches[key] = p
        return p

    def apply(self, frame: np.ndarray, t: float) -> None:
        cue = self.cue_at(t)
        if cue is None:
            return
        o = self.opacity(cue, t)
        if o <= 0.0:
            return
        p = self.patch(cue, t)
        bh, bw = p.alpha.shape[:2]
        x0 = (self.w - bw) // 2
        y0 = max(0, int(self.h * 0.93) - bh)
        region = frame[y0:y0 + bh, x0:x0 + bw]
        # region = region * (1 - a*o) + color*o
        np.multiply(p.alpha, -o, out=p.keep)
        p.keep += 1.0
        np.multiply(region, p.keep, out=p.mix)
        p.mix += p.color * o if o < 1.0 else p.color
        p.mix += 0.5
        np.copyto(region, p.mix, casting="unsafe")
