"""The supervised speech worker: hangs and crashes restart it, the sentence is retried, and the
show goes on at reading pace if it keeps failing. Uses a scripted-fault backend in the real
worker process."""

from __future__ import annotations

import os
import signal

import pytest

from visualizer.narration import synthesize_all
from visualizer.narration.base import NarrationFailed
from visualizer.narration.espeak import EspeakNarrator
from visualizer.narration.worker import SupervisedWorker, WorkerDied
from visualizer.script.model import Scene, Script, Sentence, SourcePos, Voice
from visualizer.script.text import words

FAULTY = "visualizer.narration.fake_backend"


def make_script(*texts: str) -> Script:
    sentences = tuple(
        Sentence(i, t, 0, words(t), SourcePos("d.txt", i + 1, 1)) for i, t in enumerate(texts)
    )
    return Script("d.txt", "t", sentences, (Scene("s", 0, len(texts), "dawn", "a", "b"),))


@pytest.fixture
def narrator():
    n = EspeakNarrator(backend=FAULTY, deadline=1.0)
    yield n
    n.close()


def test_crash_once_restarts_and_retries_the_sentence(narrator, tmp_path):
    flag = tmp_path / "crash"
    flag.write_text("1")
    pid = narrator.worker.pid
    u = narrator.synthesize(f"Drift [crash-once:{flag}] away.", Voice())
    assert u.pcm.any()
    assert narrator.worker.restarts == 1 and narrator.worker.pid != pid


def test_hang_past_deadline_is_killed_then_fails_over(narrator):
    with pytest.raises(NarrationFailed, match="hung"):
        narrator.synthesize("Stay [hang] here.", Voice())
    assert narrator.worker.restarts == 2  # first try and the retry
    assert narrator.synthesize("Fine again.", Voice()).pcm.any()


def test_worker_killed_from_outside_is_restarted(narrator):
    os.kill(narrator.worker.pid, signal.SIGKILL)
    narrator.worker._proc.join(2)
    assert narrator.synthesize("After the storm.", Voice()).pcm.any()
    assert narrator.worker.restarts == 1


def test_show_never_stops_when_a_sentence_keeps_crashing(narrator):
    warnings: list[str] = []
    script = make_script("First light.", "Then [crash] the dark.", "Last light.")
    out = synthesize_all(script, narrator, cache=False, warn=warnings.append)
    assert [bool(u.pcm.any()) for u in out] == [True, False, True]
    assert out[1].clip.duration > 0.5 and len(out[1].clip.word_starts) == 4
    assert len(warnings) == 1 and "d.txt:2:1" in warnings[0]


def test_engine_error_is_reported_not_fatal(narrator):
    with pytest.raises(NarrationFailed, match="scripted engine error"):
        narrator.synthesize("An [error] here.", Voice())


def test_missing_backend_fails_cleanly():
    with pytest.raises(NarrationFailed):
        EspeakNarrator(backend="visualizer.narration.no_such_backend")


def test_worker_call_deadline_raises_worker_died():
    w = SupervisedWorker(FAULTY, deadline=0.5)
    try:
        with pytest.raises(WorkerDied):
            w.call("synthesize", "[hang]", None, 140, 45, 1.0)
        assert w.call("version") == "fake-backend 1"
    finally:
        w.close()


def test_shared_narrator_is_reused_and_thread_safe():
    import threading

    from visualizer.narration import get_narrator

    a = get_narrator("espeak", warn=lambda m: None)
    if not a.speaks:
        pytest.skip("espeak-ng not available")
    assert get_narrator("espeak") is a
    results: list[tuple[str, int]] = []

    def speak(text: str) -> None:
        for _ in range(3):
            results.append((text, len(a.synthesize(text, Voice()).pcm)))

    threads = [threading.Thread(target=speak, args=(t,)) for t in ("One.", "Two words.")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 6
    one = [n for t, n in results if t == "One."]
    two = [n for t, n in results if t != "One."]
    assert max(one) < min(two)  # each thread got its own replies (espeak jitters by a few
    assert max(one) - min(one) < 200 and max(two) - min(two) < 200  # samples run to run)
