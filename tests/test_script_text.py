"""Sentence splitting, words and the imagery lexicon."""

from __future__ import annotations

import time

import pytest

from visualizer.resources import load_json_asset
from visualizer.script import load_script_text
from visualizer.script.lexicon import MOODS, SKIES, lexicon, tokens
from visualizer.script.text import MAX_SENTENCE, paragraph_spans, sentence_spans, words


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I walk. I stop.", ["I walk.", "I stop."]),
        ("Is it real? Yes! It is.", ["Is it real?", "Yes!", "It is."]),
        ('"You\'re not enough," they hiss. I run.', ['"You\'re not enough," they hiss.', "I run."]),
        ('"Stop!" she said. "Go." He went.', ['"Stop!" she said.', '"Go."', "He went."]),
        ("I wait... and wait. Then... Silence.", ["I wait... and wait.", "Then...", "Silence."]),
        ("I wait… Then light.", ["I wait…", "Then light."]),
        ("my heart—the imperfections—stay. Next.", ["my heart—the imperfections—stay.", "Next."]),
        ("Mr. Lee and Dr. Moon met, e.g. at St. Ives. Then.", [
            "Mr. Lee and Dr. Moon met, e.g. at St. Ives.", "Then."]),
        ("J. R. R. Tolkien wrote. Yes.", ["J. R. R. Tolkien wrote.", "Yes."]),
        ("It was 3.14 metres. At 5 p.m. we left.", ["It was 3.14 metres.", "At 5 p.m. we left."]),
        ("我在做梦。湖很安静！你呢？", ["我在做梦。", "湖很安静！", "你呢？"]),
        ("(It was late.) Yes.", ["(It was late.)", "Yes."]),
        ("No full stop at the end", ["No full stop at the end"]),
        ("Sc  they whisper words of doubt.", ["Sc  they whisper words of doubt."]),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_paragraphs_and_line_breaks() -> None:
    text = "  One line\nstill one.\n\n \t\nTwo.\n\n\n"
    spans = paragraph_spans(text)
    assert [text[a:b] for a, b in spans] == ["One line\nstill one.", "Two."]
    script = load_script_text(text, "p.txt")
    assert [(s.text, s.paragraph) for s in script.sentences] == [
        ("One line still one.", 0), ("Two.", 1)]
    assert (script.sentences[1].pos.line, script.sentences[1].pos.col) == (5, 1)


def test_words_have_offsets() -> None:
    text = "You're in the serpent’s path—twice, 3 times."
    ws = words(text)
    assert [w.text for w in ws] == ["You're", "in", "the", "serpent’s", "path", "twice", "3",
                                    "times"]
    assert all(text[w.char : w.char + len(w.text)] == w.text for w in ws)
    assert words('"" -- ...') == ()


def test_long_runs_are_cut_where_the_voice_can_breathe() -> None:
    text = ("word, " * 400).strip()
    pieces = split(text)
    assert all(len(p) <= MAX_SENTENCE for p in pieces)
    assert " ".join(pieces) == text
    assert all(p.endswith(",") for p in pieces[:-1])


def test_pathological_input_is_linear() -> None:
    for text in ("a" * 300_000, ". " * 150_000, "Mr. " * 75_000, "…" * 300_000, '"' * 300_000):
        t = time.perf_counter()
        split(text)
        assert time.perf_counter() - t < 5.0


# -- lexicon --------------------------------------------------------------------------------

def test_every_lexicon_target_exists() -> None:
    data = load_json_asset("lexicon.json")
    motifs = load_json_asset("motifs.json")
    palettes = load_json_asset("palettes.json")
    moods = load_json_asset("moods.json")
    assert set(moods) == set(MOODS)
    assert set(data["motifs"]) <= set(motifs)
    assert set(data["palettes"]) <= set(palettes)
    assert set(data["moods"]) <= set(moods)
    for motif, hint in data["motif_hints"].items():
        assert motif in motifs
        assert hint.get("palette", "dawn") in palettes and hint.get("mood", "calm") in moods
    for palette, setting in data["palette_settings"].items():
        assert palette in palettes
        assert setting["sky"] in SKIES
        assert motifs[setting["ground"]]["category"] == "ground"
        assert all(motifs[m]["category"] != "sky" for m in setting["layers"])
        assert setting["mood"] in moods
    assert set(data["cue_hold"]) <= set(motifs) and set(data["cue_intensity"]) <= set(motifs)
    lexicon()  # compiles


def summoned(text: str) -> list[str]:
    return [m for match in lexicon().scan(tokens(text)) for m in match.motifs]


@pytest.mark.parametrize(
    ("text", "motifs"),
    [
        ("A river of light flows from the grove", ["river-of-light", "grove"]),
        ("the river bends", ["river"]),
        ("a starlit sky and starry fields", ["stars", "stars", "meadow"]),
        ("flowers bloom, blooming, bloomed, blossoming", ["flowers"] * 5),
        ("the sea, the shore, snow and rain", ["sea", "shore", "snow", "rain"]),
        ("fire, the moon, an aurora, clouds, mountains", [
            "embers", "moon", "aurora", "clouds", "mountains"]),
        ("a city, a bridge, a door, the stairs", ["city", "bridge", "door", "stairs"]),
        ("birds and fish near a boat and a lantern", ["birds", "fish", "boat", "lantern"]),
        ("a garden? no: a desert and a cave", ["flowers", "dunes", "cave"]),
        ("willow trees by the lake", ["willows", "lake"]),
        ("I awaken", ["waking"]),
        ("You wake from the dream", ["waking"]),
    ],
)
def test_lexicon_finds_images(text: str, motifs: list[str]) -> None:
    assert summoned(text) == motifs


@pytest.mark.parametrize(
    "text",
    [
        "time behaves like a gentle river",
        "the path of my heart",
        "waves of peace and serenity",
        "the light spills off you in waves",
        "in the waking world",
        "my waking mind",
        "a pond mirrors the heavens",
        "colours that seem to mirror the joy",
        "a lush tapestry of an ever-shifting landscape",
        "twisting like a serpent's path",
        "the scent of pine and damp earth",
        "life's most tumultuous storms",
        "with each step, I feel lighter",
    ],
)
def test_figures_of_speech_summon_nothing(text: str) -> None:
    assert [m for m in summoned(text) if m not in ("pond",)] == []


def test_garden_summons_flowers() -> None:
    assert "flowers" in summoned("a quiet garden")


@pytest.mark.parametrize(
    ("text", "title", "first"),
    [
        ("# The Lantern Bridge\n\nI stand.\n", "The Lantern Bridge", "I stand."),
        ("Night Swim\n\nThe sea is warm.\n", "Night Swim", "The sea is warm."),
        ("I am dreaming.\n\nI walk.\n", "T", "I am dreaming."),
        ("Only a title\n", "T", "Only a title"),
        ("Dear diary,\n\nI dreamt.\n", "T", "Dear diary,"),
        ("A line\nand another\n\nMore.\n", "T", "A line and another"),
    ],
)
def test_a_title_line_names_the_dream(text: str, title: str, first: str) -> None:
    script = load_script_text(text, "t.txt")
    assert script.title == title
    assert script.sentences[0].text == first
    assert script.sentences[0].paragraph == 0
