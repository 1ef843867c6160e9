"""Ambient layers cached on disk: the same bed, faster, and never a broken or stale read."""

from __future__ import annotations

import numpy as np

from visualizer.audio import ambient
from visualizer.audio.bedcache import LayerCache, code_version


def test_a_layer_round_trips_and_a_bad_file_is_a_miss(tmp_path):
    cache = LayerCache(tmp_path)
    layer = np.linspace(-1, 1, 1000, dtype=np.float32)
    assert cache.get(("wind", "", 1000, 22050, 3), 1000) is None
    cache.put(("wind", "", 1000, 22050, 3), layer)
    assert np.array_equal(cache.get(("wind", "", 1000, 22050, 3), 1000), layer)
    assert cache.get(("wind", "", 1000, 22050, 3), 999) is None  # wrong length: a miss
    [path] = tmp_path.glob("*.npy")
    assert code_version() in path.name  # a change of the synthesis code changes every name
    path.write_bytes(b"not a numpy file")
    assert cache.get(("wind", "", 1000, 22050, 3), 1000) is None
    assert not list(tmp_path.glob("*.tmp"))


def test_the_folder_stays_under_its_size(tmp_path):
    cache = LayerCache(tmp_path, max_bytes=10_000)
    for seed in range(5):
        cache.put(("pad", "calm", 1000, 22050, seed), np.zeros(1000, np.float32))  # 4 KB each
    assert sum(p.stat().st_size for p in tmp_path.glob("*.npy")) <= 10_000


def test_an_unwritable_folder_just_renders(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    cache = LayerCache(blocked / "ambient")
    cache.put(("wind", "", 10, 22050, 0), np.zeros(10, np.float32))  # no error
    assert cache.get(("wind", "", 10, 22050, 0), 10) is None


def test_a_cached_bed_is_the_rendered_bed(tmp_path, monkeypatch):
    monkeypatch.setenv("DREAMVIZ_CACHE_DIR", str(tmp_path))
    ambient._LAYER_CACHE.clear()
    first = ambient.render_bed(ambient.bed_for("calm", ["meadow"]), 2.0, 8000, seed=5)
    assert list((tmp_path / "ambient").glob("*.npy"))
    ambient._LAYER_CACHE.clear()
    again = ambient.render_bed(ambient.bed_for("calm", ["meadow"]), 2.0, 8000, seed=5)
    assert np.array_equal(first, again)
