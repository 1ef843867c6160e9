"""Sync as a listener hears it: play a short script through MixerSink on SDL's disk audio
driver (headless; it writes the device's raw stream to a file at about real-time pace), find
sentence onsets in the captured audio, and compare with the schedule: every onset within 50 ms.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from visualizer.audio.analysis import onsets

CHILD = textwrap.dedent('''
    import json, os, time
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


def test_sentence_onsets_heard_within_50ms(tmp_path):
    raw = tmp_path / "device.raw"
    env = dict(os.environ, SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=str(raw),
               PYGAME_HIDE_SUPPORT_PROMPT="1", DREAMVIZ_CACHE_DIR=str(tmp_path / "cache"))
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                          text=True, timeout=90)
    if proc.returncode != 0 and "disk audio driver did not open" in proc.stderr:
        pytest.skip("SDL disk audio driver unavailable")
    assert proc.returncode == 0, proc.stderr[-2000:]
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    freq, size, channels = info["format"]
    assert abs(size) == 16  # we asked for signed 16-bit; the disk driver writes it raw
    pcm = np.fromfile(raw, dtype="<i2")
    if channels > 1:
        pcm = pcm.reshape(-1, channels)[:, 0]
    start_of_play = info["before"] // (2 * channels)  # frames written before play()
    heard = [t - start_of_play / freq for t in onsets(pcm, freq, threshold=600, min_gap=0.3)]
    starts = info["starts"]
    assert len(heard) == len(starts), (heard, starts)
    errors = [abs(h - s) for h, s in zip(heard, starts, strict=True)]
    assert max(errors) <= 0.050, errors
