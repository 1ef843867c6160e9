"""load_script on .txt dreams: reading, splitting, and staging of the bundled dreams."""

from __future__ import annotations

from pathlib import Path

import pytest

from visualizer.errors import DreamError
from visualizer.resources import scenes_dir
from visualizer.script import load_script
from visualizer.script.direct import MAX_ACTIVE

BUNDLED = ("mirror-grove", "starlit-pond", "candle-lake")

# Each image of each bundled dream: (motif, a phrase of the sentence that names it).
ACCEPTANCE = {
    "mirror-grove": [
        ("sunrise", "soft pastels of dawn"),
        ("mosaic", "mosaic of memories"),
        ("mirror", "I come across a mirror"),
        ("willows", "willow trees"),
        ("grove", "serene grove"),
        ("river-of-light", "A river of light flows"),
        ("flame", "sacred flame"),
        ("waking", "I awaken"),
    ],
    "starlit-pond": [
        ("forest", "ethereal forest"),
        ("orb", "luminous orb in my hands"),
        ("butterflies", "Butterflies dance"),
        ("flowers", "lined with flowers"),
        ("path", "The path is lined"),
        ("stars", "bathed in starlight"),
        ("pond", "tranquil pond"),
        ("ripples", "The water ripples"),
        ("waking", "wakefulness"),
    ],
    "candle-lake": [
        ("abyss", "infinite abyss"),
        ("bleed", "colors bleeding"),
        ("tunnel", "A dark tunnel appears"),
        ("candle", "a single candle flickers"),
        ("beams", "inviting beams"),
        ("lake", "A serene lake"),
        ("figure", "A figure appears"),
        ("shore", "opposite shore"),
        ("waking", "You wake"),
    ],
}
PALETTES = {"mirror-grove": "dawn", "starlit-pond": "twilight", "candle-lake": "abyss"}


def _txt(name: str) -> Path:
    return scenes_dir() / f"{name}.txt"


@pytest.mark.parametrize("name", BUNDLED)
def test_sentences_rejoin_to_the_source(name: str) -> None:
    script = load_script(_txt(name))
    source = _txt(name).read_text(encoding="utf-8")
    assert " ".join(" ".join(s.text for s in script.sentences).split()) == " ".join(source.split())
    assert [s.index for s in script.sentences] == list(range(len(script.sentences)))
    for s in script.sentences:
        for w in s.words:
            assert s.text[w.char : w.char + len(w.text)] == w.text


@pytest.mark.parametrize("name", BUNDLED)
def test_each_image_gets_a_cue_at_the_sentence_naming_it(name: str) -> None:
    script = load_script(_txt(name))
    for motif, phrase in ACCEPTANCE[name]:
        where = [s.index for s in script.sentences if phrase in s.text]
        assert len(where) == 1, phrase
        cues = [c for c in script.cues if c.motif == motif and c.sentence == where[0]]
        assert cues, f"{name}: no {motif} cue at {phrase!r}"
        cue = cues[0]
        text = script.sentences[cue.sentence].text
        assert text[cue.char : cue.char + len(cue.word)] == cue.word
    assert script.scenes[0].palette == PALETTES[name]


def test_the_abyss_looks_nothing_like_the_dawn_meadow() -> None:
    lake = load_script(_txt("candle-lake"))
    grove = load_script(_txt("mirror-grove"))
    abyss = lake.scenes[0]
    assert (abyss.mood, abyss.sky, abyss.palette) == ("fear", "dark", "abyss")
    tunnel = next(sc for sc in lake.scenes if any(
        c.motif == "tunnel" and sc.first <= c.sentence < sc.end for c in lake.cues))
    assert tunnel.mood == "fear" and tunnel.sky == "dark"
    candle = next(sc for sc in lake.scenes if sc.palette == "candlelight")
    assert candle.mood != "fear"
    dawn = grove.scenes[0]
    assert dawn.mood in ("calm", "wonder") and dawn.sky == "clear-sky"


