"""Narration: fakes, reading pace, synthesize_all, fallbacks, cache, and the real espeak voice."""

from __future__ import annotations

import itertools
import os
import stat

import numpy as np
import pytest

from visualizer.narration import (
    FakeNarrator,
    ReadingPaceNarrator,
    get_narrator,
    synthesize_all,
)
from visualizer.narration.cache import ClipCache
from visualizer.script.model import Scene, Script, Sentence, SourcePos, Voice
from visualizer.script.text import words

SR = 22050


def make_script(*texts: str, voice: Voice | None = None) -> Script:
    sentences = tuple(
        Sentence(i, t, 0, words(t), SourcePos("dream.txt", i + 1, 1)) for i, t in enumerate(texts)
    )
    scene = Scene("s", 0, len(sentences), "dawn", "clear-sky", "meadow")
    return Script("dream.txt", "t", sentences, (scene,), voice=voice or Voice())


def test_fake_narrator_is_deterministic_with_known_word_starts():
    n = FakeNarrator()
    a = n.synthesize("The lake is still.", Voice())
    b = n.synthesize("The lake is still.", Voice())
    assert np.array_equal(a.pcm, b.pcm)
    assert [c for c, _ in a.clip.word_starts] == [0, 4, 9, 12]
    for _, t in a.clip.word_starts:  # each burst really starts where it says
        i = round(t * SR)
        assert np.abs(a.pcm[i: i + 200]).max() > 1000
        assert np.abs(a.pcm[max(0, i - 40): i]).max() < 2000
    assert a.clip.speech_end < a.clip.duration
    assert np.abs(a.pcm[int(a.clip.speech_end * SR) + 10:]).max() == 0
    assert n.calls == ["The lake is still.", "The lake is still."]


def test_reading_pace_is_silent_and_calm():
    n = ReadingPaceNarrator()
    assert n.speaks is False
    text = "A serene lake stretches out before you, its surface as still as polished glass."
    u = n.synthesize(text, Voice(rate=140))
    assert not u.pcm.any()
    wpm = len(words(text)) / u.clip.speech_end * 60
    assert 100 <= wpm <= 180
    assert len(u.clip.word_starts) == len(words(text))
    slow = n.synthesize(text, Voice(rate=100))
    assert slow.clip.duration > u.clip.duration


def test_synthesize_all_one_utterance_per_sentence_with_every_word_timed():
    script = make_script("I am dreaming.", "The walls pulse with light, softly.")
    out = synthesize_all(script, FakeNarrator(), cache=False)
    assert [u.text for u in out] == [s.text for s in script.sentences]
    for u, s in zip(out, script.sentences, strict=True):
        assert [c for c, _ in u.clip.word_starts] == [w.char for w in s.words]
        times = [t for _, t in u.clip.word_starts]
        assert times == sorted(times)


def test_voice_override_by_name_or_voice():
    script = make_script("Slowly now.", voice=Voice(rate=140))
    slow = synthesize_all(script, FakeNarrator(), voice=Voice(rate=100), cache=False)[0]
    base = synthesize_all(script, FakeNarrator(), cache=False)[0]
    assert slow.duration > base.duration


def test_failed_sentence_falls_back_to_reading_pace_with_one_warning():
    script = make_script("One.", "Two BAD.", "Three BAD.", "Four.")
    warnings: list[str] = []
    out = synthesize_all(script, FakeNarrator(fail_on=("BAD",)), cache=False,
                         warn=warnings.append)
    assert len(out) == 4
    assert out[0].pcm.any() and out[3].pcm.any()
    assert not out[1].pcm.any() and not out[2].pcm.any()
    assert out[1].clip.duration > 0.5
    assert len(warnings) == 1 and "dream.txt:2:1" in warnings[0]


def test_cache_hits_second_time_and_verifies_frames(tmp_path):
    script = make_script("Water under the moon.", "A candle flickers.")
    n = FakeNarrator()
    cache = ClipCache(tmp_path)
    first = synthesize_all(script, n, cache=cache)
    second = synthesize_all(script, n, cache=ClipCache(tmp_path))
    assert len(n.calls) == 2  # second run came from disk
    for a, b in zip(first, second, strict=True):
        assert np.array_equal(a.pcm, b.pcm)
        assert a.clip == b.clip
    # a truncated WAV is not trusted: synthesized again
    wav = sorted(tmp_path.glob("*.wav"))[0]
    wav.write_bytes(wav.read_bytes()[:-100])
    synthesize_all(script, n, cache=ClipCache(tmp_path))
    assert len(n.calls) == 3


