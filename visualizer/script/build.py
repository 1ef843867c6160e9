"""From a lint-clean `.dream` document to a `Script`.

What the author wrote wins; whatever they left out is auto-directed exactly as for a `.txt`
dream: prose before the first `@scene` (or a script with no `@scene`) is grouped into scenes
automatically, a scene's missing palette/sky/ground/mood/layers/transition come from its words,
and if the script has no `@cue` at all, cues come from the lexicon. `@auto off` means no
automatic scene breaks (prose before the first `@scene` is one scene) and no automatic cues;
`@auto scenes=off` / `cues=off` turn off one of the two.
"""

from __future__ import annotations

import dataclasses
import zlib

from visualizer.errors import DreamError
from visualizer.script.ast import Directive, Document
from visualizer.script.direct import read_all, scene_ranges, stage_scene
from visualizer.script.layout import Layout, find_word, lay_out
from visualizer.script.lexicon import catalogue, lexicon
from visualizer.script.lint import ERROR, Finding, lint
from visualizer.script.model import Cue, Pauses, Scene, Script, Sentence, Transition, Voice
from visualizer.script.parser import parse
from visualizer.script.prose import title_from_path
from visualizer.script.reader import SourceText
from visualizer.script.spec import PAUSE, SEED, number, split_list, split_transition


def seed_of(sentences: tuple[Sentence, ...]) -> int:
    """A stable per-dream seed from its words, so each dream has its own look, always the same."""
    text = " ".join(" ".join(s.text for s in sentences).split())
    return zlib.crc32(text.encode("utf-8")) & 0x7FFFFFFF


def _num(d: Directive, key: str, default):
    opt = d.option(key)
    if opt is None:
        return default
    from visualizer.script.spec import DIRECTIVES

    spec = DIRECTIVES[d.name][key]
    value, problem = number(opt.value.text, spec) if spec else (None, "not a number")
    return default if problem else value


def _last(doc: Document, name: str) -> Directive | None:
    found = doc.directives(name)
    return found[-1] if found else None


def _auto_flags(doc: Document) -> tuple[bool, bool]:
    scenes = cues = True
    for d in doc.directives("auto"):
        for w in d.words:
            scenes = cues = w.text.lower() == "on"
        if opt := d.option("scenes"):
            scenes = opt.value.text.lower() == "on"
        if opt := d.option("cues"):
            cues = opt.value.text.lower() == "on"
    return scenes, cues


def _voice(doc: Document) -> Voice:
    v = Voice()
    for d in doc.directives("voice"):
        name = d.option("name")
        v = Voice(
            name=name.value.text if name and name.value.text else v.name,
            rate=int(_num(d, "rate", v.rate)),
            volume=float(_num(d, "volume", v.volume)),
            pitch=int(_num(d, "pitch", v.pitch)),
        )
    return v


def _pauses(doc: Document) -> Pauses:
    p = Pauses()
    for d in doc.directives("pauses"):
        p = Pauses(
            sentence=float(_num(d, "sentence", p.sentence)),
            paragraph=float(_num(d, "paragraph", p.paragraph)),
            scene=float(_num(d, "scene", p.scene)),
        )
    return p


def _sentences_with_pauses(doc: Document, layout: Layout) -> tuple[Sentence, ...]:
    extra: dict[int, float] = {}
    for i, node in enumerate(doc.nodes):
        if isinstance(node, Directive) and node.name == "pause" and node.words:
            seconds, problem = number(node.words[0].text, PAUSE)
            before = layout.anchors[i] - 1
            if not problem and before >= 0:
                extra[before] = extra.get(before, 0.0) + float(seconds or 0.0)
    return tuple(
        dataclasses.replace(s, pause_after=extra[s.index]) if s.index in extra else s
        for s in layout.sentences
    )


def _scene_options(d: Directive) -> dict[str, str]:
    return {opt.key: opt.value.text.strip() for opt in d.options if opt.value.text.strip()
            or opt.key == "layers"}


