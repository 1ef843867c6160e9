"""Fonts, looked up once and cached per pixel size: never a font object per frame."""

from __future__ import annotations

from functools import cache

import pygame

from visualizer.resources import assets_dir


@cache
def font_file() -> str | None:
    """A bundled font if the project ships one, else a soft system sans, else pygame's own."""
    bundled = sorted((assets_dir() / "fonts").glob("*.[ot]tf"))
    if bundled:
        return str(bundled[0])
    for name in ("dejavusans", "notosans", "freesans", "liberationsans"):
        try:
            path = pygame.font.match_font(name)
        except Exception:
            path = None
        if path:
            return path
    return None  # pygame's default font


@cache
def font(px: int) -> pygame.font.Font:
    if not pygame.font.get_init():
        pygame.font.init()
    return pygame.font.Font(font_file(), max(8, int(px)))
