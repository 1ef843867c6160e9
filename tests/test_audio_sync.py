"""Sync as a listener hears it: play a short script through MixerSink on SDL's disk audio
driver (headless; it writes the device's raw stream to a file at about real-time pace), find
sentence onsets in the captured audio, and compare with the schedule: every onset within 50 ms.

The capture's time zero is the track's first sample, found exactly with an inaudible +1 LSB
offset added to the track (the mixer writes exact zeros before play). The file's size at
play() is no anchor: the driver writes through a 4096-byte stdio buffer (93 ms of audio).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from visualizer.audio.analysis import onsets

CHILD = textwrap.dedent('''
    import json, os, time
    import numpy as np
    from visualizer.audio.mixdown import narration_track
    from visualizer.audio.mixer_sink import MixerSink
    from visualizer.narration import FakeNarrator, get_narrator, synthesize_all
    from visualizer.script.model import Scene, Script, Sentence, SourcePos
    from visualizer.script.text import words
    from visualizer.timeline import build_schedule

    texts = ["The lake is still.", "A candle glows.", "You wake."]
    sents = tuple(Sentence(i, t, i, words(t), SourcePos("s.txt", i + 1, 1))
                  for i, t in enumerate(texts))
    script = Script("s.txt", "s", sents, (Scene("s", 0, 3, "dawn", "clear-sky", "lake"),))
    narrator = get_narrator("auto", warn=lambda m: None)
    if not narrator.speaks:
        narrator = FakeNarrator()
    utts = synthesize_all(script, narrator, cache=False)
    sched = build_schedule(script, [u.clip for u in utts], lead_in=0.5, tail=0.3)
    track = narration_track(sched, utts, 22050)
    # an inaudible +1 LSB offset marks the track's first sample in the capture: before play
    # the mixer writes exact zeros, so the first nonzero sample is track time 0
    track = np.clip(track.astype(np.int32) + 1, -32768, 32767).astype(np.int16)
    sink = MixerSink(sample_rate=22050)
    assert sink.available, "disk audio driver did not open"
    fmt = sink._format
    sink.load(track, None, 22050)
    before = os.path.getsize(os.environ["SDL_DISKAUDIOFILE"])
    sink.play(0.0)
    while sink.busy():
        time.sleep(0.02)
    sink.close()
    print(json.dumps({"format": list(fmt), "before": before, "engine": narrator.engine_id,
                      "starts": [s.start for s in sched.sentences]}))
''')


def _run_on_disk_audio(tmp_path, name: str, source: str, *args: str, timeout: float = 60,
                       **env_extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    """Run `source` as a child script with SDL's disk audio driver writing to a file in
    `tmp_path`; skip the test where that driver cannot open. Returns (process, raw path)."""
    raw = tmp_path / "device.raw"
    env = dict(os.environ, SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=str(raw),
               PYGAME_HIDE_SUPPORT_PROMPT="1", **env_extra)
    script = tmp_path / name
    script.write_text(source, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), *args], env=env, capture_output=True,
                          text=True, timeout=timeout)
    if proc.returncode != 0 and "disk audio driver did not open" in proc.stderr:
        pytest.skip("SDL disk audio driver unavailable")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc, raw


def test_sentence_onsets_heard_within_50ms(tmp_path):
    proc, raw = _run_on_disk_audio(tmp_path, "child.py", CHILD, timeout=90,
                                   DREAMVIZ_CACHE_DIR=str(tmp_path / "cache"))
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    freq, size, channels = info["format"]
    assert abs(size) == 16  # we asked for signed 16-bit; the disk driver writes it raw
    pcm = np.fromfile(raw, dtype="<i2")
    if channels > 1:
        pcm = pcm.reshape(-1, channels)[:, 0]
    nonzero = np.flatnonzero(pcm)
    assert nonzero.size, "nothing was played"
    t0 = nonzero[0] / freq  # where the track's first sample landed in the device stream
    assert t0 <= info["before"] / (2 * channels) / freq + 0.2  # right after play()
    heard = [t - t0 for t in onsets(pcm, freq, threshold=600, min_gap=0.3)]
    starts = info["starts"]
    assert len(heard) == len(starts), (heard, starts)
    errors = [abs(h - s) for h, s in zip(heard, starts, strict=True)]
    print("onset errors (ms):", [round(1000 * e, 1) for e in errors])
    assert max(errors) <= 0.050, errors


SEEK_CHILD = textwrap.dedent('''
    import sys, time
    import numpy as np
    from visualizer.audio.mixer_sink import MixerSink

    sr = 22050
    track = (np.random.default_rng(0).standard_normal(sr * 4) * 3000).astype(np.int16)
    np.save(sys.argv[1], track)
    sink = MixerSink(sample_rate=sr)
    assert sink.available, "disk audio driver did not open"
    sink.load(track, None, sr)
    sink.play(1.37)  # SDL_mixer alone would start this WAV at 1.0 s
    time.sleep(0.4)
    sink.close()
''')


def test_seek_lands_on_the_exact_sample(tmp_path):
    _proc, raw = _run_on_disk_audio(tmp_path, "seek.py", SEEK_CHILD,
                                    str(tmp_path / "track.npy"))
    track = np.load(tmp_path / "track.npy").astype(np.float64)
    pcm = np.fromfile(raw, dtype="<i2")
    first = np.flatnonzero(pcm)[0]
    heard = pcm[first: first + 2000].astype(np.float64)
    where = int(np.argmax(np.correlate(track, heard, "valid")))
    assert abs(where / 22050 - 1.37) < 0.005


PAUSE_CHILD = textwrap.dedent('''
    import time
    import numpy as np
    from visualizer.audio.mixer_sink import MixerSink

    sr = 22050
    t = np.arange(sr * 4) / sr
    track = (np.sin(2 * np.pi * 440 * t) * 12000).astype(np.int16)
    sink = MixerSink(sample_rate=sr)
    assert sink.available, "disk audio driver did not open"
    sink.load(track, None, sr)
    sink.play(0.0)
    time.sleep(0.5)
    sink.pause()
    time.sleep(0.3)
    sink.resume()
    time.sleep(0.3)
    sink.stop()
    sink.close()
''')


def test_pause_resume_and_stop_do_not_click(tmp_path):
    _proc, raw = _run_on_disk_audio(tmp_path, "pause.py", PAUSE_CHILD)
    pcm = np.fromfile(raw, dtype="<i2").astype(np.int32)
    loud = np.abs(pcm) > 100
    edges = np.flatnonzero(np.diff(loud.astype(np.int8)) != 0)
    assert len(edges) >= 4  # sound, pause (silence), sound again, stop (silence)
    # a hard cut of a 12000-amplitude sine steps by up to 12000; the sine itself by ~1500
    assert np.abs(np.diff(pcm)).max() < 5000
