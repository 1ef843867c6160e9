"""`dreamviz motifs`: every motif, palette and mood an author can name, with what it looks like.

Reads the catalogues in assets/ only (no engine import), so it answers instantly.
"""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "motifs",
        help="list every motif, palette and mood with a one-line description",
        description="List the names a scene script can use: motifs (by category), palettes "
        "and moods, each with a one-line description.",
    )
    p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    p.add_argument("--words", action="store_true",
                   help="also show which words in a dream summon each motif")
    p.set_defaults(func=run)


def catalogue(with_words: bool = False) -> dict:
    from visualizer.resources import load_json_asset

    motifs = load_json_asset("motifs.json")
    palettes = load_json_asset("palettes.json")
    moods = load_json_asset("moods.json")
    words = load_json_asset("lexicon.json").get("motifs", {}) if with_words else {}
    return {
        "motifs": [
            {"name": k, "category": v["category"], "description": v["description"],
             **({"words": words.get(k, [])} if with_words else {})}
            for k, v in motifs.items()
        ],
        "palettes": [{"name": k, "description": v["description"]} for k, v in palettes.items()],
        "moods": [{"name": k, "description": v} for k, v in moods.items()],
    }


def run(args: argparse.Namespace) -> int:
    data = catalogue(args.words)
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    width = max(len(m["name"]) for m in data["motifs"] + data["palettes"]) + 2
    out = ["Motifs (@cue NAME, @scene layers=... ground=... sky=...)"]
    category = None
    for m in data["motifs"]:
        if m["category"] != category:
            category = m["category"]
            out.append(f"  {category}:")
        out.append(f"    {m['name']:<{width}}{m['description']}")
        if args.words and m.get("words"):
            out.append(f"    {'':<{width}}words: {', '.join(m['words'])}")
    out.append("")
    out.append("Palettes (@scene palette=NAME)")
    out.extend(f"    {p['name']:<{width}}{p['description']}" for p in data["palettes"])
    out.append("")
    out.append("Moods (@scene mood=NAME)")
    out.extend(f"    {p['name']:<{width}}{p['description']}" for p in data["moods"])
    print("\n".join(out))
    return 0
