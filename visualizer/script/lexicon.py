"""The imagery lexicon: which words summon which motif, palette and mood.

The words live in `assets/lexicon.json` (data, not code) so a writer can add imagery without
touching Python. Matching is on whole lower-cased words; the longest phrase at a position wins
("river of light" beats "river"), and figurative uses ("like a gentle river", "the path of my
heart") summon nothing, so a metaphor never puts the wrong picture on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from visualizer.errors import DreamError
from visualizer.resources import load_json_asset
from visualizer.script.model import Word
from visualizer.script.text import WORD_RE

MOODS = ("calm", "wonder", "fear", "relief", "joy")
SKIES = ("clear-sky", "night-sky", "bleed-sky", "dark")
TRANSITIONS = ("dissolve", "bleed", "fade")


@dataclass(frozen=True)
class Match:
    """A phrase found in a sentence: words [first, end) summon `motifs` and hint `palettes`."""

    first: int
    end: int
    motifs: tuple[str, ...]
    palettes: tuple[str, ...]


@dataclass(frozen=True)
class Hint:
    palette: str | None = None
    mood: str | None = None
    ground: str | None = None


@dataclass(frozen=True)
class PaletteSetting:
    sky: str
    ground: str
    layers: tuple[str, ...]
    mood: str


def tokens(text: str) -> tuple[str, ...]:
    """Lower-cased words with one kind of apostrophe, the unit phrases are matched on."""
    return tuple(m.group().lower().replace("’", "'") for m in WORD_RE.finditer(text))


def word_tokens(words: tuple[Word, ...]) -> tuple[str, ...]:
    return tuple(w.text.lower().replace("’", "'") for w in words)


def catalogue() -> dict[str, dict[str, str]]:
    """assets/motifs.json: motif name -> {category, description}."""
    return load_json_asset("motifs.json")


def palette_catalogue() -> dict[str, dict]:
    return load_json_asset("palettes.json")


def mood_catalogue() -> dict[str, str]:
    return load_json_asset("moods.json")


def sky_motifs() -> tuple[str, ...]:
    return tuple(k for k, v in catalogue().items() if v.get("category") == "sky")


class Lexicon:
    """Compiled lexicon: phrase tables keyed by their first word for a linear scan."""

    def __init__(self, data: dict) -> None:
        motifs = catalogue()
        palettes = palette_catalogue()
        moods = mood_catalogue()
        self._phrases: dict[tuple[str, ...], tuple[list[str], list[str], bool]] = {}
        self._longest: dict[str, int] = {}
        self.mood_words: dict[str, str] = {}

        def add(phrase: str, motif: str | None, palette: str | None, ignore: bool) -> None:
            key = tokens(phrase)
            if not key:
                return
            ms, ps, _ = self._phrases.setdefault(key, ([], [], False))
            if motif and motif not in ms:
                ms.append(motif)
            if palette and palette not in ps:
                ps.append(palette)
            if ignore:
                self._phrases[key] = (ms, ps, True)
            self._longest[key[0]] = max(self._longest.get(key[0], 0), len(key))

        def check(name: str, known: dict, what: str) -> None:
            if name not in known:
                raise DreamError(
                    f"lexicon names unknown {what} {name!r}", path="assets/lexicon.json"
                )

        for motif, phrases in data.get("motifs", {}).items():
            check(motif, motifs, "motif")
            for p in phrases:
                add(p, motif, None, False)
        for palette, phrases in data.get("palettes", {}).items():
            check(palette, palettes, "palette")
            for p in phrases:
                add(p, None, palette, False)
        for p in data.get("ignore", ()):
            add(p, None, None, True)
        for mood, phrases in data.get("moods", {}).items():
            check(mood, moods, "mood")
            for p in phrases:
                for t in tokens(p):
                    self.mood_words[t] = mood
        fig = data.get("figurative", {})
        self.before = tuple(tokens(p) for p in fig.get("before", ()))
        self.after = tuple(tokens(p) for p in fig.get("after", ()))
        self.window = int(fig.get("window", 3))
        self.scene_breaks = tuple(tokens(p) for p in data.get("scene_breaks", ()))
        self.waking_marks = tuple(tokens(p) for p in data.get("waking_marks", ()))
        self.hints: dict[str, Hint] = {}
        for motif, h in data.get("motif_hints", {}).items():
            check(motif, motifs, "motif")
            if h.get("palette"):
                check(h["palette"], palettes, "palette")
            if h.get("mood"):
                check(h["mood"], moods, "mood")
            if h.get("ground"):
                check(h["ground"], motifs, "motif")
            self.hints[motif] = Hint(h.get("palette"), h.get("mood"), h.get("ground"))
        self.settings: dict[str, PaletteSetting] = {}
        for palette, s in data.get("palette_settings", {}).items():
            check(palette, palettes, "palette")
            for m in (s["sky"], s["ground"], *s.get("layers", ())):
                check(m, motifs, "motif")
            check(s.get("mood", "calm"), moods, "mood")
            self.settings[palette] = PaletteSetting(
                s["sky"], s["ground"], tuple(s.get("layers", ())), s.get("mood", "calm")
            )
        for palette in palettes:
            self.settings.setdefault(palette, PaletteSetting("clear-sky", "meadow", (), "calm"))
        for table in ("cue_hold", "cue_intensity"):
            for motif in data.get(table, {}):
                check(motif, motifs, "motif")
        self.cue_hold: dict[str, float] = {k: float(v) for k, v in data.get("cue_hold", {}).items()}
        self.cue_intensity: dict[str, float] = {
            k: float(v) for k, v in data.get("cue_intensity", {}).items()
        }
        self.mood_fade_in: dict[str, float] = {
            k: float(v) for k, v in data.get("mood_fade_in", {}).items()
        }

    def _figurative(self, toks: tuple[str, ...], first: int, end: int) -> bool:
        for b in self.before:
            n = len(b)
            for gap in range(self.window):
                e = first - gap
                if e - n >= 0 and toks[e - n : e] == b:
                    return True
        return any(toks[end : end + len(a)] == a for a in self.after)

    def scan(self, toks: tuple[str, ...]) -> list[Match]:
        """Every literal image named in a sentence's word tokens, left to right."""
        found: list[Match] = []
        i = 0
        n = len(toks)
        while i < n:
            longest = self._longest.get(toks[i], 0)
            for length in range(min(longest, n - i), 0, -1):
                entry = self._phrases.get(toks[i : i + length])
                if entry is None:
                    continue
                ms, ps, ignore = entry
                if not ignore and not self._figurative(toks, i, i + length):
                    found.append(Match(i, i + length, tuple(ms), tuple(ps)))
                i += length
                break
            else:
                i += 1
        return found

    def moods_in(self, toks: tuple[str, ...]) -> list[str]:
        return [self.mood_words[t] for t in toks if t in self.mood_words]

    def has_phrase(self, toks: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> int:
        """Index of the first word of the first phrase from `phrases` in `toks`, or -1."""
        best = -1
        for p in phrases:
            n = len(p)
            for i in range(len(toks) - n + 1):
                if toks[i : i + n] == p:
                    if best < 0 or i < best:
                        best = i
                    break
        return best


@cache
def lexicon() -> Lexicon:
    """The bundled lexicon, compiled once."""
    return Lexicon(load_json_asset("lexicon.json"))