def _build_scenes(
    sentences: tuple[Sentence, ...], layout: Layout, auto_scenes: bool
) -> tuple[list[Scene], list[Cue]]:
    lex = lexicon()
    motifs = catalogue()
    reads = read_all(sentences, lex)
    n = len(sentences)
    first_written = layout.scene_starts[0][1] if layout.scene_starts else n
    plan: list[tuple[int, int, Directive | None]] = []
    keep_light: set[int] = set()  # auto scenes where only the feeling turned
    if first_written > 0:
        if auto_scenes:
            for a, b, same in scene_ranges(sentences, reads, first_written, lex):
                if same:
                    keep_light.add(a)
                plan.append((a, b, None))
        else:
            plan.append((0, first_written, None))
    starts = list(layout.scene_starts)
    for k, (d, start) in enumerate(starts):
        end = starts[k + 1][1] if k + 1 < len(starts) else n
        if start < end:
            plan.append((start, end, d))
    scenes: list[Scene] = []
    cues: list[Cue] = []
    prev_palette, prev_mood = "dawn", "calm"
    for first, end, d in plan:
        opts = _scene_options(d) if d is not None else {}
        palette = opts.get("palette", "").lower() or None
        mood = opts.get("mood", "").lower() or None
        if d is None and first in keep_light and scenes:
            palette = palette or prev_palette
        auto, auto_cues = stage_scene(
            lex, motifs, sentences, reads, first, end, prev_palette, prev_mood,
            not scenes, force_palette=palette, force_mood=mood,
        )
        if d is not None:
            kind, seconds = split_transition(opts.get("transition", ""))
            transition = Transition(
                kind or auto.transition.kind,
                float(seconds) if seconds else auto.transition.duration,
            )
            name = " ".join(w.text for w in d.words).strip() or auto.name
            layers = (
                tuple(split_list(opts["layers"])) if "layers" in opts else auto.layers
            )
            auto = dataclasses.replace(
                auto,
                name=name,
                sky=opts.get("sky", auto.sky).lower(),
                ground=opts.get("ground", auto.ground).lower(),
                layers=layers,
                transition=transition,
                pos=d.pos,
            )
        scenes.append(auto)
        cues.extend(auto_cues)
        prev_palette, prev_mood = auto.palette, auto.mood
    return scenes, cues


def _written_cues(doc: Document, layout: Layout, sentences: tuple[Sentence, ...]) -> list[Cue]:
    cues: list[Cue] = []
    defaults = Cue("", 0, "", 0)
    for i, d in enumerate(doc.nodes):
        if not isinstance(d, Directive) or d.name != "cue" or not d.words:
            continue
        words = list(d.words)
        motif = words.pop(0).text.lower()
        anchor = None
        if len(words) >= 2 and words[0].text.lower() == "at":
            anchor = words[1].text
        if opt := d.option("at"):
            anchor = opt.value.text
        start = layout.anchors[i]
        if start >= len(sentences):
            continue
        if anchor:
            hit = find_word(sentences, start, layout.scene_end(start), anchor)
            if hit is None:
                continue
            sentence, char, word = hit
        else:
            sentence, char = start, 0
            word = sentences[start].words[0].text if sentences[start].words else ""
        fade_in = _num(d, "fade_in", _num(d, "fade", defaults.fade_in))
        hold_opt = d.option("hold")
        hold = (
            _num(d, "hold", None)
            if hold_opt and hold_opt.value.text.lower() != "scene"
            else None
        )
        cues.append(
            Cue(
                motif=motif,
                sentence=sentence,
                word=word,
                char=char,
                intensity=float(_num(d, "intensity", defaults.intensity)),
                fade_in=float(fade_in),
                hold=None if hold is None else float(hold),
                fade_out=float(_num(d, "fade_out", defaults.fade_out)),
                pos=d.pos,
            )
        )
    return cues


def check_document(doc: Document) -> tuple[Layout, list[Finding]]:
    layout = lay_out(doc)
    return layout, lint(doc, layout)


def script_from_document(doc: Document, layout: Layout, findings: list[Finding]) -> Script:
    """Build the Script of a parsed document; the first lint error is raised as DreamError."""
    errors = [f for f in findings if f.severity == ERROR]
    if errors:
        first = errors[0]
        more = f" ({len(errors) - 1} more; see dreamviz check)" if len(errors) > 1 else ""
        raise DreamError(first.message + more, path=first.path, line=first.line, col=first.col)
    sentences = _sentences_with_pauses(doc, layout)
    auto_scenes, auto_cues = _auto_flags(doc)
    scenes, cues = _build_scenes(sentences, layout, auto_scenes)
    if doc.directives("cue") or not auto_cues:
        cues = _written_cues(doc, layout, sentences)
    cues.sort(key=lambda c: (c.sentence, c.char))
    title_d = _last(doc, "title")
    seed_d = _last(doc, "seed")
    seed = seed_of(sentences)
    if seed_d is not None and seed_d.words:
        value, problem = number(seed_d.words[0].text, SEED)
        seed = int(value) if value is not None and not problem else seed
    warnings = tuple(doc.warnings) + tuple(
        f"{f.path}:{f.line}:{f.col}: {f.message}" for f in findings
    )
    return Script(
        path=doc.path,
        title=title_d.rest.text if title_d and title_d.rest else title_from_path(doc.path),
        sentences=sentences,
        scenes=tuple(scenes),
        cues=tuple(cues),
        voice=_voice(doc),
        pauses=_pauses(doc),
        seed=seed,
        warnings=warnings,
    )


def script_from_dream(source: SourceText) -> Script:
    """Parse, lint and build a `.dream` script."""
    doc = parse(source)
    layout, findings = check_document(doc)
    return script_from_document(doc, layout, findings)
