"""Ambient beds: per-mood character, seamless loops, click-free scene changes, ducking."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from visualizer.audio.ambient import (
    DUCK_DOWN,
    DUCK_UP,
    ambient_loop,
    ambient_track,
    bed_for,
    duck_gain,
    duck_gain_at,
    render_bed,
)

SR = 22050


def _band_energy(x: np.ndarray, lo: float, hi: float) -> float:
    spec = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    f = np.fft.rfftfreq(len(x), 1 / SR)
    return float(spec[(f >= lo) & (f < hi)].sum() / spec.sum())


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))


def test_moods_and_places_choose_layers():
    assert bed_for("fear").drone > 0 and bed_for("fear").pad == 0
    assert bed_for("calm", ["lake"]).water > 0
    assert bed_for("wonder", ["night-sky", "stars"]).night > 0
    assert bed_for("calm", ["abyss"]).drone > 0
    assert bed_for("relief").chord == "relief"


def test_beds_sound_different():
    drone = render_bed(bed_for("fear"), 8.0, SR)
    night = render_bed(bed_for("wonder", ["night-sky"]), 8.0, SR)
    water = render_bed(bed_for("calm", ["lake"]), 8.0, SR)
    assert _band_energy(drone, 20, 130) > 0.3  # the abyss lives low
    assert _band_energy(night, 2500, 8000) > _band_energy(drone, 2500, 8000) * 5
    assert _band_energy(water, 40, 700) > 0.5
    for bed in (drone, night, water):
        assert 10 ** (-30 / 20) < _rms(bed) < 10 ** (-22 / 20)  # quiet, under a voice


def test_loop_is_seamless_at_any_length():
    for seconds in (10.0, 48.0):
        loop = ambient_loop("calm", seconds, SR, motifs=("lake",)).astype(np.float64)
        assert len(loop) == int(seconds * SR)
        steps = np.abs(np.diff(loop))
        seam = abs(loop[0] - loop[-1])
        assert seam <= max(np.percentile(steps, 99.9), 1.0)


def _schedule():
    sentences = [SimpleNamespace(start=s, speech_end=s + 3.0, end=s + 3.0)
                 for s in (3.0, 8.0, 16.0, 24.0)]
    scenes = [
        SimpleNamespace(start=0.0, end=14.0, mood="fear", sky="dark", ground="abyss",
                        layers=(), transition_duration=4.0),
        SimpleNamespace(start=14.0, end=34.0, mood="relief", sky="clear-sky", ground="lake",
                        layers=("candle",), transition_duration=4.0),
    ]
    return SimpleNamespace(duration=34.0, lead_in=3.0, seed=1, sentences=sentences,
                           scenes=scenes)


def test_track_length_fades_and_no_clicks():
    sched = _schedule()
    track = ambient_track(sched, SR)
    assert track.dtype == np.int16 and len(track) == round(34.0 * SR)
    assert abs(int(track[0])) < 50 and abs(int(track[-1])) < 50  # fades in and out
    x = track.astype(np.float64)
    # no click anywhere: the largest sample step stays in the family of the bed's own steps
    steps = np.abs(np.diff(x))
    assert steps.max() < 8 * np.percentile(steps, 99.5) + 50
    # the scene change is a cross-fade, not a cut: level near the boundary stays continuous
    win = int(0.05 * SR)
    levels = [_rms(x[i: i + win]) for i in range(int(12 * SR), int(16 * SR), win)]
    ratios = np.array(levels[1:]) / np.maximum(levels[:-1], 1.0)
    assert ratios.max() < 2.0 and ratios.min() > 0.5


def test_fear_resolves_into_warmth_across_the_transition():
    track = ambient_track(_schedule(), SR, duck_db=0)
    before = track[int(5 * SR): int(11 * SR)]
    after = track[int(18 * SR): int(30 * SR)]
    assert _band_energy(before, 20, 100) > 3 * _band_energy(after, 20, 100)


def test_ducks_about_8_db_under_the_voice_with_ramps():
    sched = _schedule()
    plain = ambient_track(sched, SR, duck_db=0).astype(np.float64)
    ducked = ambient_track(sched, SR, duck_db=-8).astype(np.float64)
    inside = slice(int(9 * SR), int(10.5 * SR))  # mid-sentence 2
    gain_db = 20 * np.log10(_rms(ducked[inside]) / _rms(plain[inside]))
    assert gain_db == pytest.approx(-8.0, abs=0.5)
    quiet = slice(int(12.3 * SR), int(14.0 * SR))  # >1 s after sentence 2, before sentence 3
    assert _rms(ducked[quiet]) == pytest.approx(_rms(plain[quiet]), rel=0.05)


def test_duck_gain_ramps_down_before_and_up_after():
    rate = 100.0
    active = np.zeros(600, bool)
    active[200:300] = True
    g = 20 * np.log10(duck_gain(active, rate, -8.0))
    assert g[250] == pytest.approx(-8.0)
    assert g[200 - int(DUCK_DOWN * rate) - 1] == pytest.approx(0.0, abs=1e-6)
    assert -8 < g[190] < 0  # already going down before the voice
    assert -8 < g[350] < 0 and g[300 + int(DUCK_UP * rate) + 1] == pytest.approx(0, abs=1e-6)
    assert np.all(np.abs(np.diff(g)) < 1.0)  # smooth: no zipper steps
    sched = _schedule()
    assert duck_gain_at(sched, 5.0) == pytest.approx(10 ** (-8 / 20))
    assert duck_gain_at(sched, 1.0) == 1.0
    assert 10 ** (-8 / 20) < duck_gain_at(sched, 2.85) < 1.0


def test_ducking_follows_a_real_voice_track():
    sched = _schedule()
    voice = np.zeros(len(ambient_track(sched, SR, duck_db=0)), np.int16)
    voice[int(8 * SR): int(11 * SR)] = 8000  # only sentence 2 actually speaks
    with_voice = ambient_track(sched, SR, voice_track=voice).astype(np.float64)
    plain = ambient_track(sched, SR, duck_db=0).astype(np.float64)
    mid = slice(int(9 * SR), int(10 * SR))
    assert _rms(with_voice[mid]) < 0.5 * _rms(plain[mid])
    silent = slice(int(17 * SR), int(18 * SR))  # sentence 3 in the schedule but not voiced
    assert _rms(with_voice[silent]) == pytest.approx(_rms(plain[silent]), rel=0.05)
