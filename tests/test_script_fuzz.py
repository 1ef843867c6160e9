"""Fuzz: arbitrary text and directive soup through the reader, parser, lint, builder and the
scheduler. Only success or DreamError is acceptable, and a success is a coherent Script."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from visualizer.errors import DreamError
from visualizer.script import load_script_text
from visualizer.script.model import Script
from visualizer.timeline import build_schedule
from visualizer.timeline.model import SpokenClip

NAMES = ["title", "voice", "seed", "pauses", "scene", "cue", "pause", "auto", "sceen", ""]
KEYS = ["palette", "sky", "ground", "mood", "layers", "transition", "rate", "pitch", "volume",
        "name", "sentence", "paragraph", "scene", "at", "intensity", "fade", "fade_in", "hold",
        "fade_out", "cues", "scenes", "colour"]
VALUES = ["dawn", "abyss", "dark", "night-sky", "meadow", "fear", "joy", "hills,mirror", "none",
          "fade:3", "bleed", "dissolve:-1", "0", "1", "0.5", "-3", "1e309", "nan", "inf", "400",
          "scene", "on", "off", '"mirror"', '"', "“sea”", "mirror", "x" * 40, "", "2:3:4"]
WORDS = ["mirror", "at", '"sea"', "stars", "clear-sky", "7", "2.5", "The", "Night", "@", "#",
         "=", '"a b"', "starlit", "sunsett"]
PROSE = ["I walk by the sea.", "The mirror shines!", "A river of light flows.", "Mr. Moon?",
         "我在做梦。", "She said, \"Wake.\"", "…", "—", "The dream shifts.", "I awaken.",
         "\\@home", "\\# hash", "   ", "", "Darkness and fear fill the abyss.", "\t"]


@st.composite
def directive(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(NAMES))
    parts = ["@" + name]
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            parts.append(f"{draw(st.sampled_from(KEYS))}={draw(st.sampled_from(VALUES))}")
        else:
            parts.append(draw(st.sampled_from(WORDS)))
    return " ".join(parts)


line = st.one_of(directive(), st.sampled_from(PROSE), st.text(max_size=40),
                 st.just("# comment"), st.just(""))
soup = st.lists(line, max_size=25).map("\n".join)
eol = st.sampled_from(["\n", "\r\n", "\r"])


def _schedule(script: Script) -> None:
    """Synthetic narration: each sentence's clip a second per few words."""
    clips = [SpokenClip(duration=0.5 + 0.3 * len(s.words), speech_end=0.3 * len(s.words) + 0.1)
             for s in script.sentences]
    schedule = build_schedule(script, clips)
    for t in (0.0, schedule.duration / 3, schedule.duration):
        state = schedule.sample(t)
        assert math.isfinite(sum(state.palette.values()))
        assert all(0.0 <= v <= 1.0 + 1e-6 for v in state.motifs.values())


def _coherent(script: Script) -> None:
    n = len(script.sentences)
    assert n > 0 and script.scenes
    assert script.scenes[0].first == 0 and script.scenes[-1].end == n
    for a, b in zip(script.scenes, script.scenes[1:]):
        assert a.end == b.first and a.first < a.end
    for cue in script.cues:
        text = script.sentences[cue.sentence].text
        assert text[cue.char : cue.char + len(cue.word)] == cue.word


def _run(text: str, path: str) -> None:
    try:
        script = load_script_text(text, path)
    except DreamError as exc:
        assert "\n" not in str(exc)
        return
    _coherent(script)
    _schedule(script)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(soup, eol)
def test_directive_soup(text: str, newline: str) -> None:
    _run(text.replace("\n", newline), "fuzz.dream")


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_as_dream_and_as_prose(text: str) -> None:
    _run(text, "fuzz.dream")
    _run(text, "fuzz.txt")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes(data: bytes) -> None:
    from visualizer.script.build import script_from_dream
    from visualizer.script.reader import decode

    for path in ("b.dream", "b.txt"):
        try:
            source = decode(data, path)
            if path.endswith(".dream"):
                _coherent(script_from_dream(source))
        except DreamError:
            pass
