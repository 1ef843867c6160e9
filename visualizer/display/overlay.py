"""The hint panel (which keys do what) and short status notes ("Volume 60%", "Paused").

Both are made once per screen size or per message and then only blitted with an alpha
that fades: nothing is rendered per frame.
"""

from __future__ import annotations

import pygame

from visualizer.display.fonts import font
from visualizer.display.keys import HINTS

HINT_SHOW = 7.0  # seconds the hints stay at start (or after H)
HINT_FADE = 2.0
NOTE_SHOW = 1.6
NOTE_FADE = 0.8
TITLE_IN = 2.0  # the dream's title: fades in, rests, fades out, over the lead-in
TITLE_SHOW = 5.0
TITLE_FADE = 2.5
KEY_COLOUR = (255, 222, 168)
TEXT_COLOUR = (222, 220, 232)


class Overlay:
    def __init__(self, size: tuple[int, int]) -> None:
        self.hints_at: float | None = None
        self._note: pygame.Surface | None = None
        self._note_text = ""
        self._note_at = 0.0
        self._note_hold = False
        self.error: str | None = None
        self._error_surface: pygame.Surface | None = None
        self._title_text = ""
        self._title: pygame.Surface | None = None
        self._title_at = 0.0
        self.resize(size)

    def resize(self, size: tuple[int, int]) -> None:
        self.size = size
        self.px = max(12, round(size[1] * 0.024))
        self.panel = self._make_panel()
        if self._note_text:
            self._note = self._make_note(self._note_text)
        if self._title_text:
            self._title = self._make_title(self._title_text)
        self._error_surface = None

    def _make_panel(self) -> pygame.Surface:
        f = font(self.px)
        rows = [(f.render(k, True, KEY_COLOUR), f.render(d, True, TEXT_COLOUR)) for k, d in HINTS]
        key_w = max(k.get_width() for k, _ in rows)
        text_w = max(d.get_width() for _, d in rows)
        line = f.get_linesize()
        pad = self.px
        w = pad * 3 + key_w + text_w
        h = pad * 2 + line * len(rows)
        panel = pygame.Surface((w, h), pygame.SRCALPHA)
        panel.fill((0, 0, 0, 0))
        pygame.draw.rect(panel, (8, 8, 20, 150), panel.get_rect(), border_radius=pad)
        for n, (k, d) in enumerate(rows):
            y = pad + n * line
            panel.blit(k, (pad + key_w - k.get_width(), y))
            panel.blit(d, (pad * 2 + key_w, y))
        return panel

    def _make_note(self, text: str) -> pygame.Surface:
        f = font(round(self.px * 1.2))
        label = f.render(text, True, TEXT_COLOUR)
        pad = self.px
        note = pygame.Surface((label.get_width() + 2 * pad, label.get_height() + pad),
                              pygame.SRCALPHA)
        note.fill((0, 0, 0, 0))
        pygame.draw.rect(note, (8, 8, 20, 140), note.get_rect(), border_radius=pad)
        note.blit(label, (pad, pad // 2))
        return note

    def _make_title(self, text: str) -> pygame.Surface:
        f = font(round(self.size[1] * 0.06))
        label = f.render(text, True, (244, 236, 228))
        shadow = pygame.transform.gaussian_blur(f.render(text, True, (0, 0, 0)), 3)
        pad = self.px
        title = pygame.Surface((label.get_width() + 2 * pad, label.get_height() + 2 * pad),
                               pygame.SRCALPHA)
        title.fill((0, 0, 0, 0))
        shadow.set_alpha(170)
        title.blit(shadow, (pad + 2, pad + 3))
        title.blit(label, (pad, pad))
        return title

    def title(self, text: str, now: float) -> None:
        """The dream's name, softly, while it fades in (made once per dream)."""
        if text != self._title_text:
            self._title_text = text
            self._title = self._make_title(text) if text else None
        self._title_at = now

    def show_hints(self, now: float) -> None:
        self.hints_at = now

    def hide_hints(self) -> None:
        self.hints_at = None

    def note(self, text: str, now: float, hold: bool = False) -> None:
        """A short status line at the top; `hold` keeps it until `clear_note`."""
        if text != self._note_text:
            self._note_text = text
            self._note = self._make_note(text)
        self._note_at = now
        self._note_hold = hold

    def clear_note(self, now: float) -> None:
        if self._note_hold:
            self._note_hold = False
            self._note_at = now - NOTE_SHOW

    @property
    def note_text(self) -> str:
        return self._note_text

    def set_error(self, message: str | None) -> None:
        """A script error shown on screen until cleared (preview --watch)."""
        if message != self.error:
            self.error = message
            self._error_surface = None

    def _make_error(self, message: str) -> pygame.Surface:
        f = font(self.px)
        words = message.split()
        lines: list[str] = []
        for word in words:
            if lines and f.size(lines[-1] + " " + word)[0] < self.size[0] * 0.8:
                lines[-1] += " " + word
            else:
                lines.append(word)
        labels = [f.render(line, True, (255, 200, 190)) for line in lines[:6]]
        pad = self.px
        w = max(label.get_width() for label in labels) + 2 * pad
        h = sum(label.get_height() for label in labels) + 2 * pad
        box = pygame.Surface((w, h), pygame.SRCALPHA)
        box.fill((0, 0, 0, 0))
        pygame.draw.rect(box, (40, 8, 12, 200), box.get_rect(), border_radius=pad // 2)
        y = pad
        for label in labels:
            box.blit(label, (pad, y))
            y += label.get_height()
        return box

    @staticmethod
    def _alpha(age: float, show: float, fade: float) -> float:
        if age < 0:
            return 0.0
        if age < 0.3:
            return age / 0.3
        return max(0.0, min(1.0, 1.0 - (age - show) / fade))

    def hints_visible(self, now: float) -> bool:
        return self.hints_at is not None and now - self.hints_at < HINT_SHOW + HINT_FADE

    def draw(self, surface: pygame.Surface, now: float) -> None:
        w, h = self.size
        if self._title is not None:
            age = now - self._title_at
            a = min(1.0, age / TITLE_IN) if age < TITLE_IN else self._alpha(
                age - TITLE_IN, TITLE_SHOW, TITLE_FADE)
            if a > 0:
                self._title.set_alpha(int(a * 220))
                surface.blit(self._title, ((w - self._title.get_width()) // 2,
                                           int(h * 0.38) - self._title.get_height() // 2))
        if self.hints_at is not None:
            a = self._alpha(now - self.hints_at, HINT_SHOW, HINT_FADE)
            if a > 0:
                self.panel.set_alpha(int(a * 255))
                surface.blit(self.panel, (self.px * 2, self.px * 2))
            elif now - self.hints_at > HINT_SHOW:
                self.hints_at = None
        if self._note is not None:
            age = now - self._note_at
            a = 1.0 if self._note_hold else self._alpha(age, NOTE_SHOW, NOTE_FADE)
            if a > 0:
                self._note.set_alpha(int(a * 255))
                surface.blit(self._note, ((w - self._note.get_width()) // 2, self.px * 2))
        if self.error:
            if self._error_surface is None:
                self._error_surface = self._make_error(self.error)
            box = self._error_surface
            surface.blit(box, ((w - box.get_width()) // 2, (h - box.get_height()) // 3))
