"""Speak a whole script: one Utterance per sentence, cached, never stopping the show.

Sentences are synthesized in order (the first ones are ready first). A sentence the engine
cannot speak (after the worker's restart and retry) is timed at reading pace instead, with
one warning for the whole dream.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import replace

from visualizer.narration.align import align_word_starts
from visualizer.narration.base import NarrationFailed, Narrator, Utterance
from visualizer.narration.cache import ClipCache, cache_key, default_dir
from visualizer.narration.pace import ReadingPaceNarrator
from visualizer.script.model import Script, Sentence, Voice
from visualizer.timeline.model import SpokenClip
from visualizer.timeline.words import estimate_word_starts

Warn = Callable[[str], None]


def print_warning(message: str) -> None:
    print(f"dreamviz: warning: {message}", file=sys.stderr)


_CACHES: dict[str, ClipCache] = {}


def shared_cache(warn: Warn) -> ClipCache:
    """One cache per folder per process, so a read-only folder is reported once, not once
    per dream of a playlist."""
    folder = str(default_dir())
    if folder not in _CACHES:
        _CACHES[folder] = ClipCache(folder, warn=warn)
    return _CACHES[folder]


def resolve_voice(script: Script, voice: Voice | str | None) -> Voice:
    """`voice` overrides the script's voice: a whole Voice, or just a voice name."""
    if voice is None:
        return script.voice
    if isinstance(voice, str):
        return replace(script.voice, name=voice)
    return voice


def speak_sentence(sentence: Sentence, narrator: Narrator, voice: Voice,
                   cache: ClipCache | None = None) -> Utterance:
    """One sentence, from the cache when possible; word starts put on the script's words.
    Raises NarrationFailed when the narrator cannot speak it."""
    if not sentence.words:  # only punctuation ("…", "—"): nothing to say, a short rest
        return ReadingPaceNarrator().speak_sentence(sentence, voice)
    key = None
    if cache is not None and narrator.speaks:
        key = cache_key(sentence.text, voice, narrator.engine_id)
        hit = cache.get(key)
        if hit is not None:
            return _on_words(sentence, hit)
    if isinstance(narrator, ReadingPaceNarrator):
        return narrator.speak_sentence(sentence, voice)
    utt = narrator.synthesize(sentence.text, voice)
    if key is not None and cache is not None:
        cache.put(key, utt)
    return _on_words(sentence, utt)


def _on_words(sentence: Sentence, utt: Utterance) -> Utterance:
    if utt.clip.word_starts:
        starts = align_word_starts(sentence.words, utt.clip.word_starts, utt.clip.speech_end)
    else:  # the engine gave no word events: estimate them from the words themselves
        starts = estimate_word_starts(sentence, utt.clip.duration, utt.clip.speech_end)
    clip = SpokenClip(duration=utt.clip.duration, speech_end=utt.clip.speech_end,
                      word_starts=starts)
    return Utterance(text=sentence.text, pcm=utt.pcm, sample_rate=utt.sample_rate, clip=clip)


def synthesize_iter(script: Script, narrator: Narrator, voice: Voice | str | None = None, *,
                    cache: ClipCache | bool | None = True, warn: Warn | None = None
                    ) -> Iterator[Utterance]:
    """Yield each sentence's Utterance in order, as soon as it is ready."""
    warn = warn or print_warning
    v = resolve_voice(script, voice)
    if cache is True:
        cache = shared_cache(warn)
    elif cache is False:
        cache = None
    fallback = ReadingPaceNarrator()
    failed = 0
    for sentence in script.sentences:
        try:
            yield speak_sentence(sentence, narrator, v, cache)
        except NarrationFailed as exc:
            failed += 1
            if failed == 1:
                where = f"{sentence.pos}: " if sentence.pos else ""
                warn(f"{where}the voice failed ({exc}); showing this sentence at reading pace")
            yield fallback.speak_sentence(sentence, v)


def synthesize_all(script: Script, narrator: Narrator, voice: Voice | str | None = None, *,
                   cache: ClipCache | bool | None = True, warn: Warn | None = None
                   ) -> list[Utterance]:
    """One Utterance per sentence of `script` (script.voice unless `voice` is given)."""
    return list(synthesize_iter(script, narrator, voice, cache=cache, warn=warn))