def test_metaphors_do_not_summon_pictures() -> None:
    grove = load_script(_txt("mirror-grove"))
    pond = load_script(_txt("starlit-pond"))
    lake = load_script(_txt("candle-lake"))
    # "time behaves like a gentle river": no river in the first paragraph
    assert not [c for c in grove.cues if c.motif == "river" and c.sentence < 4]
    # "the path of my heart" is not a path; "a serpent's path" is the tunnel
    first_path = min(c.sentence for c in pond.cues if c.motif == "path")
    assert "lined with flowers" in pond.sentences[first_path].text
    assert not [c for c in lake.cues if c.motif == "path"]
    # "waves of peace", "in waves": no sea
    assert not [c for c in pond.cues + lake.cues if c.motif == "sea"]
    # "the waking world" / "my waking mind" are not waking up
    assert [c.sentence for c in grove.cues if c.motif == "waking"] == [len(grove.sentences) - 1]


def test_scenes_tile_the_dream_and_stay_calm() -> None:
    for name in BUNDLED:
        script = load_script(_txt(name))
        assert script.scenes[0].first == 0
        assert script.scenes[-1].end == len(script.sentences)
        for a, b in zip(script.scenes, script.scenes[1:]):
            assert a.end == b.first and a.first < a.end
        _assert_calm(script)


def _assert_calm(script) -> None:
    for sc in script.scenes:
        lasting = {c.motif for c in script.cues
                   if sc.first <= c.sentence < sc.end and c.hold is None}
        assert len(lasting | set(sc.layers)) <= MAX_ACTIVE


def test_a_crowded_paragraph_stays_calm(tmp_path: Path) -> None:
    path = tmp_path / "crowded.txt"
    path.write_text("I see the moon, a boat, a bridge, a door, stairs, a lantern, a city, "
                    "mountains, a tree, a mirror, a candle and an orb.\n", encoding="utf-8")
    script = load_script(path)
    assert len(script.cues) >= 10
    _assert_calm(script)
    faded = [c for c in script.cues if c.hold is not None]
    assert faded and faded[0].motif == "moon"


def test_corrupted_fragment_is_read_as_written() -> None:
    lake = load_script(_txt("candle-lake"))
    assert any(s.text.startswith("Sc  they whisper") or "Sc  they" in s.text
               for s in lake.sentences)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n  ", "empty"),
        (b"A dream\x00 with a NUL", "binary"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 20, "binary"),
    ],
)
def test_bad_files_are_one_line_errors(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(DreamError) as info:
        load_script(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_folder_and_too_large(tmp_path: Path) -> None:
    with pytest.raises(DreamError, match="no such file"):
        load_script(tmp_path / "nope.txt")
    with pytest.raises(DreamError, match="folder"):
        load_script(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"I dream. " * 200_000)
    with pytest.raises(DreamError, match="too large"):
        load_script(big)


def test_bom_crlf_and_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffI walk by the sea.\r\n\r\nThe moon rises.\r\n".encode())
    script = load_script(path)
    assert [s.text for s in script.sentences] == ["I walk by the sea.", "The moon rises."]
    assert [s.paragraph for s in script.sentences] == [0, 1]
    assert script.warnings == ()
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("A caf\u00e9 by the sea \u2014 quiet.".encode("cp1252"))
    script = load_script(legacy)
    assert script.sentences[0].text == "A caf\u00e9 by the sea \u2014 quiet."
    assert len(script.warnings) == 1 and "UTF-8" in script.warnings[0]
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes("I see snow.".encode("utf-16"))
    assert load_script(utf16).sentences[0].text == "I see snow."


def test_a_300k_character_line_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("a" * 150_000 + " " + "dream " * 25_000, encoding="utf-8")
    script = load_script(path)
    assert sum(len(s.text) for s in script.sentences) >= 290_000
    assert max(len(s.text) for s in script.sentences) <= 600
