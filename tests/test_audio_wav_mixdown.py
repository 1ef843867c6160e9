"""WAV I/O (atomic) and the narration track placement."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from visualizer.audio.analysis import onsets, speech_bounds
from visualizer.audio.mixdown import mix, narration_track, resample
from visualizer.audio.wav import read_wav, wav_bytes, write_wav
from visualizer.narration import FakeNarrator
from visualizer.script.model import Voice

SR = 22050


def test_wav_roundtrip_mono_and_stereo(tmp_path):
    mono = (np.sin(np.arange(1000) / 5) * 20000).astype(np.int16)
    write_wav(tmp_path / "m.wav", mono, SR)
    back, sr = read_wav(tmp_path / "m.wav")
    assert sr == SR and np.array_equal(back, mono)
    stereo = np.stack([mono, -mono], axis=1)
    write_wav(tmp_path / "s.wav", stereo, 44100)
    back, sr = read_wav(tmp_path / "s.wav")
    assert sr == 44100 and np.array_equal(back, stereo)
    assert wav_bytes(mono, SR)[:4] == b"RIFF"


def test_write_wav_is_atomic_and_leaves_no_temp(tmp_path):
    path = tmp_path / "out.wav"
    write_wav(path, np.zeros(10, np.int16), SR)
    with pytest.raises(TypeError):
        write_wav(path, object(), SR)  # type: ignore[arg-type]
    assert read_wav(path)[0].shape == (10,)  # the good file survived the failed write
    assert [p.name for p in tmp_path.iterdir()] == ["out.wav"]


def test_read_wav_rejects_truncated(tmp_path):
    path = tmp_path / "t.wav"
    write_wav(path, np.ones(1000, np.int16), SR)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(ValueError):
        read_wav(path)


def _schedule(starts, duration):
    return SimpleNamespace(duration=duration,
                           sentences=[SimpleNamespace(start=s) for s in starts])


def test_narration_track_places_each_clip_at_its_start():
    n = FakeNarrator()
    utts = [n.synthesize(t, Voice()) for t in ("One soft word.", "Two more words here.")]
    sched = _schedule([3.0, 3.0 + utts[0].duration + 0.9], 12.0)
    track = narration_track(sched, utts, SR)
    assert track.dtype == np.int16 and len(track) == 12 * SR
    found = onsets(track, SR, min_gap=0.5)
    assert found[0] == pytest.approx(3.0 + 0.010, abs=0.003)
    assert found[1] == pytest.approx(sched.sentences[1].start + 0.010, abs=0.003)
    assert not track[: 3 * SR].any()


def test_narration_track_resamples_other_rates():
    n = FakeNarrator(sample_rate=16000)
    u = n.synthesize("Hello there.", Voice())
    track = narration_track(_schedule([1.0], 4.0), [u], SR)
    assert len(track) == 4 * SR
    first, end = speech_bounds(track, SR)
    assert first == pytest.approx(1.01, abs=0.003)
    assert end == pytest.approx(1.0 + u.clip.speech_end, abs=0.005)
    assert len(resample(u.pcm, 16000, 22050)) == round(len(u.pcm) * 22050 / 16000)


def test_mix_soft_limits_instead_of_wrapping():
    loud = np.full(100, 30000, np.int16)
    out = mix(loud, loud)
    assert out.min() > 0 and out.max() <= 32767
