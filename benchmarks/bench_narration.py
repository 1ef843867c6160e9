"""Narration benchmark: word-timing accuracy, synthesis speed, ambient speed, and sync.

    python benchmarks/bench_narration.py [--json] [--disk DREAM]

1. Word timing: for every sentence of every bundled dream, the timeline's estimate
   (`visualizer.timeline.estimate_word_starts`, fitted word weights, given only the clip's
   duration and speech end) and a naive baseline (time proportional to letters) against
   espeak-ng's own word events (sample-exact, aligned to the script's words by char offset).
   Median / p90 / max absolute error per dream. Goal: median <= 80 ms.
2. Synthesis: each bundled dream cold (empty cache dir) and warm (cached), seconds.
3. Ambient: a whole dream's bed (ducked under its voice), seconds per minute of audio.
4. `narrate --out` sync: sentence onsets detected in the mixed-down narration track vs the
   schedule's sentence starts: max error per dream (goal <= 50 ms).
5. `--disk DREAM`: plays DREAM in real time through MixerSink on SDL's disk audio driver and
   compares onsets in the captured device stream with the schedule (slow: the dream's length).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def word_timing(narrator) -> dict:
    from visualizer import pipeline
    from visualizer.narration import synthesize_all
    from visualizer.resources import bundled_dreams
    from visualizer.timeline import estimate_word_starts

    estimators = {"timeline.estimate": estimate_word_starts, "by letters": _by_letters}
    out = {}
    everything: dict[str, list[float]] = {name: [] for name in estimators}
    for path in bundled_dreams():
        script = pipeline.load(path)
        utts = synthesize_all(script, narrator, cache=False)
        errors: dict[str, list[float]] = {name: [] for name in estimators}
        for sentence, utt in zip(script.sentences, utts, strict=True):
            exact = dict(utt.clip.word_starts)
            for name, estimator in estimators.items():
                guess = dict(estimator(sentence, utt.clip.duration, utt.clip.speech_end))
                for w in sentence.words:
                    if w.char in exact and w.char in guess:
                        errors[name].append(abs(guess[w.char] - exact[w.char]))
        for name in estimators:
            everything[name] += errors[name]
            out[f"{path.stem} ({name})"] = _summary(errors[name])
    for name in estimators:
        out[f"all ({name})"] = _summary(everything[name])
    return out


def _by_letters(sentence, duration: float, speech_end: float) -> tuple[tuple[int, float], ...]:
    """Naive baseline: each word takes time in proportion to its letters."""
    total = sum(len(w.text) + 1 for w in sentence.words) or 1
    acc, out = 0, []
    for w in sentence.words:
        out.append((w.char, 0.01 + (speech_end - 0.01) * acc / total))
        acc += len(w.text) + 1
    return tuple(out)


def _summary(errors: list[float]) -> dict:
    return {"words": len(errors), "median_ms": 1000 * statistics.median(errors),
            "p90_ms": 1000 * _pct(errors, 0.9), "max_ms": 1000 * max(errors)}


def synthesis_speed() -> dict:
    from visualizer import pipeline
    from visualizer.narration import get_narrator, synthesize_all
    from visualizer.narration.cache import ClipCache
    from visualizer.resources import bundled_dreams

    out = {}
    narrator = get_narrator()
    with tempfile.TemporaryDirectory() as tmp:
        for path in bundled_dreams():
            script = pipeline.load(path)
            cache = ClipCache(Path(tmp) / path.stem)
            t = time.perf_counter()
            utts = synthesize_all(script, narrator, cache=cache)
            cold = time.perf_counter() - t
            t = time.perf_counter()
            synthesize_all(script, narrator, cache=ClipCache(Path(tmp) / path.stem))
            warm = time.perf_counter() - t
            audio = sum(u.duration for u in utts)
            out[path.stem] = {"sentences": len(utts), "audio_s": audio, "cold_s": cold,
                              "warm_s": warm, "x_real_time": audio / cold}
    narrator.close()
    return out


def ambient_and_sync() -> dict:
    from visualizer import pipeline
    from visualizer.audio.ambient import _LAYER_CACHE, ambient_track
    from visualizer.audio.analysis import onsets
    from visualizer.audio.mixdown import narration_track
    from visualizer.resources import bundled_dreams

    out = {}
    for path in bundled_dreams():
        prepared = pipeline.prepare(path)
        sr = prepared.utterances[0].sample_rate
        voice = narration_track(prepared.schedule, list(prepared.utterances), sr)
        _LAYER_CACHE.clear()
        t = time.perf_counter()
        ambient_track(prepared.schedule, sr, voice_track=voice)
        amb = time.perf_counter() - t
        starts = [s.start for s in prepared.schedule.sentences]
        found = onsets(voice, sr, threshold=600, min_gap=0.5)
        errors = [abs(a - b) for a, b in zip(found, starts, strict=False)]
        out[path.stem] = {"duration_s": prepared.schedule.duration,
                          "ambient_s": amb,
                          "ambient_s_per_min": amb / (prepared.schedule.duration / 60),
                          "onsets": len(found), "sentences": len(starts),
                          "max_onset_error_ms": 1000 * max(errors)}
    return out


DISK_CHILD = textwrap.dedent('''
    import json, os, sys, time
    import numpy as np
    from visualizer import pipeline
    from visualizer.audio.mixdown import narration_track
    from visualizer.audio.mixer_sink import MixerSink
    prepared = pipeline.prepare(sys.argv[1])
    sr = prepared.utterances[0].sample_rate
    track = narration_track(prepared.schedule, list(prepared.utterances), sr)
    track = np.clip(track.astype(np.int32) + 1, -32768, 32767).astype(np.int16)  # t=0 mark
    sink = MixerSink(sample_rate=sr)
    sink.load(track, None, sr)
    before = os.path.getsize(os.environ["SDL_DISKAUDIOFILE"])
    sink.play(0.0)
    drift = []
    while sink.busy():
        time.sleep(0.25)
        heard = (os.path.getsize(os.environ["SDL_DISKAUDIOFILE"]) - before) / (2 * sr)
        drift.append(sink.position() - heard)
    sink.close()
    print(json.dumps({"format": list(sink._format), "before": before,
                      "starts": [s.start for s in prepared.schedule.sentences],
                      "drift": drift}))
''')


def disk_sync(dream: str) -> dict:
    import numpy as np

    from visualizer.audio.analysis import onsets

    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "device.raw"
        child = Path(tmp) / "child.py"
        child.write_text(DISK_CHILD, encoding="utf-8")
        env = dict(os.environ, SDL_AUDIODRIVER="disk", SDL_DISKAUDIOFILE=str(raw))
        proc = subprocess.run([sys.executable, str(child), dream], env=env, text=True,
                              capture_output=True, check=True)
        info = json.loads(proc.stdout.strip().splitlines()[-1])
        freq, _, channels = info["format"]
        pcm = np.fromfile(raw, dtype="<i2")
        if channels > 1:
            pcm = pcm.reshape(-1, channels)[:, 0]
        offset = np.flatnonzero(pcm)[0] / freq  # the +1 LSB mark: the track's first sample
        heard = [t - offset for t in onsets(pcm, freq, threshold=600, min_gap=0.5)]
        errors = [abs(h - s) for h, s in zip(heard, info["starts"], strict=False)]
        drift = info["drift"]
        return {"dream": dream, "onsets": len(heard), "sentences": len(info["starts"]),
                "max_onset_error_ms": 1000 * max(errors),
                "median_onset_error_ms": 1000 * statistics.median(errors),
                "position_minus_written_ms": [1000 * min(drift), 1000 * max(drift)],
                "signed_errors_ms": [round(1000 * (h - s), 1)
                                     for h, s in zip(heard, info["starts"], strict=False)]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--disk", metavar="DREAM", help="also run the real-time disk-driver sync")
    args = ap.parse_args()
    from visualizer.narration import get_narrator

    narrator = get_narrator()
    if not narrator.speaks:
        print("no voice: nothing to measure", file=sys.stderr)
        return 1
    result = {"engine": narrator.engine_id, "word_timing": word_timing(narrator),
              "synthesis": synthesis_speed(), "ambient_and_sync": ambient_and_sync()}
    narrator.close()
    if args.disk:
        result["disk_sync"] = disk_sync(args.disk)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"engine: {result['engine']}\n")
    print("| dream | words | median error | p90 | max |\n|---|---|---|---|---|")
    for name, r in result["word_timing"].items():
        print(f"| {name} | {r['words']} | {r['median_ms']:.0f} ms | {r['p90_ms']:.0f} ms "
              f"| {r['max_ms']:.0f} ms |")
    print("\n| dream | sentences | audio | cold | warm | x real time |\n|---|---|---|---|---|---|")
    for name, r in result["synthesis"].items():
        print(f"| {name} | {r['sentences']} | {r['audio_s']:.1f} s | {r['cold_s']:.2f} s "
              f"| {r['warm_s']:.3f} s | {r['x_real_time']:.0f}x |")
    print("\n| dream | duration | ambient bed | per minute | onsets | max onset error |\n"
          "|---|---|---|---|---|---|")
    for name, r in result["ambient_and_sync"].items():
        print(f"| {name} | {r['duration_s']:.1f} s | {r['ambient_s']:.2f} s "
              f"| {r['ambient_s_per_min']:.2f} s | {r['onsets']}/{r['sentences']} "
              f"| {r['max_onset_error_ms']:.1f} ms |")
    if args.disk:
        d = result["disk_sync"]
        print(f"\ndisk driver, {d['dream']}: {d['onsets']}/{d['sentences']} onsets, max error "
              f"{d['max_onset_error_ms']:.1f} ms, median {d['median_onset_error_ms']:.1f} ms; "
              f"position - written {d['position_minus_written_ms'][0]:.0f}.."
              f"{d['position_minus_written_ms'][1]:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