def test_cache_key_changes_with_voice(tmp_path):
    script = make_script("Water under the moon.")
    n = FakeNarrator()
    synthesize_all(script, n, cache=ClipCache(tmp_path))
    synthesize_all(script, n, voice=Voice(rate=120), cache=ClipCache(tmp_path))
    synthesize_all(script, n, voice=Voice(pitch=30), cache=ClipCache(tmp_path))
    assert len(n.calls) == 3


def test_cache_is_size_bounded(tmp_path):
    n = FakeNarrator()
    cache = ClipCache(tmp_path, max_bytes=200_000)
    texts = [f"Sentence number {w} drifts by slowly." for w in ("one", "two", "three", "four")]
    synthesize_all(make_script(*texts), n, cache=cache)
    total = sum(p.stat().st_size for p in tmp_path.glob("*.wav"))
    assert total <= 200_000
    assert len(list(tmp_path.glob("*.wav"))) >= 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_cache_dir_uses_temp_dir_with_one_warning(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    warnings: list[str] = []
    try:
        cache = ClipCache(ro / "narration", warn=warnings.append)
        out = synthesize_all(make_script("One.", "Two."), FakeNarrator(), cache=cache,
                             warn=warnings.append)
    finally:
        ro.chmod(stat.S_IRWXU)
    assert len(out) == 2 and len(warnings) == 1
    assert cache.folder != ro / "narration"
    assert len(list(cache.folder.glob("*.wav"))) == 2


def test_unwritable_cache_dir_as_root_too(tmp_path):
    """A cache path that cannot be a folder (a file is in the way) behaves like read-only."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    warnings: list[str] = []
    cache = ClipCache(blocker / "narration", warn=warnings.append)
    out = synthesize_all(make_script("One.", "Two."), FakeNarrator(), cache=cache,
                         warn=warnings.append)
    assert len(out) == 2 and len(warnings) == 1 and "narration cache" in warnings[0]
    assert len(list(cache.folder.glob("*.wav"))) == 2


def test_get_narrator_none_and_fake():
    assert get_narrator("none").speaks is False
    assert isinstance(get_narrator("fake"), FakeNarrator)


@pytest.fixture(scope="module")
def espeak():
    n = get_narrator("espeak", warn=lambda m: pytest.skip(m), shared=False)
    yield n
    n.close()


def test_real_espeak_gives_speech_and_exact_word_starts(espeak):
    text = "It’s your own face — radiant, and full of self-love."
    u = espeak.synthesize(text, Voice())
    assert u.sample_rate == SR and u.pcm.dtype == np.int16
    assert np.abs(u.pcm).max() > 5000
    assert 0 < u.clip.speech_end <= u.clip.duration
    first = np.flatnonzero(np.abs(u.pcm.astype(np.int32)) > 300)[0] / SR
    assert first <= 0.015  # speech starts right at the clip start
    chars = [c for c, _ in u.clip.word_starts]
    assert text[chars[1]:].startswith("your")  # char offsets survive “’” and “—”
    assert text[chars[3]:].startswith("face")
    assert text[chars[4]:].startswith("radiant")
    times = [t for _, t in u.clip.word_starts]
    assert times == sorted(times) and times[-1] < u.clip.speech_end


def test_real_espeak_rate_changes_length(espeak):
    text = "A serene lake stretches out before you."
    fast = espeak.synthesize(text, Voice(rate=200)).duration
    slow = espeak.synthesize(text, Voice(rate=110)).duration
    assert slow > fast * 1.4


def test_real_espeak_synthesize_all_aligns_to_script_words(espeak, tmp_path):
    script = make_script("\"You're not enough,\" they hiss.", "Count 42 self-compassion stars.")
    out = synthesize_all(script, espeak, cache=ClipCache(tmp_path))
    for u, s in zip(out, script.sentences, strict=True):
        assert [c for c, _ in u.clip.word_starts] == [w.char for w in s.words]
        times = [t for _, t in u.clip.word_starts]
        assert times == sorted(times)
        assert len(set(times)) == len(times)  # every word its own moment
    # leading quote silence is trimmed: sound within 15 ms of the clip start
    first = np.flatnonzero(np.abs(out[0].pcm.astype(np.int32)) > 300)[0] / SR
    assert first <= 0.015


def test_real_espeak_unknown_voice_is_a_user_error(espeak):
    from visualizer.errors import DreamError

    with pytest.raises(DreamError, match="unknown voice"):
        espeak.synthesize("Hello.", Voice(name="no-such-voice-xyz"))
    assert espeak.synthesize("Hello.", Voice()).pcm.any()  # still fine afterwards


def test_real_espeak_lists_english_voices(espeak):
    voices = espeak.voices()
    assert any(v.languages and v.languages[0].startswith("en") for v in voices)


def test_estimator_weights_words_like_speech():
    from visualizer.timeline.words import estimate_word_starts, word_weights

    s = make_script("The strawberries, and the night.").sentences[0]
    w = word_weights(s)
    assert w[1] > w[0] * 2  # "strawberries," is long and followed by a rest
    assert w[2] < w[1]
    starts = estimate_word_starts(s, 3.0, 2.5)
    assert starts[0] == (0, 0.01) and [c for c, _ in starts] == [x.char for x in s.words]
    assert all(b[1] > a[1] for a, b in itertools.pairwise(starts))
    assert starts[-1][1] < 2.5


def test_estimator_is_close_to_espeak_word_events(espeak):
    """The estimate used for voices without word events, checked against espeak's events."""
    import statistics

    from visualizer import pipeline
    from visualizer.timeline.words import estimate_word_starts

    script = pipeline.load("candle-lake")
    errors = []
    for s, u in zip(script.sentences, synthesize_all(script, espeak, cache=False), strict=True):
        exact = dict(u.clip.word_starts)
        for c, t in estimate_word_starts(s, u.clip.duration, u.clip.speech_end):
            errors.append(abs(t - exact[c]))
    assert statistics.median(errors) <= 0.080


def test_native_voice_without_events_gets_estimated_word_starts():
    class NoEvents(FakeNarrator):
        def synthesize(self, text, voice):
            u = super().synthesize(text, voice)
            from visualizer.narration.base import Utterance
            from visualizer.timeline.model import SpokenClip

            return Utterance(u.text, u.pcm, u.sample_rate,
                             SpokenClip(u.clip.duration, u.clip.speech_end, ()))

    script = make_script("A serene lake, still as glass.")
    u = synthesize_all(script, NoEvents(), cache=False)[0]
    assert [c for c, _ in u.clip.word_starts] == [w.char for w in script.sentences[0].words]
    assert u.clip.word_starts[-1][1] < u.clip.speech_end


def test_pyttsx3_save_to_file_path_in_the_worker(capfd):
    """The macOS/Windows path (pyttsx3 save_to_file), exercised here through pyttsx3's own
    espeak driver: speech comes back, word starts are estimated, stdout stays clean."""
    n = get_narrator("pyttsx3", warn=lambda m: pytest.skip(m), shared=False)
    try:
        script = make_script("A serene lake, still as glass.")
        u = synthesize_all(script, n, cache=False)[0]
    finally:
        n.close()
    assert n.engine_id.startswith("pyttsx3")
    assert np.abs(u.pcm).max() > 3000 and u.clip.speech_end < u.clip.duration
    assert [c for c, _ in u.clip.word_starts] == [w.char for w in script.sentences[0].words]
    assert "Audio saved" not in capfd.readouterr().out


def test_default_cache_is_shared_and_warns_once(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DREAMVIZ_CACHE_DIR", str(blocker))
    warnings: list[str] = []
    for text in ("One.", "Two."):
        synthesize_all(make_script(text), FakeNarrator(), warn=warnings.append)
    assert len(warnings) == 1


def test_sentence_without_words_is_a_quiet_rest_not_a_failure():
    script = make_script("The lake.", "…", "Still.")
    warnings: list[str] = []
    n = FakeNarrator()
    out = synthesize_all(script, n, cache=False, warn=warnings.append)
    assert not warnings and n.calls == ["The lake.", "Still."]
    assert not out[1].pcm.any() and out[1].clip.duration > 0
