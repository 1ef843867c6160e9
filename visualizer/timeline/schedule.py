"""Script + measured narration -> Schedule; `Schedule.sample(t)` -> SceneState. Pure.

Time on the track: `lead_in` seconds of quiet fade-in, then each sentence's clip at its start,
then a pause after it (sentence, paragraph or scene pause, counting the clip's own trailing
silence), and a `tail` for the final fade. Scenes cover [0, duration] without overlap; each
boundary has a transition window centred on it in which the two scenes cross-fade.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from visualizer.script.model import Scene, Script, Sentence
from visualizer.timeline.easing import envelope, ramp
from visualizer.timeline.model import (
    Camera,
    SceneSide,
    SceneState,
    SpokenClip,
    TimedCue,
    TimedScene,
    TimedSentence,
    TimedWord,
)
from visualizer.timeline.words import (
    TRAILING_SILENCE,
    align_word_starts,
    estimate_word_starts,
    reading_pace_duration,
)

LEAD_IN = 3.0  # seconds of picture before the first word
TAIL = 6.0  # seconds after the last word: the waking fade
END_FADE = 4.0  # final fade to dark inside the tail
CUE_PREROLL = 0.35  # fraction of a cue's fade-in that happens before its word is spoken


def reading_pace_clip(sentence: Sentence, rate_wpm: float = 140.0) -> SpokenClip:
    """A silent clip as long as a calm reader would take (captions-only mode)."""
    speech = reading_pace_duration(sentence, rate_wpm)
    duration = speech + TRAILING_SILENCE
    return SpokenClip(duration, speech, estimate_word_starts(sentence, duration, speech))


@dataclass(frozen=True)
class Schedule:
    """The whole dream on one time axis. `sample(t)` is cheap enough to call every frame."""

    title: str
    duration: float
    lead_in: float
    seed: int
    sentences: tuple[TimedSentence, ...]
    scenes: tuple[TimedScene, ...]
    cues: tuple[TimedCue, ...]

    # ---- queries -------------------------------------------------------------------------
    @cached_property
    def _sentence_starts(self) -> list[float]:
        """Kept once: `sample` bisects it every frame."""
        return [s.start for s in self.sentences]

    @cached_property
    def _scene_starts(self) -> list[float]:
        return [s.start for s in self.scenes]

    def sentence_at(self, t: float) -> int | None:
        """Index of the sentence whose clip is playing at t (None in the pauses)."""
        i = bisect.bisect_right(self._sentence_starts, t) - 1
        if i >= 0 and t < self.sentences[i].end:
            return i
        return None

    def spoken_at(self, t: float) -> tuple[int | None, int | None]:
        """(sentence, word) being spoken at t; word None outside the voice's speech."""
        i = self.sentence_at(t)
        if i is None:
            return None, None
        s = self.sentences[i]
        if t >= s.speech_end or not s.words:
            return i, None
        starts = [w.start for w in s.words]
        j = bisect.bisect_right(starts, t) - 1
        return i, (j if j >= 0 else None)

    def scene_weights(self, t: float) -> list[tuple[int, float, float]]:
        """[(scene index, weight, transition progress)] for scenes visible at t (weights sum
        to 1). Progress is how far the transition into that scene has come (1 = settled)."""
        n = len(self.scenes)
        if n == 0:
            return []
        k = max(0, bisect.bisect_right(self._scene_starts, t) - 1)
        out: list[tuple[int, float, float]] = []
        # transition into k (at its start) and into k+1 (at its end)
        a_in = self._alpha(k, t)
        a_next = self._alpha(k + 1, t) if k + 1 < n else 0.0
        if k > 0 and a_in < 1.0:
            out.append((k - 1, 1.0 - a_in, 1.0))
        if a_next > 0.0:
            out.append((k, a_in * (1.0 - a_next), a_in))
            out.append((k + 1, a_next, a_next))
        else:
            out.append((k, a_in, a_in))
        total = sum(w for _, w, _ in out) or 1.0
        return [(i, w / total, p) for i, w, p in out if w > 0.0]

    def _alpha(self, k: int, t: float) -> float:
        """Progress of the transition into scene k (1.0 for the first scene)."""
        if k <= 0:
            return 1.0
        s = self.scenes[k]
        d = s.transition_duration
        return ramp(t, s.start - d / 2.0, d)

    def sample(self, t: float) -> SceneState:
        """The full scene state at time t: smooth in t, deterministic, no side effects."""
        t = float(t)
        visible = self.scene_weights(t)
        palette: dict[str, float] = {}
        mood: dict[str, float] = {}
        motifs: dict[str, float] = {}
        ages: dict[str, float] = {}
        fade = 1.0
        dominant, dominant_w, progress, kind = 0, -1.0, 1.0, "dissolve"
        sides = []
        for i, w, p in visible:
            scene = self.scenes[i]
            sides.append(SceneSide(round(w, 6), scene.palette, tuple(
                n for n in (scene.sky, scene.ground, *scene.layers) if n)))
            palette[scene.palette] = palette.get(scene.palette, 0.0) + w
            mood[scene.mood] = mood.get(scene.mood, 0.0) + w
            for name in (scene.sky, scene.ground, *scene.layers):
                if name:
                    motifs[name] = max(motifs.get(name, 0.0), w)
            if w > dominant_w:
                dominant, dominant_w = i, w
            if p < 1.0:
                progress, kind = p, scene.transition
                if scene.transition == "fade":
                    fade *= 1.0 - 0.85 * math.sin(math.pi * p) ** 2
                elif scene.transition == "bleed":
                    motifs["bleed"] = max(motifs.get("bleed", 0.0), math.sin(math.pi * p))
        for cue in self.cues:
            if t < cue.time - cue.fade_in or t > cue.release + cue.fade_out:
                continue
            start = cue.time - CUE_PREROLL * cue.fade_in
            level = cue.intensity * envelope(t, start, cue.fade_in, cue.release, cue.fade_out)
            if level > 0.0:
                if level >= motifs.get(cue.motif, 0.0):
                    ages[cue.motif] = t - start
                motifs[cue.motif] = max(motifs.get(cue.motif, 0.0), level)
        # overall light: fade in from dark, fade out at the very end
        fade *= ramp(t, 0.0, self.lead_in * 0.8) if self.lead_in > 0 else 1.0
        fade *= 1.0 - ramp(t, self.duration - END_FADE, END_FADE)
        sentence, word = self.spoken_at(t)
        return SceneState(
            t=t,
            palette=palette,
            mood=mood,
            motifs={k: round(v, 6) for k, v in motifs.items() if v > 1e-4},
            camera=self.camera(t),
            fade=max(0.0, min(1.0, fade)),
            scene=dominant,
            transition=progress,
            transition_kind=kind,
            sentence=sentence,
            word=word,
            ages={k: round(v, 4) for k, v in ages.items() if k in motifs},
            sides=tuple(sides),
        )

    def camera(self, t: float) -> Camera:
        """A slow, aimless drift (periods of one to three minutes), different per seed."""
        ph = (self.seed % 997) * 0.618
        return Camera(
            x=0.018 * math.sin(2 * math.pi * t / 97.0 + ph),
            y=0.008 * math.sin(2 * math.pi * t / 131.0 + 2 * ph),
            zoom=1.0 + 0.015 * (0.5 + 0.5 * math.sin(2 * math.pi * t / 173.0 + 3 * ph)),
        )

    # ---- output --------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        r = _r
        return {
            "title": self.title,
            "duration": r(self.duration),
            "lead_in": r(self.lead_in),
            "seed": self.seed,
            "sentences": [
                {
                    "index": s.index,
                    "start": r(s.start),
                    "end": r(s.end),
                    "speech_end": r(s.speech_end),
                    "text": s.text,
                    "paragraph": s.paragraph,
                    "scene": s.scene,
                    "words": [
                        {"text": w.text, "start": r(w.start), "end": r(w.end)} for w in s.words
                    ],
                }
                for s in self.sentences
            ],
            "scenes": [
                {
                    "index": s.index,
                    "start": r(s.start),
                    "end": r(s.end),
                    "name": s.name,
                    "palette": s.palette,
                    "sky": s.sky,
                    "ground": s.ground,
                    "mood": s.mood,
                    "layers": list(s.layers),
                    "transition": {"kind": s.transition, "duration": r(s.transition_duration)},
                }
                for s in self.scenes
            ],
            "cues": [
                {
                    "time": r(c.time),
                    "motif": c.motif,
                    "word": c.word,
                    "sentence": c.sentence,
                    "scene": c.scene,
                    "intensity": r(c.intensity),
                    "fade_in": r(c.fade_in),
                    "release": r(c.release),
                    "fade_out": r(c.fade_out),
                }
                for c in self.cues
            ],
        }


