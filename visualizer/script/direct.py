"""Auto-direction: stage plain prose as scenes and word-anchored cues, like a calm director.

Why these rules: a scene is a place, so a new scene starts where the dream says it moves
("The dream shifts", "You enter..."), where the light changes (a new palette) or where the
feeling turns (into or out of fear). Each image gets a cue at the word that names it, once
per scene; metaphors stay words. At most `MAX_ACTIVE` motifs are up at once so the picture
stays quiet.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from visualizer.script.lexicon import Lexicon, Match, catalogue, lexicon, word_tokens
from visualizer.script.model import Cue, Scene, Sentence, Transition

MAX_ACTIVE = 6
"""Most scene layers plus lasting cues visible together."""
MAX_LAYERS = 3
ESTABLISHING = 2
"""A scene's first sentences set its ground and layers (what is there from the start)."""
SHORT_HOLD = 12.0
"""Hold of a lasting cue pushed out by a newer one (seconds)."""

_PLACE_CATEGORIES = ("far", "water")
"""Named as a scene opens, these are the place itself (layers); objects arrive on their word."""
_WEATHER = ("rain", "snow", "clouds", "mist")
_CLEAR_NIGHT = ("stars", "moon")
_NAME_CATEGORIES = ("ground", "water", "far", "near", "light", "effect", "celestial", "particles")


@dataclass(frozen=True)
class _Read:
    """What the lexicon sees in one sentence."""

    matches: tuple[Match, ...]
    moods: tuple[str, ...]
    scene_break: bool
    waking: bool


@dataclass
class _Unit:
    first: int
    end: int
    scene_break: bool
    waking: bool


def _read(lex: Lexicon, sentence: Sentence) -> _Read:
    toks = word_tokens(sentence.words)
    matches = tuple(lex.scan(toks))
    waking = any("waking" in m.motifs for m in matches) or lex.has_phrase(
        toks, lex.waking_marks
    ) >= 0
    brk = lex.has_phrase(toks[:12], lex.scene_breaks) >= 0
    return _Read(matches, tuple(lex.moods_in(toks)), brk, waking)


def _units(sentences: tuple[Sentence, ...], reads: list[_Read]) -> list[_Unit]:
    """Paragraphs, split where waking begins inside one."""
    units: list[_Unit] = []
    i = 0
    n = len(sentences)
    while i < n:
        j = i
        while j < n and sentences[j].paragraph == sentences[i].paragraph:
            j += 1
        start = i
        for k in range(i, j):
            if reads[k].waking and k > start:
                units.append(_Unit(start, k, reads[start].scene_break, reads[start].waking))
                start = k
                break
        units.append(_Unit(start, j, reads[start].scene_break, reads[start].waking))
        i = j
    return units


def _palette_scores(lex: Lexicon, reads: list[_Read], first: int, end: int) -> Counter[str]:
    scores: Counter[str] = Counter()
    for k in range(first, end):
        for m in reads[k].matches:
            for p in m.palettes:
                scores[p] += 1.0
            for motif in m.motifs:
                hint = lex.hints.get(motif)
                if hint and hint.palette and not m.palettes:
                    scores[hint.palette] += 0.6
    return scores


def _mood_scores(lex: Lexicon, reads: list[_Read], first: int, end: int) -> Counter[str]:
    scores: Counter[str] = Counter()
    for k in range(first, end):
        for mood in reads[k].moods:
            scores[mood] += 1.0
        for m in reads[k].matches:
            for motif in m.motifs:
                hint = lex.hints.get(motif)
                if hint and hint.mood:
                    scores[hint.mood] += 1.5
    return scores


def _top(scores: Counter[str], minimum: float) -> str | None:
    """Highest score (ties: the first counted), if it reaches `minimum`."""
    if not scores:
        return None
    name, value = max(scores.items(), key=lambda kv: kv[1])
    return name if value >= minimum else None


def _fearful(scores: Counter[str]) -> bool:
    fear = scores.get("fear", 0.0)
    other = max((v for k, v in scores.items() if k != "fear"), default=0.0)
    return fear >= 2.0 and fear > other


