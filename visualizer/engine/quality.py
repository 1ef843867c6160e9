"""Quality levels and the adaptive controller that holds a frame budget.

A level is an internal resolution scale (the picture is painted smaller and scaled up, where
soft landscapes look the same) and a particle budget scale passed to motifs via
`FrameContext.particle_scale`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quality:
    name: str
    scale: float  # internal resolution / output resolution
    particles: float  # fraction of each particle motif's full count


LEVELS = {
    "low": Quality("low", 1 / 3, 0.5),
    "medium": Quality("medium", 1 / 2, 1.0),
    "high": Quality("high", 2 / 3, 1.0),
}
# The adaptive ladder, worst to best.
LADDER = (
    Quality("adaptive-0", 1 / 4, 0.35),
    LEVELS["low"],
    Quality("adaptive-2", 0.42, 0.75),
    LEVELS["medium"],
    LEVELS["high"],
)


# A relaxation display runs all night: at a low frame-rate cap (30 fps) the slack is not
# spent on detail, so the cap also caps the CPU (~a third of a core at 30 fps).
POWER_BUDGET_MS = 12.0


def frame_budget_ms(fps: float) -> float:
    """Render budget per frame for `AdaptiveQuality`: 60% of the frame interval (room for
    captions and the flip), and never more than POWER_BUDGET_MS."""
    return min(600.0 / max(1.0, float(fps)), POWER_BUDGET_MS)


def level(name: str) -> Quality:
    try:
        return LEVELS[name]
    except KeyError:
        raise ValueError(f"quality must be one of {', '.join(LEVELS)}, not {name!r}") from None


class AdaptiveQuality:
    """Steps down the ladder when frames run over budget, back up when there is headroom.

    Feed it each measured frame time; `step()` returns the new Quality when it changes, else
    None. Hysteresis: down after the median of a short window exceeds 90% of the budget, up
    only after a longer calm window under 55%, and never straight back to a level that was
    just abandoned (wait `cooldown` frames), so it does not oscillate.
    """

    def __init__(
        self,
        budget_ms: float,
        start: str = "medium",
        window: int = 30,
        cooldown: int = 240,
        ceiling: str = "high",
    ) -> None:
        self.budget_ms = float(budget_ms)
        names = [q.name for q in LADDER]
        self.index = names.index(start)
        self.ceiling = names.index(ceiling)
        self.window = window
        self.cooldown = cooldown
        self._samples: list[float] = []
        self._since_change = 0

    @property
    def quality(self) -> Quality:
        return LADDER[self.index]

    def add(self, frame_ms: float) -> Quality | None:
        self._samples.append(float(frame_ms))
        self._since_change += 1
        if len(self._samples) < self.window:
            return None
        recent = sorted(self._samples[-self.window :])
        median = recent[len(recent) // 2]
        if median > 0.9 * self.budget_ms and self.index > 0:
            return self._move(-1)
        calm = len(self._samples) >= 3 * self.window and self._since_change >= self.cooldown
        if calm and self.index < self.ceiling:
            longer = sorted(self._samples[-3 * self.window :])
            if longer[int(len(longer) * 0.9)] < 0.55 * self.budget_ms:
                return self._move(+1)
        if len(self._samples) > 4 * self.window:
            del self._samples[: -3 * self.window]
        return None

    def _move(self, step: int) -> Quality:
        self.index += step
        self._samples.clear()
        self._since_change = 0
        return LADDER[self.index]