def _r(x: float) -> float:
    return round(float(x), 3)


def _pause_after(script: Script, i: int, scene_of: list[int]) -> float:
    s = script.sentences[i]
    if s.pause_after is not None:
        return max(0.0, s.pause_after)
    if i + 1 >= len(script.sentences):
        return 0.0
    if scene_of[i + 1] != scene_of[i]:
        return script.pauses.scene
    if script.sentences[i + 1].paragraph != s.paragraph:
        return script.pauses.paragraph
    return script.pauses.sentence


def _scene_index(script: Script) -> tuple[list[Scene], list[int]]:
    """Scenes to use (a default one if the script has none) and each sentence's scene."""
    n = len(script.sentences)
    scenes = [s for s in script.scenes if s.end > s.first] or [
        Scene(name="dream", first=0, end=n, palette="dawn", sky="clear-sky", ground="meadow")
    ]
    scenes.sort(key=lambda s: s.first)
    scene_of = [0] * n
    for k, sc in enumerate(scenes):
        for i in range(max(0, sc.first), min(n, sc.end)):
            scene_of[i] = k
    # sentences before the first scene or in gaps belong to the previous scene
    for i in range(1, n):
        if scenes[scene_of[i]].first > i:
            scene_of[i] = scene_of[i - 1]
    return scenes, scene_of


