"""The voiceless fallback: silent clips timed at a calm reading pace, so captions and visuals
still move with the text when no speech engine works. Timing is the timeline's own
`reading_pace_clip` for the sentence's length; words inside it are placed by our estimator
(the same one used for voices without word events)."""

from __future__ import annotations

import numpy as np

from visualizer.narration.base import SAMPLE_RATE, Utterance, VoiceInfo
from visualizer.script.model import Sentence, Voice
from visualizer.script.text import words
from visualizer.timeline import reading_pace_clip
from visualizer.timeline.model import SpokenClip
from visualizer.timeline.words import estimate_word_starts


class ReadingPaceNarrator:
    """No voice: silent PCM as long as a calm reader would take; `speaks` is False."""

    engine_id = "reading-pace-1"
    speaks = False

    def __init__(self, reason: str | None = None, sample_rate: int = SAMPLE_RATE) -> None:
        self.reason = reason
        self.sample_rate = sample_rate

    def synthesize(self, text: str, voice: Voice) -> Utterance:
        sentence = Sentence(index=0, text=text, paragraph=0, words=words(text))
        return self.speak_sentence(sentence, voice)

    def speak_sentence(self, sentence: Sentence, voice: Voice) -> Utterance:
        clip = reading_pace_clip(sentence, voice.rate)
        frames = round(clip.duration * self.sample_rate)
        duration = frames / self.sample_rate
        speech_end = min(clip.speech_end, duration)
        exact = SpokenClip(duration=duration, speech_end=speech_end,
                           word_starts=estimate_word_starts(sentence, duration, speech_end))
        return Utterance(text=sentence.text, pcm=np.zeros(frames, np.int16),
                         sample_rate=self.sample_rate, clip=exact)

    def voices(self) -> list[VoiceInfo]:
        return []

    def close(self) -> None:
        pass
