"""At a 30 fps cap the adaptive controller also caps the CPU (a relaxation display runs all
night), while 60 fps keeps its frame-interval budget."""

from __future__ import annotations

from visualizer.engine.quality import (
    POWER_BUDGET_MS,
    AdaptiveQuality,
    frame_budget_ms,
    level,
)


def test_budget_is_sixty_percent_of_the_frame_but_capped_for_power():
    assert frame_budget_ms(60) == 10.0
    assert frame_budget_ms(200) == 3.0
    assert frame_budget_ms(30) == POWER_BUDGET_MS
    assert frame_budget_ms(5) == POWER_BUDGET_MS
    assert POWER_BUDGET_MS * 30 / 1000.0 < 0.4  # under 40% of a core at 30 fps


def test_at_30_fps_medium_frames_of_15_ms_step_down_and_fast_ones_come_back():
    ctl = AdaptiveQuality(frame_budget_ms(30), start="medium", ceiling="medium", cooldown=60)
    change = None
    for _ in range(30):
        change = ctl.add(15.0) or change
    assert change is not None and change.scale < level("medium").scale
    for _ in range(400):  # a calm stretch (cheap frames): back up to medium, not beyond
        ctl.add(3.0)
    assert ctl.quality == level("medium")