def _group(
    lex: Lexicon, reads: list[_Read], units: list[_Unit]
) -> list[tuple[int, int, bool]]:
    """Sentence ranges of scenes, from paragraph units, and whether each is the same place as
    the scene before (only the feeling turned), so it keeps that scene's light."""
    groups: list[list[_Unit]] = []
    same_place: list[bool] = []
    seen: Counter[str] = Counter()  # palettes hinted so far in the current scene
    moods: Counter[str] = Counter()  # feelings so far in the current scene
    fear = False
    waking = False
    for u in units:
        pscores = _palette_scores(lex, reads, u.first, u.end)
        mscores = _mood_scores(lex, reads, u.first, u.end)
        top = _top(pscores, 1.0)
        u_fear = _fearful(mscores)
        new = not groups or u.scene_break or (u.waking and not waking)
        if not new and top and seen and top not in seen:
            new = True  # the light changes: a new place
        if not new and u_fear != fear and (u_fear or mscores.get("fear", 0) < 1):
            new = True  # the feeling turns
        u_mood = _top(mscores, 4.0)
        turn = False
        if not new and u_mood in ("joy", "wonder") and len(groups[-1]) >= 2:
            # a strong new feeling after a while in one place: a new scene, same light
            turn = _top(moods, 0.0) != u_mood and moods.get(u_mood, 0.0) < mscores[u_mood] / 2
        if new or turn:
            same_place.append(turn)
            groups.append([u])
            seen = Counter()
            moods = Counter()
            fear = u_fear
            waking = u.waking
        else:
            groups[-1].append(u)
        seen.update(pscores)
        moods.update(mscores)
    return [(g[0].first, g[-1].end, same) for g, same in zip(groups, same_place)]


def _surface(sentence: Sentence, m: Match) -> tuple[str, int]:
    a = sentence.words[m.first]
    b = sentence.words[m.end - 1]
    return sentence.text[a.char : b.char + len(b.text)], a.char


def read_all(sentences: tuple[Sentence, ...], lex: Lexicon | None = None) -> list[_Read]:
    """What the lexicon sees in each sentence (computed once, shared by every scene)."""
    lex = lex or lexicon()
    return [_read(lex, s) for s in sentences]


def scene_ranges(
    sentences: tuple[Sentence, ...], reads: list[_Read], end: int, lex: Lexicon | None = None
) -> list[tuple[int, int, bool]]:
    """Where scenes of sentences[0:end] begin and end, by the dream's own words (and whether
    each only turns the feeling of the place before)."""
    if end <= 0:
        return []
    return _group(lex or lexicon(), reads, _units(sentences[:end], reads[:end]))


def direct(
    sentences: tuple[Sentence, ...], lex: Lexicon | None = None
) -> tuple[tuple[Scene, ...], tuple[Cue, ...]]:
    """Scenes and cues for a run of sentences (the whole dream)."""
    lex = lex or lexicon()
    motifs = catalogue()
    reads = read_all(sentences, lex)
    ranges = scene_ranges(sentences, reads, len(sentences), lex)
    scenes: list[Scene] = []
    cues: list[Cue] = []
    prev_palette = "dawn"
    prev_mood = "calm"
    for first, end, same_place in ranges:
        scene, scene_cues = stage_scene(
            lex, motifs, sentences, reads, first, end, prev_palette, prev_mood, not scenes,
            force_palette=prev_palette if same_place and scenes else None,
        )
        scenes.append(scene)
        cues.extend(scene_cues)
        prev_palette, prev_mood = scene.palette, scene.mood
    return tuple(scenes), tuple(cues)


