"""Keys a person expects on a relaxation display, mapped to what they mean.

One table, so the hint overlay, the tests and the player agree on every key.
"""

from __future__ import annotations

from enum import Enum

import pygame


class Action(Enum):
    PAUSE = "pause"
    PREV_SENTENCE = "prev"
    NEXT_SENTENCE = "next"
    NEXT_DREAM = "next-dream"
    CAPTIONS = "captions"
    MUTE = "mute"
    AMBIENT = "ambient"
    VOLUME_UP = "volume-up"
    VOLUME_DOWN = "volume-down"
    DIMMER = "dimmer"
    FULLSCREEN = "fullscreen"
    HINTS = "hints"
    QUIT = "quit"


KEYMAP: dict[int, Action] = {
    pygame.K_SPACE: Action.PAUSE,
    pygame.K_PAUSE: Action.PAUSE,
    pygame.K_LEFT: Action.PREV_SENTENCE,
    pygame.K_RIGHT: Action.NEXT_SENTENCE,
    pygame.K_n: Action.NEXT_DREAM,
    pygame.K_c: Action.CAPTIONS,
    pygame.K_m: Action.MUTE,
    pygame.K_a: Action.AMBIENT,
    pygame.K_PLUS: Action.VOLUME_UP,
    pygame.K_EQUALS: Action.VOLUME_UP,  # the unshifted "+" key
    pygame.K_KP_PLUS: Action.VOLUME_UP,
    pygame.K_UP: Action.VOLUME_UP,
    pygame.K_MINUS: Action.VOLUME_DOWN,
    pygame.K_KP_MINUS: Action.VOLUME_DOWN,
    pygame.K_DOWN: Action.VOLUME_DOWN,
    pygame.K_d: Action.DIMMER,
    pygame.K_f: Action.FULLSCREEN,
    pygame.K_F11: Action.FULLSCREEN,
    pygame.K_h: Action.HINTS,
    pygame.K_QUESTION: Action.HINTS,
    pygame.K_SLASH: Action.HINTS,  # "?" without shift on most layouts
    pygame.K_ESCAPE: Action.QUIT,
    pygame.K_q: Action.QUIT,
}

# What the hint overlay shows, in order (key label, what it does).
HINTS: tuple[tuple[str, str], ...] = (
    ("Space", "pause / resume"),
    ("\u2190 \u2192", "previous / next sentence"),
    ("N", "next dream"),
    ("C", "captions"),
    ("M", "mute voice"),
    ("A", "ambient sound"),
    ("+ \u2212", "volume"),
    ("D", "dimmer"),
    ("F", "fullscreen"),
    ("H", "these hints"),
    ("Esc", "quit"),
)


def action_for(event: pygame.event.Event) -> Action | None:
    """The action a KEYDOWN means, or None. Text keys also match by unicode (layouts differ)."""
    if event.type != pygame.KEYDOWN:
        return None
    action = KEYMAP.get(event.key)
    if action is not None:
        return action
    text = getattr(event, "unicode", "") or ""
    return {"+": Action.VOLUME_UP, "-": Action.VOLUME_DOWN, "?": Action.HINTS}.get(text)
