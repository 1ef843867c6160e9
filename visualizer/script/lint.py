"""Lint for `.dream` scripts: every finding with its file:line:col, in the author's terms.

Why separate from parsing and building: `dreamviz check` wants every problem at once, while
`load_script` only needs to know whether any is an error. Findings say what is wrong and, where
it helps, what was probably meant (did-you-mean from the known names).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from visualizer.script.ast import Directive, Document, Value
from visualizer.script.layout import Layout, find_word
from visualizer.script.lexicon import (
    MOODS,
    SKIES,
    TRANSITIONS,
    catalogue,
    lexicon,
    mood_catalogue,
    palette_catalogue,
    tokens,
)
from visualizer.script.model import SourcePos
from visualizer.script.spec import (
    ALIASES,
    DIRECTIVES,
    MAX_LAYERS,
    ON_OFF,
    PAUSE,
    SEED,
    TRANSITION_SECONDS,
    Range,
    number,
    split_list,
    split_transition,
)

ERROR = "error"
WARNING = "warning"
_SINGLE = ("title", "voice", "seed", "pauses", "auto")


@dataclass(frozen=True)
class Finding:
    """One lint finding: where, what, how bad."""

    path: str
    line: int
    col: int
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        kind = "warning: " if self.severity == WARNING else ""
        return f"{self.path}:{self.line}:{self.col}: {kind}{self.message}"


def render(finding: Finding, doc: Document | None) -> str:
    """The finding, the source line and a caret under the column."""
    if doc is None or finding.line < 1:
        return str(finding)
    line = doc.source_line(finding.line)
    pad = "".join("\t" if c == "\t" else " " for c in line[: max(0, finding.col - 1)])
    return f"{finding}\n    {line}\n    {pad}^"


def did_you_mean(name: str, known: list[str] | tuple[str, ...], synonyms: bool = False) -> str:
    """` (did you mean 'x'?)` for the closest known name, or the motif a lexicon word summons."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if not close and synonyms:
        lex = lexicon()
        for m in lex.scan(tokens(name)):
            hit = [x for x in m.motifs if x in known] or [x for x in m.palettes if x in known]
            if hit:
                close = hit[:1]
                break
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Linter:
    def __init__(self, doc: Document, layout: Layout) -> None:
        self.doc = doc
        self.layout = layout
        self.findings: list[Finding] = []
        self.motifs = catalogue()
        self.palettes = palette_catalogue()
        self.moods = mood_catalogue()

    def add(self, pos: SourcePos, message: str, severity: str = ERROR) -> None:
        self.findings.append(Finding(pos.path, pos.line, pos.col, message, severity))

    # -- values ---------------------------------------------------------------------------
    def num(self, value: Value, spec: Range, what: str) -> float | int | None:
        result, problem = number(value.text, spec)
        if problem:
            self.add(value.pos, f"{what}: {problem}")
        return result

    def motif(self, value: Value, what: str, category: str | None = None) -> bool:
        name = value.text.lower()
        if name not in self.motifs:
            names = [k for k, v in self.motifs.items() if category in (None, v["category"])]
            hint = did_you_mean(name, names, synonyms=True)
            self.add(value.pos, f"unknown {what} {value.text!r}{hint}")
            return False
        if category and self.motifs[name]["category"] != category:
            names = ", ".join(k for k, v in self.motifs.items() if v["category"] == category)
            self.add(value.pos, f"{what} must be a {category} motif ({names}), not {name!r}")
            return False
        return True

    # -- directives ------------------------------------------------------------------------
    def options(self, d: Directive) -> None:
        allowed = DIRECTIVES[d.name]
        for opt in d.options:
            if opt.key not in allowed:
                hint = did_you_mean(opt.key, tuple(allowed))
                if not hint and ALIASES.get(opt.key) in allowed:
                    hint = f" (did you mean {ALIASES[opt.key]!r}?)"
                known = ", ".join(allowed) or "none"
                self.add(opt.pos, f"@{d.name} has no option {opt.key!r}{hint} (options: {known})")
            elif not opt.value.text and opt.key != "layers":
                self.add(opt.value.pos, f"{opt.key}= needs a value")
            else:
                spec = allowed[opt.key]
                if d.name == "cue" and opt.key == "hold" and opt.value.text.lower() == "scene":
                    continue
                if spec is not None:
                    self.num(opt.value, spec, opt.key)

    def lint_title(self, d: Directive) -> None:
        if d.rest is None:
            self.add(d.pos, "@title needs the dream's title after it")
        elif len(d.rest.text) > 200:
            self.add(d.rest.pos, "title is longer than 200 characters", WARNING)

    def lint_seed(self, d: Directive) -> None:
        if len(d.words) != 1 or d.options:
            self.add(d.pos, "@seed takes one whole number, like @seed 7")
        else:
            self.num(d.words[0], SEED, "seed")

    def lint_voice(self, d: Directive) -> None:
        self.extra_words(d)
        if not d.options:
            self.add(d.pos, "@voice needs options, like @voice rate=135 pitch=45", WARNING)

    def lint_pauses(self, d: Directive) -> None:
        self.extra_words(d)

    def extra_words(self, d: Directive) -> None:
        if d.words:
            self.add(d.words[0].pos, f"@{d.name} takes key=value options, not {d.words[0].text!r}")

    def lint_pause(self, i: int, d: Directive) -> None:
        if len(d.words) != 1 or d.options:
            self.add(d.pos, "@pause takes a number of seconds, like @pause 2.5")
        else:
            self.num(d.words[0], PAUSE, "pause")
        if self.layout.anchors[i] == 0:
            self.add(d.pos, "@pause comes before any prose: it follows the sentence above it")

    def lint_auto(self, d: Directive) -> None:
        for w in d.words:
            if w.text.lower() not in ON_OFF:
                self.add(w.pos, f"@auto takes on or off, not {w.text!r}")
        for opt in d.options:
            if opt.key in DIRECTIVES["auto"] and opt.value.text.lower() not in ON_OFF:
                self.add(opt.value.pos, f"{opt.key}= takes on or off, not {opt.value.text!r}")

    def lint_scene(self, i: int, d: Directive, names: dict[str, Directive]) -> None:
        start = self.layout.anchors[i]
        same = [dd for dd, s in self.layout.scene_starts if s == start]
        if start >= len(self.layout.sentences):
            self.add(d.pos, "empty scene: no prose follows this @scene")
        elif same[-1] is not d:
            self.add(d.pos, "empty scene: the next @scene starts before any prose (overlap)")
        name = " ".join(w.text for w in d.words).strip()
        if name:
            if name.lower() in names:
                first = names[name.lower()].pos.line
                self.add(d.pos, f"scene name {name!r} is already used on line {first}", WARNING)
            names[name.lower()] = d
        if (opt := d.option("palette")) and opt.value.text:
            pal = opt.value.text.lower()
            if pal not in self.palettes:
                hint = did_you_mean(pal, tuple(self.palettes))
                self.add(opt.value.pos, f"unknown palette {opt.value.text!r}{hint}")
        if (opt := d.option("sky")) and opt.value.text:
            sky = opt.value.text.lower()
            if sky not in SKIES:
                hint = did_you_mean(sky, SKIES)
                self.add(opt.value.pos, f"sky must be one of {', '.join(SKIES)}{hint}")
        if (opt := d.option("ground")) and opt.value.text:
            self.motif(opt.value, "ground", "ground")
        if (opt := d.option("mood")) and opt.value.text:
            mood = opt.value.text.lower()
            if mood not in self.moods:
                hint = did_you_mean(mood, MOODS)
                if not hint and mood in lexicon().mood_words:
                    hint = f" (did you mean {lexicon().mood_words[mood]!r}?)"
                self.add(opt.value.pos, f"mood must be one of {', '.join(MOODS)}{hint}")
        if opt := d.option("layers"):
            self.lint_layers(opt.value)
        if (opt := d.option("transition")) and opt.value.text:
            kind, seconds = split_transition(opt.value.text)
            if kind not in TRANSITIONS:
                hint = did_you_mean(kind, TRANSITIONS)
                self.add(opt.value.pos, f"transition must be {', '.join(TRANSITIONS)}{hint}")
            if seconds is not None:
                self.num(Value(seconds, opt.value.pos), TRANSITION_SECONDS, "transition")

    def lint_layers(self, value: Value) -> None:
        names = split_list(value.text)
        if len(names) > MAX_LAYERS:
            self.add(value.pos, f"too many layers ({len(names)}; at most {MAX_LAYERS})")
        offset = 0
        for name in names:
            at = value.text.lower().find(name, offset)
            offset = max(offset, at)
            pos = SourcePos(value.pos.path, value.pos.line, value.pos.col + max(at, 0)
                            + (1 if value.quoted else 0))
            v = Value(name, pos)
            if self.motif(v, "layer motif") and self.motifs[name]["category"] == "sky":
                self.add(pos, f"{name!r} is a sky: set it with sky={name}")

    def lint_cue(self, i: int, d: Directive, seen: set[tuple[str, int]]) -> None:
        words = list(d.words)
        if not words:
            self.add(d.pos, '@cue needs a motif, like @cue mirror at "mirror"')
            return
        motif = words.pop(0)
        ok = self.motif(motif, "motif")
        if ok and self.motifs[motif.text.lower()]["category"] == "sky":
            self.add(motif.pos, f"{motif.text!r} is a sky: set it with @scene sky={motif.text}")
        anchor: Value | None = None
        if words and words[0].text.lower() == "at" and not words[0].quoted:
            words.pop(0)
            if not words:
                self.add(d.pos, 'at needs the word to wait for, like at "mirror"')
                return
            anchor = words.pop(0)
        if words:
            self.add(words[0].pos, f'unexpected {words[0].text!r} (write: @cue MOTIF at "word")')
        if opt := d.option("at"):
            anchor = opt.value
        if d.option("fade") and d.option("fade_in"):
            self.add(d.pos, "give fade= or fade_in=, not both", WARNING)
        start = self.layout.anchors[i]
        if start >= len(self.layout.sentences):
            self.add(d.pos, "@cue after the last sentence: there is nothing left to cue")
            return
        if anchor is not None:
            if not anchor.text.strip():
                self.add(anchor.pos, "empty cue word")
                return
            end = self.layout.scene_end(start)
            hit = find_word(self.layout.sentences, start, end, anchor.text)
            if hit is None:
                where = "its scene" if self.layout.scene_starts else "the script"
                self.add(anchor.pos, f"cue word {anchor.text!r} is not in the rest of {where}"
                         + self.cue_hint(anchor.text, start, end))
                return
            sentence = hit[0]
        else:
            sentence = start
        key = (motif.text.lower(), sentence)
        if key in seen:
            self.add(d.pos, f"{motif.text!r} is already cued in this sentence", WARNING)
        seen.add(key)

    def cue_hint(self, word: str, start: int, end: int) -> str:
        """Where the author probably meant: a later scene that says it, or a near spelling."""
        sentences = self.layout.sentences
        later = find_word(sentences, end, len(sentences), word)
        if later is not None:
            pos = sentences[later[0]].pos
            line = f" on line {pos.line}" if pos else ""
            return f" (it is said later{line}, after the next @scene)"
        said = {w.text.lower(): w.text for s in sentences[start:end] for w in s.words}
        close = difflib.get_close_matches(word.lower(), list(said), n=1, cutoff=0.75)
        return f" (did you mean {said[close[0]]!r}?)" if close else ""

    def run(self) -> list[Finding]:
        for p in self.doc.problems:
            self.add(p.pos, p.message)
        counts: dict[str, Directive] = {}
        names: dict[str, Directive] = {}
        seen: set[tuple[str, int]] = set()
        for i, d in enumerate(self.doc.nodes):
            if not isinstance(d, Directive) or not d.name:
                continue
            if d.name not in DIRECTIVES:
                hint = did_you_mean(d.name, tuple(DIRECTIVES))
                self.add(d.pos, f"unknown directive @{d.name}{hint}")
                continue
            if d.name in _SINGLE:
                if d.name in counts:
                    first = counts[d.name].pos.line
                    self.add(d.pos, f"@{d.name} again (line {first}): this one wins", WARNING)
                counts[d.name] = d
            if d.name != "title":
                self.options(d)
            if d.name == "scene":
                self.lint_scene(i, d, names)
            elif d.name == "cue":
                self.lint_cue(i, d, seen)
            elif d.name == "pause":
                self.lint_pause(i, d)
            elif d.name in ("title", "seed", "voice", "pauses", "auto"):
                getattr(self, f"lint_{d.name}")(d)
        if not self.layout.sentences:
            self.add(SourcePos(self.doc.path, 1, 1), "empty dream: the script has no prose to read")
        self.findings.sort(key=lambda f: (f.line, f.col))
        return self.findings


def lint(doc: Document, layout: Layout) -> list[Finding]:
    """Every finding in a parsed script, in file order."""
    return _Linter(doc, layout).run()