def stage_scene(
    lex: Lexicon,
    motifs: dict[str, dict[str, str]],
    sentences: tuple[Sentence, ...],
    reads: list[_Read],
    first: int,
    end: int,
    prev_palette: str,
    prev_mood: str,
    opening: bool,
    force_palette: str | None = None,
    force_mood: str | None = None,
) -> tuple[Scene, list[Cue]]:
    """Palette, sky, ground, mood, layers, transition and cues of one scene (an author may
    have chosen the palette or mood already: the rest follows from them)."""
    palette = force_palette or prev_palette
    k = end if force_palette else first
    while k < end:  # the first paragraph that hints a palette sets the scene's light
        j = k
        while j < end and sentences[j].paragraph == sentences[k].paragraph:
            j += 1
        top = _top(_palette_scores(lex, reads, k, j), 0.6)
        if top:
            palette = top
            break
        k = j
    setting = lex.settings[palette]
    mscores = _mood_scores(lex, reads, first, end)
    if force_mood:
        mood = force_mood
    elif _fearful(mscores):
        mood = "fear"
    else:
        mscores.pop("fear", None)
        mood = _top(mscores, 2.0) or setting.mood
    window = range(first, min(end, first + ESTABLISHING))
    named_early = [m for k in window for match in reads[k].matches for m in match.motifs]
    hinted = (lex.hints[m].ground for m in named_early if m in lex.hints and lex.hints[m].ground)
    ground = next(
        (m for m in named_early if motifs[m]["category"] == "ground"),
        next(hinted, setting.ground),
    )
    sky = setting.sky
    if mood == "fear" and sky != "dark" and any(
        m in ("abyss", "tunnel", "cave", "darkness") for m in named_early
    ):
        sky = "dark"
    if "bleed" in named_early and sky == "clear-sky":
        sky = "bleed-sky"

    # Cues: the first literal mention of each motif in the scene.
    cued: dict[str, Cue] = {}
    order: list[Cue] = []
    for k in range(first, end):
        for m in reads[k].matches:
            word, char = _surface(sentences[k], m)
            for motif in m.motifs:
                if motif in cued or motifs[motif]["category"] == "sky" or (
                    motif == ground == setting.ground and motif not in named_early
                ):
                    continue
                cue = Cue(
                    motif=motif,
                    sentence=k,
                    word=word,
                    char=char,
                    intensity=lex.cue_intensity.get(motif, 1.0),
                    fade_in=lex.mood_fade_in.get(mood, 2.5),
                    hold=lex.cue_hold.get(motif),
                    fade_out=5.0 if mood in ("calm", "fear") else 4.0,
                )
                cued[motif] = cue
                order.append(cue)

    early = [m for m in dict.fromkeys(named_early) if motifs[m]["category"] in _PLACE_CATEGORIES]
    layers = [m for m in early if m not in (ground, sky)]
    weather = any(m in cued for m in _WEATHER)
    for m in setting.layers:
        if weather and m in _CLEAR_NIGHT:
            continue  # no starry sky behind the rain
        if m not in cued and m not in layers and m not in (ground, sky):
            layers.append(m)
    layers = layers[:MAX_LAYERS]

    # Keep it calm: a new lasting cue pushes the oldest lasting one out.
    active: list[int] = []
    final: list[Cue] = []
    for cue in order:
        if cue.hold is None and cue.motif not in layers:
            while len(active) + len(layers) >= MAX_ACTIVE:
                idx = active.pop(0)
                old = final[idx]
                final[idx] = Cue(**{**old.__dict__, "hold": SHORT_HOLD})
            active.append(len(final))
        final.append(cue)

    if opening or mood == "fear" or prev_mood == "fear":
        transition = Transition("fade", 5.0)
    elif palette == "dreamlike" or "bleed" in cued:
        transition = Transition("bleed", 6.0)
    else:
        transition = Transition("dissolve", 6.0 if mood == "calm" else 5.0)

    name_motif = next(
        (c.motif for cat in _NAME_CATEGORIES for c in order if motifs[c.motif]["category"] == cat),
        None,
    )
    parts = [palette.replace("-", " ")]
    if name_motif and name_motif != palette:
        parts.append(name_motif.replace("-", " "))
    name = " ".join(parts).capitalize()
    scene = Scene(
        name=name,
        first=first,
        end=end,
        palette=palette,
        sky=sky,
        ground=ground,
        mood=mood,
        layers=tuple(layers),
        transition=transition,
    )
    return scene, final
