"""Captions: the sentence being read, soft and large at the bottom, the spoken word warm.

Readable from across a bedroom: the size follows the screen height, words sit over a faint
dark band with a blurred shadow. Nothing is rendered per frame: word surfaces are made when
a sentence first shows, and the caption picture is recomposed only when the word changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pygame

from visualizer.display.fonts import font
from visualizer.timeline.model import SceneState

SPOKEN = (236, 232, 240)
CURRENT = (255, 222, 168)
COMING = (178, 176, 196)
FADE_IN = 0.5
FADE_OUT = 1.2
MAX_LINES = 2


@dataclass(frozen=True)
class Layout:
    """Where each word of a sentence sits, in lines that fit the screen width."""

    lines: tuple[tuple[int, ...], ...]  # word indices per line
    x: tuple[int, ...]  # x of each word within its line
    widths: tuple[int, ...]  # width of each line


def layout(widths: Sequence[int], space: int, max_width: int) -> Layout:
    """Greedy word wrap (a word wider than the line gets a line of its own)."""
    lines: list[list[int]] = [[]]
    xs: list[int] = []
    line_widths = [0]
    x = 0
    for i, w in enumerate(widths):
        if lines[-1] and x + space + w > max_width:
            lines.append([])
            line_widths.append(0)
            x = 0
        if lines[-1]:
            x += space
        xs.append(x)
        lines[-1].append(i)
        x += w
        line_widths[-1] = x
    return Layout(tuple(tuple(line) for line in lines), tuple(xs), tuple(line_widths))


def _fit(span: tuple[int, int, str], width: Callable[[str], int], limit: int
         ) -> list[tuple[int, int, str]]:
    """A token wider than the line (CJK text has no spaces) cut into pieces that fit."""
    start, _, text = span
    if width(text) <= limit or len(text) < 2:
        return [span]
    pieces = []
    a = 0
    for b in range(1, len(text) + 1):
        if b - a > 1 and width(text[a:b]) > limit:
            pieces.append((start + a, start + b - 1, text[a:b - 1]))
            a = b - 1
    pieces.append((start + a, start + len(text), text[a:]))
    return pieces


def tokens(sentence: Any, width: Callable[[str], int] | None = None,
           limit: int = 0) -> tuple[list[str], list[int]]:
    """The sentence as written, split at spaces (punctuation kept), and for each timed word
    the index of the token it sits in (so "river," lights up when "river" is spoken).
    With `width` and `limit`, tokens wider than a line are cut to fit."""
    spans = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", sentence.text)]
    if not spans:
        return [sentence.text], [0] * len(sentence.words)
    if width is not None and limit > 0:
        spans = [piece for span in spans for piece in _fit(span, width, limit)]
    owner = []
    k = 0
    for w in sentence.words:
        while k + 1 < len(spans) and spans[k][1] <= w.char:
            k += 1
        owner.append(k)
    return [text for _, _, text in spans], owner


def current_word(sentence: Any, t: float) -> int | None:
    """The index of the word being spoken at `t` (the last one started), from timed words."""
    index = None
    for j, word in enumerate(sentence.words):
        if word.start <= t:
            index = j
        else:
            break
    return index


class Captions:
    def __init__(self, size: tuple[int, int]) -> None:
        self.enabled = True
        self.resize(size)

    def resize(self, size: tuple[int, int]) -> None:
        self.size = (max(1, size[0]), max(1, size[1]))
        w, h = self.size
        self.px = max(14, round(h * 0.045))
        self.font = font(self.px)
        self.line_h = self.font.get_linesize()
        self.space = self.font.size(" ")[0]
        self.max_width = int(w * 0.78)
        self.bottom = int(h * 0.93)
        self._words: dict[tuple[str, tuple[int, int, int]], pygame.Surface] = {}
        self._shadows: dict[str, pygame.Surface] = {}
        self._key: tuple | None = None
        self._sentence_key: tuple | None = None
        self._layout: Layout | None = None
        self._tokens: list[str] = []
        self._token_of: list[int] = []
        self.picture: pygame.Surface | None = None
        self._pos = (0, 0)
        self.band = self._make_band()
        self.renders = 0  # how many times the caption picture was recomposed (for tests)

    def _make_band(self) -> pygame.Surface:
        """A soft dark gradient behind the text, strongest at the very bottom."""
        w, h = self.size
        band_h = min(h, int(self.line_h * (MAX_LINES + 1.6)))
        ramp = np.linspace(0.0, 1.0, band_h, dtype=np.float32) ** 1.6
        alpha = (ramp * 150).astype(np.uint8)
        band = pygame.Surface((w, band_h), pygame.SRCALPHA)
        band.fill((6, 6, 14, 0))
        pixels = pygame.surfarray.pixels_alpha(band)
        pixels[:, :] = alpha[None, :]
        del pixels
        return band

    def _word(self, text: str, colour: tuple[int, int, int]) -> pygame.Surface:
        key = (text, colour)
        surf = self._words.get(key)
        if surf is None:
            surf = self.font.render(text, True, colour)
            self._words[key] = surf
        return surf

    def _shadow(self, text: str) -> pygame.Surface:
        surf = self._shadows.get(text)
        if surf is None:
            base = self.font.render(text, True, (0, 0, 0))
            pad = max(2, self.px // 8)
            canvas = pygame.Surface((base.get_width() + 2 * pad, base.get_height() + 2 * pad),
                                    pygame.SRCALPHA)
            canvas.blit(base, (pad, pad))
            surf = pygame.transform.gaussian_blur(canvas, max(1, pad // 2))
            surf.set_alpha(200)
            self._shadows[text] = surf
        return surf

    def _compose(self, sentence: Any, word: int | None) -> None:
        skey = (sentence.index, sentence.text)
        if skey != self._sentence_key:
            self._sentence_key = skey
            self._words.clear()
            self._shadows.clear()
            self._tokens, self._token_of = tokens(
                sentence, lambda text: self.font.size(text)[0], self.max_width)
            widths = [self.font.size(t)[0] for t in self._tokens]
            self._layout = layout(widths, self.space, self.max_width)
        lay = self._layout
        assert lay is not None
        texts = self._tokens
        if word is not None:
            word = self._token_of[word] if 0 <= word < len(self._token_of) else None
        # Long sentences: show the two lines around the word being spoken.
        line_of = {i: n for n, line in enumerate(lay.lines) for i in line}
        first = 0
        if len(lay.lines) > MAX_LINES:
            first = min(line_of.get(word or 0, 0), len(lay.lines) - MAX_LINES)
        shown = lay.lines[first:first + MAX_LINES]
        pad = max(2, self.px // 8)
        width = max(lay.widths[first:first + MAX_LINES]) + 2 * pad
        height = self.line_h * len(shown) + 2 * pad
        picture = pygame.Surface((width, height), pygame.SRCALPHA)
        picture.fill((0, 0, 0, 0))
        for n, line in enumerate(shown):
            x0 = (width - lay.widths[first + n]) // 2
            y = pad + n * self.line_h
            for i in line:
                if word is None or i < word:
                    colour = SPOKEN
                elif i == word:
                    colour = CURRENT
                else:
                    colour = COMING
                text = texts[i]
                picture.blit(self._shadow(text), (x0 + lay.x[i] - pad + 1, y - pad + 2))
                picture.blit(self._word(text, colour), (x0 + lay.x[i], y))
        self.picture = picture
        self._pos = ((self.size[0] - width) // 2, self.bottom - height)
        self.renders += 1

    def draw(self, surface: pygame.Surface, sentences: Sequence[Any], state: SceneState,
             t: float, last: int | None) -> int | None:
        """Draw the caption for `t`; returns the sentence index shown (pass it back as
        `last` next frame, so a caption lingers and fades through the pause after it)."""
        if not self.enabled or not sentences:
            return last
        index = state.sentence if state.sentence is not None else last
        if index is None or not 0 <= index < len(sentences):
            return last
        sentence = sentences[index]
        alpha = min(1.0, max(0.0, (t - sentence.start) / FADE_IN))
        end = max(sentence.speech_end, sentence.start)
        if t > end:
            alpha = min(alpha, max(0.0, 1.0 - (t - end) / FADE_OUT))
        if alpha <= 0.0:
            return index
        word = state.word if state.sentence == index else None
        if word is None and t <= end:
            word = current_word(sentence, t)
        if t > end:
            word = None  # every word spoken
        key = (index, sentence.text, word)
        if key != self._key:
            self._key = key
            self._compose(sentence, word)
        a = int(alpha * 255)
        self.band.set_alpha(a)
        surface.blit(self.band, (0, self.size[1] - self.band.get_height()))
        assert self.picture is not None
        self.picture.set_alpha(a)
        surface.blit(self.picture, self._pos)
        return index
