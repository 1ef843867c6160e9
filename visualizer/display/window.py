"""The one window: fullscreen on the chosen monitor at its desktop resolution, or a
resizable window; cursor hidden until the mouse moves; the screensaver kept away.

Framebuffer path: on X11, SDL's default window surface may go through software OpenGL,
where a 1080p `flip` was measured at 17 ms against 1.1 ms with
`SDL_FRAMEBUFFER_ACCELERATION=0`. Rather than assume, a few flips are timed at open and the
faster path kept (`DREAMVIZ_FRAMEBUFFER=auto|software|accelerated` overrides); on X11 the
plain path is tried first and kept if its flips are fast, so the window opens once.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import warnings

import pygame

from visualizer.errors import DreamError

log = logging.getLogger("dreamviz.display")

CURSOR_IDLE = 2.5  # seconds the cursor stays after the mouse stops
SLOW_FLIP = 0.006  # a flip slower than this (seconds, median) tries the other path
HEADLESS_DRIVERS = ("offscreen", "dummy")  # fine when asked for (tests), not as a fallback
NO_DISPLAY = ("no display available for the window ({reason}); "
              "for narration without a screen try: dreamviz narrate DREAM")


class Window:
    def __init__(self, fullscreen: bool = True, size: tuple[int, int] = (1280, 720),
                 display: int = 0, title: str = "dreamviz") -> None:
        self.fullscreen = fullscreen
        self.windowed_size = size
        self.display = display
        self.title = title
        self.surface: pygame.Surface | None = None
        self.framebuffer = "default"
        self.flip_ms: dict[str, float] = {}
        self._cursor_until = 0.0

    # -- opening -------------------------------------------------------------------------
    def open(self) -> pygame.Surface:
        requested = os.environ.get("SDL_VIDEODRIVER", "")
        if (sys.platform.startswith("linux") and not requested
                and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))):
            raise DreamError(NO_DISPLAY.format(reason="neither DISPLAY nor WAYLAND_DISPLAY "
                                               "is set"))
        # A fullscreen show on a second monitor keeps playing while the person works on the
        # first one (SDL would minimise it on focus loss). Minimised for real: see player.
        os.environ.setdefault("SDL_VIDEO_MINIMIZE_ON_FOCUS_LOSS", "0")
        try:
            pygame.display.init()
            pygame.font.init()
        except pygame.error as exc:
            raise DreamError(NO_DISPLAY.format(reason=str(exc) or "no video driver")) from None
        driver = pygame.display.get_driver()
        if driver in HEADLESS_DRIVERS and driver not in requested:
            pygame.display.quit()
            raise DreamError(NO_DISPLAY.format(reason=f"only the {driver} video driver works"))
        count = pygame.display.get_num_displays()
        if count <= 0:
            raise DreamError(NO_DISPLAY.format(reason="no monitors found"))
        if not 0 <= self.display < count:
            raise DreamError(f"--display {self.display}: there "
                             f"{'is 1 display' if count == 1 else f'are {count} displays'}"
                             f" (0..{count - 1})", exit_code=2)
        pygame.display.set_allow_screensaver(False)
        choice = os.environ.get("DREAMVIZ_FRAMEBUFFER", "auto").lower()
        auto = choice == "auto" and "SDL_FRAMEBUFFER_ACCELERATION" not in os.environ
        # on X11 the plain framebuffer is the likely winner: try it first, so the usual case
        # opens the window once (a second window costs ~0.5 s of the first frame)
        first = "software" if auto and driver == "x11" else "default"
        if choice == "software" or first == "software":
            os.environ["SDL_FRAMEBUFFER_ACCELERATION"] = "0"
        self._set_mode()
        if auto:
            self._choose_framebuffer(first)
        pygame.mouse.set_visible(False)
        return self.surface  # type: ignore[return-value]

    def desktop_size(self) -> tuple[int, int]:
        sizes = pygame.display.get_desktop_sizes()
        if self.display < len(sizes):
            return sizes[self.display]
        return self.windowed_size

    def _set_mode(self) -> None:
        try:
            with warnings.catch_warnings():
                # pygame warns when the window manager picks another size: fine here (a
                # resize event follows and the player adapts), and not for the user to read.
                warnings.simplefilter("ignore", RuntimeWarning)
                if self.fullscreen:
                    self.surface = pygame.display.set_mode(
                        self.desktop_size(), pygame.FULLSCREEN, display=self.display)
                else:
                    self.surface = pygame.display.set_mode(
                        self.windowed_size, pygame.RESIZABLE, display=self.display)
        except pygame.error as exc:
            raise DreamError(NO_DISPLAY.format(reason=str(exc))) from None
        pygame.display.set_caption(self.title)

    def _time_flips(self, n: int = 6) -> float:
        assert self.surface is not None
        times = []
        for i in range(n):
            self.surface.fill((i % 2, 0, 0))
            start = time.perf_counter()
            pygame.display.flip()
            times.append(time.perf_counter() - start)
        times.sort()
        return times[len(times) // 2]

    def _choose_framebuffer(self, first: str = "default") -> None:
        """Time a few flips on the path the window opened with (`first`); if slow, reopen
        with the other one (plain framebuffer <-> SDL's default) and keep the faster."""
        other = "software" if first == "default" else "default"
        tried = self._time_flips()
        self.flip_ms[first] = tried * 1000
        self.framebuffer = first
        if tried < SLOW_FLIP:
            log.info("flip %.1f ms (%s framebuffer)", tried * 1000, first)
            return
        self._use(other)
        again = self._time_flips()
        self.flip_ms[other] = again * 1000
        if again < tried:
            self.framebuffer = other
            log.info("flip %.1f ms (%s) -> %.1f ms (%s framebuffer)",
                     tried * 1000, first, again * 1000, other)
            return
        self._use(first)

    def _use(self, path: str) -> None:
        if path == "software":
            os.environ["SDL_FRAMEBUFFER_ACCELERATION"] = "0"
        else:
            os.environ.pop("SDL_FRAMEBUFFER_ACCELERATION", None)
        self._reopen()

    def _reopen(self) -> None:
        pygame.display.quit()
        pygame.display.init()
        pygame.display.set_allow_screensaver(False)
        self._set_mode()

    # -- while playing -------------------------------------------------------------------
    @property
    def size(self) -> tuple[int, int]:
        assert self.surface is not None
        return self.surface.get_size()

    def toggle_fullscreen(self) -> pygame.Surface:
        self.fullscreen = not self.fullscreen
        self._set_mode()
        return self.surface  # type: ignore[return-value]

    def refresh(self) -> pygame.Surface:
        """After a resize or a display change: the current window surface. Fullscreen
        follows a changed desktop resolution (a TV switched to 4K, a laptop docked)."""
        self.surface = pygame.display.get_surface() or self.surface
        if (self.fullscreen and self.surface is not None
                and self.surface.get_size() != self.desktop_size()):
            self._set_mode()
        if not self.fullscreen and self.surface is not None:
            self.windowed_size = self.surface.get_size()
        return self.surface  # type: ignore[return-value]

    def mouse_moved(self, now: float) -> None:
        pygame.mouse.set_visible(True)
        self._cursor_until = now + CURSOR_IDLE

    def tick_cursor(self, now: float) -> None:
        if self._cursor_until and now > self._cursor_until:
            self._cursor_until = 0.0
            pygame.mouse.set_visible(False)

    def flip(self) -> None:
        pygame.display.flip()

    def close(self) -> None:
        """Give the screen back: leave fullscreen, show the cursor, allow the screensaver."""
        if pygame.display.get_init():
            try:
                pygame.mouse.set_visible(True)
                pygame.display.set_allow_screensaver(True)
            except pygame.error:
                pass
            pygame.display.quit()
        self.surface = None
