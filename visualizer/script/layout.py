"""Where things fall in a parsed script: its sentences, and the sentence each directive meets.

Shared by lint and the builder. A directive applies from the next sentence after it (`@scene`
starts there, `@cue` searches forward from there); `@pause` follows the sentence before it.
"""

from __future__ import annotations

from dataclasses import dataclass

from visualizer.script.ast import Directive, Document, Prose
from visualizer.script.lexicon import tokens, word_tokens
from visualizer.script.model import Sentence
from visualizer.script.prose import LineIndex, make_sentence
from visualizer.script.text import sentence_spans


@dataclass(frozen=True)
class Layout:
    """`anchors[i]` is the index of the first sentence after `doc.nodes[i]`."""

    sentences: tuple[Sentence, ...]
    anchors: tuple[int, ...]
    scene_starts: tuple[tuple[Directive, int], ...]

    def scene_end(self, sentence: int) -> int:
        """End (exclusive) of the written scene holding `sentence` (or of the auto part)."""
        for _, start in self.scene_starts:
            if start > sentence:
                return start
        return len(self.sentences)


def lay_out(doc: Document) -> Layout:
    lines = LineIndex(doc.text)
    sentences: list[Sentence] = []
    anchors: list[int] = []
    scene_starts: list[tuple[Directive, int]] = []
    paragraph = -1
    for node in doc.nodes:
        anchors.append(len(sentences))
        if isinstance(node, Prose):
            if node.new_paragraph or paragraph < 0:
                paragraph += 1
            for s, e in sentence_spans(doc.prose_text, node.start, node.end):
                sentences.append(
                    make_sentence(doc.prose_text, s, e, len(sentences), paragraph, doc.path, lines)
                )
        elif node.name == "scene":
            scene_starts.append((node, len(sentences)))
    return Layout(tuple(sentences), tuple(anchors), tuple(scene_starts))


def find_word(
    sentences: tuple[Sentence, ...], start: int, end: int, word: str
) -> tuple[int, int, str] | None:
    """First (sentence, char, text as written) where `word` (a word or phrase, any case) is
    said in sentences[start:end]."""
    want = tokens(word)
    n = len(want)
    for k in range(start, min(end, len(sentences))):
        s = sentences[k]
        if not want:
            at = s.text.lower().find(word.lower()) if word else -1
            if at >= 0:
                return k, at, s.text[at : at + len(word)]
            continue
        toks = word_tokens(s.words)
        for i in range(len(toks) - n + 1):
            if toks[i : i + n] == want:
                a, b = s.words[i], s.words[i + n - 1]
                return k, a.char, s.text[a.char : b.char + len(b.text)]
    return None