def build_schedule(
    script: Script,
    clips: Sequence[SpokenClip],
    lead_in: float = LEAD_IN,
    tail: float = TAIL,
) -> Schedule:
    """Place every sentence's clip on the track and derive scene and cue times from them."""
    if len(clips) != len(script.sentences):
        raise ValueError(f"{len(clips)} clips for {len(script.sentences)} sentences")
    scenes, scene_of = _scene_index(script)

    timed: list[TimedSentence] = []
    t = lead_in
    for i, (sentence, clip) in enumerate(zip(script.sentences, clips)):
        duration = max(0.0, float(clip.duration))
        speech_end = min(duration, max(0.0, float(clip.speech_end)))
        starts = align_word_starts(sentence.words, clip.word_starts)
        if any(s is None for s in starts):
            estimate = dict(estimate_word_starts(sentence, duration, speech_end))
            starts = [
                s if s is not None else estimate[w.char] for s, w in zip(starts, sentence.words)
            ]
        words = []
        for j, w in enumerate(sentence.words):
            ws = min(float(starts[j] or 0.0), speech_end)
            we = float(starts[j + 1] or ws) if j + 1 < len(starts) else speech_end
            words.append(TimedWord(w.text, w.char, t + ws, t + max(ws, min(we, speech_end))))
        timed.append(
            TimedSentence(
                index=i,
                text=sentence.text,
                start=t,
                end=t + duration,
                speech_end=t + speech_end,
                paragraph=sentence.paragraph,
                scene=scene_of[i],
                words=tuple(words),
            )
        )
        trailing = duration - speech_end
        gap = max(0.0, _pause_after(script, i, scene_of) - trailing)
        t += duration + gap
    total = t + tail

    # scene boundaries: halfway through the quiet between the last words of one scene and
    # the first words of the next
    starts_at: list[float] = []
    for k in range(len(scenes)):
        first = next((s for s in timed if s.scene == k), None)
        if k == 0 or first is None:
            starts_at.append(0.0 if k == 0 else starts_at[-1])
            continue
        prev = timed[first.index - 1] if first.index > 0 else None
        quiet_from = prev.speech_end if prev else 0.0
        starts_at.append((quiet_from + first.start) / 2.0)
    ends_at = [*starts_at[1:], total]
    timed_scenes = []
    for k, sc in enumerate(scenes):
        length_here = ends_at[k] - starts_at[k]
        length_before = starts_at[k] - starts_at[k - 1] if k > 0 else length_here
        duration = max(0.0, min(sc.transition.duration, 0.8 * length_here, 0.8 * length_before))
        timed_scenes.append(
            TimedScene(
                index=k,
                name=sc.name,
                start=starts_at[k],
                end=ends_at[k],
                palette=sc.palette,
                sky=sc.sky,
                ground=sc.ground,
                mood=sc.mood,
                layers=tuple(sc.layers),
                transition=sc.transition.kind,
                transition_duration=duration,
            )
        )

    timed_cues = []
    for cue in script.cues:
        if not 0 <= cue.sentence < len(timed):
            continue
        ts = timed[cue.sentence]
        word_time = next((w.start for w in ts.words if w.char == cue.char), None)
        if word_time is None:
            word_time = next((w.start for w in ts.words if w.char >= cue.char), ts.start)
        k = ts.scene
        if cue.hold is not None:
            release = word_time + cue.fade_in + max(0.0, cue.hold)
            fade_out = cue.fade_out
        else:
            nxt = timed_scenes[k + 1] if k + 1 < len(timed_scenes) else None
            if nxt is not None:
                fade_out = max(cue.fade_out, nxt.transition_duration)
                release = nxt.start - fade_out / 2.0
            else:
                fade_out = max(cue.fade_out, END_FADE)
                release = total - fade_out
        release = max(release, word_time + (1.0 - CUE_PREROLL) * cue.fade_in)
        timed_cues.append(
            TimedCue(
                time=word_time,
                motif=cue.motif,
                word=cue.word,
                sentence=cue.sentence,
                scene=k,
                intensity=max(0.0, min(1.0, cue.intensity)),
                fade_in=max(0.0, cue.fade_in),
                release=release,
                fade_out=max(0.0, fade_out),
            )
        )
    timed_cues.sort(key=lambda c: (c.time, c.motif))
    return Schedule(
        title=script.title,
        duration=total,
        lead_in=lead_in,
        seed=script.seed,
        sentences=tuple(timed),
        scenes=tuple(timed_scenes),
        cues=tuple(timed_cues),
    )
