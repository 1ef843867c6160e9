"""The .dream language: one test per construct, drafts, and the hand-tuned bundled scripts."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from test_script_load import ACCEPTANCE, BUNDLED

from visualizer.cli import main
from visualizer.errors import DreamError
from visualizer.resources import bundled_dreams, scenes_dir
from visualizer.script import load_script, load_script_text
from visualizer.script.ast import Directive, Prose
from visualizer.script.build import check_document
from visualizer.script.draft import draft_text
from visualizer.script.lint import render
from visualizer.script.parser import parse
from visualizer.script.reader import decode


def _load(text: str):
    return load_script_text(text, "t.dream")


def _doc(text: str):
    return parse(decode(text.encode(), "t.dream"))


def _plain(items):
    return [dataclasses.replace(x, pos=None) for x in items]


# -- parser ---------------------------------------------------------------------------------

def test_parser_keeps_positions_of_directives_and_values() -> None:
    doc = _doc('Prose first.\n  @cue mirror at "the mirror" fade=2\n# note\n\nMore prose.\n')
    kinds = [type(n).__name__ for n in doc.nodes]
    assert kinds == ["Prose", "Directive", "Prose"]
    cue = doc.nodes[1]
    assert isinstance(cue, Directive) and cue.name == "cue"
    assert (cue.pos.line, cue.pos.col) == (2, 3)
    assert [w.text for w in cue.words] == ["mirror", "at", "the mirror"]
    assert cue.words[2].quoted and cue.words[2].pos.col == 18
    assert cue.option("fade").value.text == "2"
    assert cue.option("fade").pos.col == 31
    last = doc.nodes[2]
    assert isinstance(last, Prose) and last.new_paragraph and last.line == 5


def test_parser_blanks_directives_out_of_the_prose_text() -> None:
    text = "One. @not a directive\n@title T\nTwo.\n"
    doc = _doc(text)
    assert len(doc.prose_text) == len(text)
    assert "@title" not in doc.prose_text and "@not" in doc.prose_text


def test_escaped_at_and_hash_are_prose() -> None:
    script = _load("\\@home I sleep.\n\\# is a hash.\n")
    assert [s.text for s in script.sentences] == ["@home I sleep.", "# is a hash."]


def test_comments_and_blank_lines() -> None:
    script = _load("# a comment\nFirst line\n# inside a paragraph\ngoes on. Then.\n\nNew para.\n")
    assert [(s.text, s.paragraph) for s in script.sentences] == [
        ("First line", 0), ("goes on.", 0), ("Then.", 0), ("New para.", 1)]


def test_smart_quotes_in_directives() -> None:
    script = _load("@cue river-of-light at “river of light”\nA river of light flows.\n")
    assert [(c.motif, c.word) for c in script.cues] == [("river-of-light", "river of light")]


# -- directives -----------------------------------------------------------------------------

def test_title_seed_voice_pauses() -> None:
    script = _load("@title The Night Bridge\n@seed 99\n@voice rate=120 pitch=30 volume=0.5 "
                   "name=en-gb\n@pauses sentence=1.5 paragraph=3 scene=5\nI cross.\n")
    assert script.title == "The Night Bridge"
    assert script.seed == 99
    assert (script.voice.rate, script.voice.pitch, script.voice.volume, script.voice.name) == (
        120, 30, 0.5, "en-gb")
    assert (script.pauses.sentence, script.pauses.paragraph, script.pauses.scene) == (1.5, 3, 5)


def test_defaults_without_directives_match_the_plain_dream() -> None:
    text = "I walk by the sea. The moon is up.\n\nSnow begins to fall.\n"
    as_dream = load_script_text(text, "same.dream")
    as_txt = load_script_text(text, "same.txt")
    assert _plain(as_dream.sentences) == _plain(as_txt.sentences)
    assert _plain(as_dream.scenes) == _plain(as_txt.scenes)
    assert _plain(as_dream.cues) == _plain(as_txt.cues)
    assert as_dream.seed == as_txt.seed and as_dream.title == as_txt.title == "Same"


def test_scene_options_and_fill_in() -> None:
    script = _load("@scene Night walk palette=night mood=fear layers=pines,mist "
                   "transition=bleed:7\nI walk. It is cold.\n@scene Dawn\nThe sun rises.\n")
    night, dawn = script.scenes
    assert (night.name, night.palette, night.mood, night.layers) == (
        "Night walk", "night", "fear", ("pines", "mist"))
    assert (night.transition.kind, night.transition.duration) == ("bleed", 7.0)
    assert night.sky == "night-sky"  # from the palette
    assert (night.first, night.end, dawn.first, dawn.end) == (0, 2, 2, 3)
    assert dawn.name == "Dawn" and dawn.pos is not None and dawn.pos.line == 3
    assert script.scenes[0].pos.line == 1


def test_scene_transition_kind_only_and_layers_none() -> None:
    script = _load("@scene A palette=sea layers=none transition=fade\nThe sea.\n")
    assert script.scenes[0].layers == ()
    assert script.scenes[0].transition.kind == "fade"


def test_prose_before_the_first_scene_is_auto_staged() -> None:
    script = _load("I stand at the edge of an abyss. Darkness and fear.\n\n"
                   "@scene Meadow palette=meadow\nThe grass sways.\n")
    assert script.scenes[0].first == 0 and script.scenes[0].palette == "abyss"
    assert script.scenes[-1].name == "Meadow"
    assert script.scenes[-1].first == 2


def test_cue_anchors_at_the_next_sentence_with_the_word() -> None:
    script = _load("@cue mirror at \"Mirror\" intensity=0.5 fade=1 hold=10 fade_out=2\n"
                   "I walk. I see a mirror. Another mirror.\n")
    (cue,) = script.cues
    assert (cue.motif, cue.sentence, cue.word, cue.char) == ("mirror", 1, "mirror", 8)
    assert (cue.intensity, cue.fade_in, cue.hold, cue.fade_out) == (0.5, 1.0, 10.0, 2.0)
    assert cue.pos.line == 1


def test_cue_without_at_starts_with_the_next_sentence_and_hold_scene() -> None:
    script = _load("First.\n@cue stars hold=scene\nSecond sentence.\n")
    (cue,) = script.cues
    assert (cue.sentence, cue.char, cue.word, cue.hold) == (1, 0, "Second", None)


def test_written_cues_replace_automatic_ones() -> None:
    auto = _load("I see the sea and the moon.\n")
    assert {c.motif for c in auto.cues} >= {"sea", "moon"}
    own = _load("@cue birds at \"sea\"\nI see the sea and the moon.\n")
    assert [c.motif for c in own.cues] == ["birds"]


def test_auto_off() -> None:
    script = _load("@auto off\nI see the sea and the moon.\n\nThe dream shifts. A desert.\n")
    assert script.cues == ()
    assert len(script.scenes) == 1
    only_cues = _load("@auto cues=off\nI see the sea.\n")
    assert only_cues.cues == () and only_cues.scenes


def test_pause_follows_the_sentence_above() -> None:
    script = _load("One. Two.\n@pause 2.5\n@pause 1\nThree.\n")
    assert [s.pause_after for s in script.sentences] == [None, 3.5, None]


def test_errors_raise_one_line_dream_error() -> None:
    with pytest.raises(DreamError) as info:
        _load("@scene A palette=dusk\nText.\n@cue nothing\n")
    err = info.value
    assert (err.path, err.line, err.col) == ("t.dream", 1, 18)
    assert "palette" in err.message and "2 more" in err.message
    assert "\n" not in str(err)


def test_warnings_do_not_stop_loading() -> None:
    script = _load("@title A\n@title B\nText.\n")
    assert script.title == "B"
    assert any("@title again" in w for w in script.warnings)


# -- drafts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", BUNDLED)
def test_draft_reloads_to_the_same_staging(name: str, tmp_path: Path) -> None:
    txt = load_script(scenes_dir() / f"{name}.txt")
    out = tmp_path / f"{name}.dream"
    out.write_text(draft_text(txt, f"{name}.txt"), encoding="utf-8")
    doc = parse(decode(out.read_bytes(), str(out)))
    _, findings = check_document(doc)
    assert findings == []
    dream = load_script(out)
    assert _plain(dream.sentences) == _plain(txt.sentences)
    assert _plain(dream.scenes) == _plain(txt.scenes)
    assert _plain(dream.cues) == _plain(txt.cues)
    assert (dream.title, dream.seed, dream.voice, dream.pauses) == (
        txt.title, txt.seed, txt.voice, txt.pauses)


def test_draft_of_tricky_prose_round_trips() -> None:
    text = ("@home is where I dream. # not a comment. The sea, the sea.\n"
            "The moon rises. The moon sets.\n\nI wake up.\n")
    txt = load_script_text(text.replace("@home", "At home"), "x.txt")
    back = load_script_text(draft_text(txt), "x.dream")
    assert _plain(back.sentences) == _plain(txt.sentences)
    assert _plain(back.cues) == _plain(txt.cues)
    lines = ["\\@a dream. The moon, the moon.\n"]
    txt2 = load_script_text("".join(lines), "y.dream")
    back2 = load_script_text(draft_text(txt2), "y.dream")
    assert _plain(back2.sentences) == _plain(txt2.sentences)


def test_draft_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "grove.dream"
    grove = str(scenes_dir() / "mirror-grove.txt")
    assert main(["draft", grove, "--out", str(out)]) == 0
    first = out.read_text(encoding="utf-8")
    assert "@scene" in first and "@cue" in first
    out.write_text("mine", encoding="utf-8")
    assert main(["draft", grove, "--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "mine"
    assert main(["draft", grove, "--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8") == first
    capsys.readouterr()
    assert main(["draft", str(scenes_dir() / "candle-lake.txt")]) == 0
    assert capsys.readouterr().out.startswith("# Drafted by dreamviz")
    assert main(["draft", str(tmp_path / "missing.txt")]) == 1
    assert main(["check", str(out)]) == 0


# -- the hand-tuned scripts -----------------------------------------------------------------

@pytest.mark.parametrize("name", BUNDLED)
def test_hand_tuned_script_reads_the_same_prose(name: str) -> None:
    txt = load_script(scenes_dir() / f"{name}.txt")
    dream = load_script(scenes_dir() / f"{name}.dream")
    assert [(s.text, s.paragraph) for s in dream.sentences] == [
        (s.text, s.paragraph) for s in txt.sentences]
    assert dream.warnings == ()
    assert main(["check", "-q", str(scenes_dir() / f"{name}.dream")]) == 0
    assert scenes_dir() / f"{name}.dream" in bundled_dreams()


@pytest.mark.parametrize("name", BUNDLED)
def test_hand_tuned_script_cues_every_image(name: str) -> None:
    script = load_script(scenes_dir() / f"{name}.dream")
    for motif, phrase in ACCEPTANCE[name]:
        (where,) = [s.index for s in script.sentences if phrase in s.text]
        assert any(c.motif == motif and c.sentence == where for c in script.cues), (motif, phrase)
    moods = {sc.mood for sc in script.scenes}
    assert len(script.scenes) >= 4 and len(moods) >= 2


# -- the reference doc ----------------------------------------------------------------------

def _doc_blocks() -> list[tuple[str, str]]:
    doc = (Path(__file__).parent.parent / "docs" / "scene-scripts.md").read_text(encoding="utf-8")
    return re.findall(r"```([^\n]*)\n(.*?)```", doc, re.S)


def test_every_example_in_the_reference_is_valid() -> None:
    blocks = _doc_blocks()
    examples = [body for info, body in blocks if info == "dream"]
    assert len(examples) >= 2
    for body in examples:
        doc = parse(decode(body.encode(), "example.dream"))
        _, findings = check_document(doc)
        assert findings == [], body
        script = load_script_text(body, "example.dream")
        assert script.sentences
    complete = load_script_text(examples[0], "example.dream")
    assert complete.title == "The Lantern Bridge" and len(complete.scenes) == 2
    assert {c.motif for c in complete.cues} == {"river", "lantern", "bridge", "snow"}


def test_the_broken_example_in_the_reference_prints_what_it_shows() -> None:
    blocks = _doc_blocks()
    i = next(i for i, (info, _) in enumerate(blocks) if info == "dream broken")
    doc = parse(decode(blocks[i][1].encode(), "broken.dream"))
    _, findings = check_document(doc)
    shown = "\n".join(render(f, doc) for f in findings) + "\n"
    assert blocks[i + 1][0] == "text"
    assert shown == blocks[i + 1][1]


def test_motifs_command(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from visualizer.resources import load_json_asset

    assert main(["motifs"]) == 0
    out = capsys.readouterr().out
    for name, info in load_json_asset("motifs.json").items():
        assert f" {name} " in out and info["description"] in out
    for name in load_json_asset("palettes.json"):
        assert f" {name} " in out
    assert main(["motifs", "--json", "--words"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {m["name"] for m in data["motifs"]} == set(load_json_asset("motifs.json"))
    assert "starlit" in next(m for m in data["motifs"] if m["name"] == "stars")["words"]
    assert {m["name"] for m in data["moods"]} == {"calm", "wonder", "fear", "relief", "joy"}


@pytest.mark.parametrize("name", BUNDLED)
def test_timeline_of_txt_and_its_draft_agree(name: str, tmp_path: Path) -> None:
    from visualizer.timeline import build_schedule, reading_pace_clip

    txt = load_script(scenes_dir() / f"{name}.txt")
    out = tmp_path / f"{name}.dream"
    out.write_text(draft_text(txt), encoding="utf-8")
    dream = load_script(out)

    def schedule(script):
        clips = [reading_pace_clip(s, script.voice.rate) for s in script.sentences]
        data = build_schedule(script, clips).to_json()
        data.pop("path", None)
        return data

    assert schedule(txt) == schedule(dream)
