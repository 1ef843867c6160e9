"""Writing a `Script` back out as an editable `.dream`: every staging decision made visible.

The draft states every scene setting and cue explicitly, so loading it gives the same staging
as the `.txt` it came from, and an author can change one line and see one thing change.
Paragraphs stay one per line as in the dream; a paragraph is broken only where a cue must sit
right before the sentence it belongs to.
"""

from __future__ import annotations

from visualizer.script.layout import find_word
from visualizer.script.model import Cue, Scene, Script, Sentence


def _num(x: float) -> str:
    return f"{x:g}"


def _quote(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def scene_line(scene: Scene) -> str:
    layers = ",".join(scene.layers) if scene.layers else "none"
    t = scene.transition
    name = " ".join(w for w in scene.name.replace("=", " ").replace('"', " ").split()
                    if not w.startswith(("@", "#")))
    return (
        f"@scene {name} palette={scene.palette} sky={scene.sky} ground={scene.ground} "
        f"mood={scene.mood} layers={layers} transition={t.kind}:{_num(t.duration)}"
    )


def cue_line(cue: Cue) -> str:
    d = Cue("", 0, "", 0)
    parts = [f"@cue {cue.motif} at {_quote(cue.word)}"]
    if cue.intensity != d.intensity:
        parts.append(f"intensity={_num(cue.intensity)}")
    if cue.fade_in != d.fade_in:
        parts.append(f"fade={_num(cue.fade_in)}")
    if cue.hold is not None:
        parts.append(f"hold={_num(cue.hold)}")
    if cue.fade_out != d.fade_out:
        parts.append(f"fade_out={_num(cue.fade_out)}")
    return " ".join(parts)


def _prose(text: str) -> str:
    return "\\" + text if text.startswith(("@", "#")) else text


def _header(script: Script, source_name: str) -> list[str]:
    v, p = script.voice, script.pauses
    voice = [f"rate={v.rate}", f"pitch={v.pitch}", f"volume={_num(v.volume)}"]
    if v.name:
        voice.append(f"name={v.name}")
    lines = [
        f"# Drafted by dreamviz from {source_name}. Edit freely, then run: dreamviz check FILE",
        "# @scene starts a scene at the next sentence; @cue MOTIF at \"word\" fades a motif in",
        "# when that word is spoken; dreamviz motifs lists every name.",
        f"@title {script.title}",
        f"@seed {script.seed}",
        "@voice " + " ".join(voice),
    ]
    lines.append(
        f"@pauses sentence={_num(p.sentence)} paragraph={_num(p.paragraph)} scene={_num(p.scene)}"
    )
    return lines


def draft_text(script: Script, source_name: str = "the dream") -> str:
    """The `.dream` text that stages `script` exactly as it is."""
    out = _header(script, source_name)
    scene_at = {sc.first: sc for sc in script.scenes}
    cues_at: dict[int, list[Cue]] = {}
    for cue in script.cues:
        cues_at.setdefault(cue.sentence, []).append(cue)
    sentences = script.sentences
    n = len(sentences)
    line: list[str] = []  # prose of the current output line
    line_start = 0  # first sentence on the current line

    def flush() -> None:
        nonlocal line
        if line:
            out.append(" ".join(_prose(t) if i == 0 else t for i, t in enumerate(line)))
            line = []

    def scene_end(k: int) -> int:
        return min((sc.end for sc in script.scenes if sc.first <= k < sc.end), default=n)

    for k, s in enumerate(sentences):
        new_para = k == 0 or s.paragraph != sentences[k - 1].paragraph
        if new_para:
            flush()
            out.append("")
            line_start = k
        if k in scene_at:
            flush()
            out.append(scene_line(scene_at[k]))
            line_start = k
        # A cue may sit above the current line only if searching from the line's first
        # sentence finds its exact word first; otherwise break the line here.
        here = cues_at.get(k, [])
        if any(not _found_from(sentences, line_start, scene_end(k), c) for c in here):
            flush()
            line_start = k
        # Directives written now land above the open line: they apply from its first sentence.
        out.extend(cue_line(c) for c in here)
        if s.pause_after is not None:
            line.append(s.text)
            flush()
            out.append(f"@pause {_num(s.pause_after)}")
            line_start = k + 1
            continue
        line.append(s.text)
    flush()
    return "\n".join(out).lstrip("\n") + "\n"


def _found_from(sentences: tuple[Sentence, ...], start: int, end: int, cue: Cue) -> bool:
    hit = find_word(sentences, start, end, cue.word)
    return hit is not None and hit[0] == cue.sentence and hit[1] == cue.char
