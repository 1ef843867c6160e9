"""The scheduler: placement of clips, scene cross-fades, cue envelopes, smooth sampling."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from visualizer.script.model import Cue, Pauses, Scene, Script, Sentence, Transition, Word
from visualizer.timeline import build_schedule, estimate_word_starts, reading_pace_clip
from visualizer.timeline.easing import envelope, smoothstep
from visualizer.timeline.model import SpokenClip
from visualizer.timeline.schedule import END_FADE, LEAD_IN, TAIL


def sentence(i: int, text: str, paragraph: int = 0) -> Sentence:
    words = tuple(Word(m.group(), m.start()) for m in re.finditer(r"[\w']+", text))
    return Sentence(index=i, text=text, paragraph=paragraph, words=words)


TEXTS = [
    "The sky is soft with dawn.",
    "Beneath my feet, the ground is a mosaic of memories.",
    "A mirror stands in a clearing.",
    "The dream shifts to a grove.",
]


def make_script(transition: str = "dissolve", cues: tuple[Cue, ...] = ()) -> Script:
    sentences = tuple(sentence(i, t, paragraph=i // 2) for i, t in enumerate(TEXTS))
    scenes = (
        Scene("dawn", 0, 2, "dawn", "clear-sky", "meadow", "calm", ("hills",)),
        Scene("grove", 2, 4, "grove", "clear-sky", "meadow", "wonder", ("grove",),
              Transition(transition, 4.0)),
    )
    return Script("test.dream", "Test", sentences, scenes, cues, pauses=Pauses(0.9, 2.0, 3.0),
                  seed=3)


def clips(script: Script, length: float = 3.0) -> list[SpokenClip]:
    out = []
    for s in script.sentences:
        starts = tuple((w.char, 0.01 + 0.3 * j) for j, w in enumerate(s.words))
        out.append(SpokenClip(length, length - 0.435, starts))
    return out


def test_clips_are_placed_in_order_with_pauses_counting_trailing_silence() -> None:
    script = make_script()
    sched = build_schedule(script, clips(script))
    s = sched.sentences
    assert s[0].start == pytest.approx(LEAD_IN)
    # sentence pause 0.9 s of silence in total: 0.435 in the clip, 0.465 of gap
    assert s[1].start - s[0].speech_end == pytest.approx(0.9)
    # paragraph and scene break (sentence 2 starts scene 1): the scene pause wins
    assert s[2].start - s[1].speech_end == pytest.approx(3.0)
    assert s[3].start - s[2].speech_end == pytest.approx(0.9)
    assert sched.duration == pytest.approx(s[-1].end + TAIL)


def test_exact_word_starts_are_used_and_words_are_ordered() -> None:
    script = make_script()
    sched = build_schedule(script, clips(script))
    for ts in sched.sentences:
        assert ts.words[0].start == pytest.approx(ts.start + 0.01)
        assert ts.words[1].start == pytest.approx(ts.start + 0.31)
        starts = [w.start for w in ts.words]
        assert starts == sorted(starts)
        assert all(w.end <= ts.speech_end + 1e-9 for w in ts.words)


def test_missing_word_events_are_estimated_within_the_speech() -> None:
    script = make_script()
    bare = [SpokenClip(3.0, 2.565) for _ in script.sentences]
    sched = build_schedule(script, bare)
    for ts in sched.sentences:
        starts = [w.start for w in ts.words]
        assert starts == sorted(starts)
        assert ts.start <= starts[0] < starts[-1] < ts.speech_end


def test_scenes_tile_the_whole_dream_and_change_in_the_quiet() -> None:
    script = make_script()
    sched = build_schedule(script, clips(script))
    a, b = sched.scenes
    assert a.start == 0.0 and b.end == pytest.approx(sched.duration)
    assert a.end == b.start
    assert sched.sentences[1].speech_end < b.start < sched.sentences[2].start


def test_palette_and_mood_weights_sum_to_one_and_cross_fade_smoothly() -> None:
    script = make_script()
    sched = build_schedule(script, clips(script))
    boundary = sched.scenes[1].start
    dt = 1 / 60
    prev = None
    t = boundary - 4.0
    while t < boundary + 4.0:
        state = sched.sample(t)
        assert sum(state.palette.values()) == pytest.approx(1.0)
        assert sum(state.mood.values()) == pytest.approx(1.0)
        if prev is not None:
            # no step changes between frames
            assert abs(state.palette.get("grove", 0) - prev.palette.get("grove", 0)) < 0.02
        prev = state
        t += dt
    assert sched.sample(boundary - 3).palette == {"dawn": 1.0}
    assert sched.sample(boundary + 3).palette == {"grove": 1.0}
    mid = sched.sample(boundary)
    assert mid.palette["dawn"] == pytest.approx(0.5, abs=0.01)
    assert 0 < mid.transition < 1


def test_scene_layers_appear_and_leave_with_their_scene() -> None:
    script = make_script()
    sched = build_schedule(script, clips(script))
    early = sched.sample(sched.sentences[0].start)
    late = sched.sample(sched.sentences[3].start)
    assert early.motifs.get("hills") == 1.0 and "grove" not in early.motifs
    assert late.motifs.get("grove") == 1.0 and "hills" not in late.motifs
    assert late.motifs["meadow"] == 1.0  # shared ground stays through the change


def test_cue_is_visible_when_its_word_is_spoken_and_fades_out_by_the_next_scene() -> None:
    mirror = Cue("mirror", sentence=2, word="mirror", char=2, fade_in=2.0, fade_out=3.0)
    script = make_script(cues=(mirror,))
    sched = build_schedule(script, clips(script))
    (cue,) = sched.cues
    assert cue.time == pytest.approx(sched.sentences[2].start + 0.31)  # second word
    assert sched.sample(cue.time - 1.0).motifs.get("mirror", 0) == 0
    assert sched.sample(cue.time).motifs["mirror"] > 0.1
    assert sched.sample(cue.time + 2.0).motifs["mirror"] == pytest.approx(1.0)
    assert "mirror" not in sched.sample(sched.duration).motifs


def test_cue_with_hold_fades_after_it() -> None:
    orb = Cue("orb", sentence=0, word="sky", char=4, fade_in=1.0, hold=2.0, fade_out=1.0)
    script = make_script(cues=(orb,))
    sched = build_schedule(script, clips(script))
    (cue,) = sched.cues
    assert cue.release == pytest.approx(cue.time + 3.0)
    assert sched.sample(cue.release + 1.01).motifs.get("orb", 0) == 0


def test_fade_in_from_dark_and_out_at_the_end() -> None:
    script = make_script()
    sched = build_schedule(script, clips(script))
    assert sched.sample(0.0).fade == 0.0
    assert sched.sample(LEAD_IN).fade == 1.0
    assert sched.sample(sched.duration - END_FADE / 2).fade == pytest.approx(0.5)
    assert sched.sample(sched.duration).fade == 0.0


def test_fade_transition_dips_the_light_and_bleed_summons_bleeding_colours() -> None:
    for kind in ("fade", "bleed"):
        script = make_script(transition=kind)
        sched = build_schedule(script, clips(script))
        mid = sched.sample(sched.scenes[1].start)
        if kind == "fade":
            assert mid.fade < 0.3
        else:
            assert mid.motifs["bleed"] == pytest.approx(1.0, abs=0.01)
            assert mid.transition_kind == "bleed"


def test_spoken_sentence_and_word_are_reported() -> None:
    script = make_script()
    sched = build_schedule(script, clips(script))
    s1 = sched.sentences[1]
    state = sched.sample(s1.words[2].start + 0.01)
    assert (state.sentence, state.word) == (1, 2)
    pause = sched.sample(s1.speech_end + 0.2)
    assert pause.word is None
    assert sched.sample(0.5).sentence is None


def test_sampling_is_deterministic_and_json_has_the_stable_keys() -> None:
    script = make_script(cues=(Cue("mirror", 2, "mirror", 2),))
    a = build_schedule(script, clips(script))
    b = build_schedule(script, clips(script))
    assert a.sample(7.3) == b.sample(7.3)
    data = json.loads(json.dumps(a.to_json()))
    assert set(data) >= {"duration", "sentences", "scenes", "cues"}
    assert set(data["sentences"][0]) >= {"start", "end", "text"}
    assert set(data["scenes"][0]) >= {"start", "end", "name"}
    assert set(data["cues"][0]) >= {"time", "motif", "word"}
    assert " ".join(s["text"] for s in data["sentences"]) == " ".join(TEXTS)


def test_clip_count_must_match() -> None:
    script = make_script()
    with pytest.raises(ValueError):
        build_schedule(script, clips(script)[:2])


def test_reading_pace_clip_is_calm() -> None:
    s = sentence(0, "The sky above is a canvas painted with the soft pastels of dawn.")
    clip = reading_pace_clip(s, 140)
    words_per_minute = len(s.words) / clip.speech_end * 60
    assert 110 < words_per_minute < 170
    assert len(clip.word_starts) == len(s.words)


def test_estimate_gives_commas_room() -> None:
    s = sentence(0, "Here, the trees are ancient")
    starts = dict(estimate_word_starts(s, 3.0, 2.5))
    gap_after_comma = starts[6] - starts[0]
    gap_plain = starts[16] - starts[10]
    assert gap_after_comma > gap_plain


def test_easing_has_no_steps() -> None:
    assert smoothstep(0) == 0 and smoothstep(1) == 1 and smoothstep(0.5) == 0.5
    assert envelope(5, 0, 1, 10, 1) == 1.0 and envelope(11.5, 0, 1, 10, 1) == 0.0


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.floats(0.0, 20.0), min_size=4, max_size=4),
    tails=st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4),
    probes=st.lists(st.floats(-5.0, 200.0), min_size=1, max_size=20),
)
def test_any_clip_lengths_give_a_consistent_schedule(
    lengths: list[float], tails: list[float], probes: list[float]
) -> None:
    script = make_script(cues=(Cue("mirror", 2, "mirror", 2), Cue("orb", 0, "sky", 4, hold=1)))
    cl = [SpokenClip(d, max(0.0, d - tl)) for d, tl in zip(lengths, tails)]
    sched = build_schedule(script, cl)
    starts = [s.start for s in sched.sentences]
    assert starts == sorted(starts)
    assert all(a.end <= b.start + 1e-9 for a, b in zip(sched.sentences, sched.sentences[1:]))
    for t in probes:
        state = sched.sample(t)
        assert sum(state.palette.values()) == pytest.approx(1.0)
        assert all(0.0 <= v <= 1.0 for v in state.motifs.values())
        assert 0.0 <= state.fade <= 1.0


def test_cued_motifs_report_how_long_they_have_been_unfolding() -> None:
    flowers = Cue("flowers", sentence=2, word="mirror", char=2, fade_in=2.0)
    script = make_script(cues=(flowers,))
    sched = build_schedule(script, clips(script))
    (cue,) = sched.cues
    begin = cue.time - 0.35 * cue.fade_in
    assert sched.sample(begin + 5.0).ages["flowers"] == pytest.approx(5.0)
    assert "flowers" not in sched.sample(begin - 1.0).ages
    assert "hills" not in sched.sample(begin + 5.0).ages  # scene layers are not cues
