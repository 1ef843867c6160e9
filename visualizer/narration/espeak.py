"""The real voice: espeak-ng in a supervised worker, with exact word starts from its events."""

from __future__ import annotations

from visualizer.audio.analysis import speech_bounds
from visualizer.errors import DreamError
from visualizer.narration.base import NarrationFailed, Utterance, VoiceInfo
from visualizer.narration.worker import SupervisedWorker, WorkerDied, WorkerError
from visualizer.script.model import Voice
from visualizer.timeline.model import SpokenClip

BACKEND = "visualizer.narration.espeak_lib"
LEAD_KEEP = 0.010  # seconds of quiet kept before the first sound of a clip


class EspeakNarrator:
    """Speaks through espeak-ng in a child process; a hang or crash restarts the child and
    retries the sentence once, then raises NarrationFailed (the caller falls back)."""

    speaks = True

    def __init__(self, backend: str | None = None, deadline: float = 10.0) -> None:
        self.worker = SupervisedWorker(backend or BACKEND, deadline=deadline)
        try:
            self.worker.start()
            self.engine_id = str(self.worker.call("version"))
            self.sample_rate = int(self.worker.call("sample_rate"))
        except (WorkerDied, WorkerError) as exc:
            self.worker.close()
            raise NarrationFailed(str(exc)) from None
        self._voices: list[VoiceInfo] | None = None

    def synthesize(self, text: str, voice: Voice) -> Utterance:
        args = (text, voice.name, int(voice.rate), int(voice.pitch), float(voice.volume))
        # a sentence's deadline grows with its length (synthesis is ~100x real time)
        deadline = self.worker.deadline + len(text) * 0.01
        last: Exception | None = None
        for _attempt in range(2):
            try:
                pcm, sr, events = self.worker.call("synthesize", *args, deadline=deadline)
                break
            except LookupError as exc:
                raise DreamError(str(exc.args[0]) if exc.args else str(exc)) from None
            except (WorkerDied, WorkerError) as exc:
                last = exc
        else:
            raise NarrationFailed(str(last))
        if len(pcm) == 0 and text.strip():
            raise NarrationFailed("the engine returned no audio")
        first, speech_end = speech_bounds(pcm, sr)
        # a leading quote or a plosive can leave up to ~160 ms of silence: cut it (keeping
        # 10 ms) so the voice is heard right at the sentence's scheduled start
        cut = max(0, int((first - LEAD_KEEP) * sr))
        pcm = pcm[cut:]
        shift = cut / sr
        speech_end -= shift
        starts = tuple((e.char, round(max(0.0, e.start - shift), 4)) for e in events)
        clip = SpokenClip(duration=len(pcm) / sr, speech_end=speech_end, word_starts=starts)
        return Utterance(text=text, pcm=pcm, sample_rate=sr, clip=clip)

    def voices(self) -> list[VoiceInfo]:
        if self._voices is None:
            rows = self.worker.call("list_voices")
            self._voices = [VoiceInfo(i, n, tuple(langs)) for i, n, langs in rows]
        return list(self._voices)

    def close(self) -> None:
        self.worker.close()
