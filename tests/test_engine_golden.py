"""Golden frames: one per palette (sky only) and one per motif (solo on a neutral sky),
160x90, compared by mean absolute difference so tiny float differences across machines pass
but any visible change fails.

Regenerate after an intended change of the look (then LOOK at the new PNGs):

    DREAMVIZ_REGEN_GOLDEN=1 pytest tests/test_engine_golden.py

Files live in tests/golden/frames/ as palette-<name>.png and motif-<name>.png.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pygame
import pytest
from engine_helpers import NEUTRAL, state

from visualizer.engine.palettes import palette_names
from visualizer.engine.registry import MOTIFS
from visualizer.engine.renderer import Renderer
from visualizer.engine.snapshot import array_surface, save_png
from visualizer.resources import load_json_asset

GOLDEN = Path(__file__).parent / "golden" / "frames"
SIZE = (160, 90)
T = 17.25
SEED = 7
TOLERANCE = 1.5  # mean abs difference in 8-bit levels
REGEN = os.environ.get("DREAMVIZ_REGEN_GOLDEN") == "1"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(*SIZE, seed=SEED, quality="high")


def _check(frame: np.ndarray, name: str) -> None:
    path = GOLDEN / f"{name}.png"
    if REGEN:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        save_png(array_surface(frame), path)  # atomic: a parallel reader never sees half
        return
    if not path.exists():
        pytest.fail(f"no golden frame {path.name}; run DREAMVIZ_REGEN_GOLDEN=1 pytest {__file__}")
    want = pygame.surfarray.array3d(pygame.image.load(str(path))).transpose(1, 0, 2)
    assert want.shape == frame.shape
    diff = np.abs(want.astype(np.int16) - frame.astype(np.int16)).mean()
    assert diff <= TOLERANCE, f"{name}: mean abs diff {diff:.2f} > {TOLERANCE}"


@pytest.mark.parametrize("palette", palette_names())
def test_palette_golden(palette, renderer):
    _check(renderer.render(state({"clear-sky": 1.0}, palette=palette), T), f"palette-{palette}")


@pytest.mark.parametrize("name", sorted(set(MOTIFS) | set(load_json_asset("motifs.json"))))
def test_motif_golden(name, renderer):
    if name not in MOTIFS:
        pytest.skip(f"{name} is not registered yet (test_engine_motifs fails for it)")
    _check(renderer.render(state({name: 1.0}, palette=NEUTRAL), T), f"motif-{name}")
