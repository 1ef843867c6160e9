"""How often each slowly changing motif is repainted: the renderer draws it at its time
quantised to 1/hz and keeps the painted result while nothing in its inputs moves, so a calm
landscape costs a fraction of its paint per frame and stays a pure function of t.

The rates are chosen by how far each motif moves between two refreshes at 1920x1080:
- 15 Hz for what drifts, sways, opens or breathes over seconds (clouds, grass, trees, stars
  that twinkle slowly, flowers, the mirror's shimmer, the bleeding sky, a pond and a lake,
  whose reflections only tremble): well under a pixel per refresh, so no judder.
- 30 Hz for spreading ripples, the waves of the sea, a flowing river, the tunnel's pulse
  and a bobbing boat: a little quicker, still every other frame at 60 fps.
Both divide 60 and 30 fps evenly, so refreshes land on a steady cadence in play and export.
Motifs not listed (particles, flames, candles, lanterns, the orb) change every frame.
"""

from __future__ import annotations

SLOW = 15.0
MEDIUM = 30.0

REFRESH_HZ: dict[str, float] = {
    # sky
    "bleed-sky": SLOW,
    "aurora": SLOW,
    "clouds": SLOW,
    "stars": SLOW,
    "sun": SLOW,
    # far and ground
    "city": SLOW,
    "meadow": SLOW,
    "mosaic": SLOW,
    "snowfield": SLOW,
    # water
    "lake": SLOW,
    "pond": SLOW,
    "sea": MEDIUM,
    "river": MEDIUM,
    "ripples": MEDIUM,
    # near things
    "grove": SLOW,
    "tree": SLOW,
    "willows": SLOW,
    "figure": SLOW,
    "bridge": SLOW,
    "door": SLOW,
    "stairs": SLOW,
    "mirror": SLOW,
    "flowers": SLOW,
    "boat": MEDIUM,
    # light that breathes over seconds (a breath every ~8 s, rays turning slowly)
    "glow": SLOW,
    "beams": SLOW,
    # whole-frame effects (cached only when everything under them is slow too)
    "bleed": SLOW,
    "darkness": SLOW,
    "mist": SLOW,
    "waking": SLOW,
    "tunnel": MEDIUM,
}

# Motifs whose intensity other motifs read from `FrameContext.motifs` (the orb sinks once a
# pond shows, water mirrors a glow, the tunnel warms with the candle...). A slow motif's
# cached picture depends on these levels and on its own, and on nothing else in `motifs`;
# tests/test_engine_slow.py checks the motif sources against this list.
READ_BY_OTHERS = frozenset(
    {"candle", "glow", "lake", "moon", "orb", "pond", "river", "sea", "shore", "sun"}
)

# Motifs that paint only light into `canvas.glow` and never touch `canvas.rgb`. Light only
# ever adds (the canvas contract), so such a motif may be painted after the slow motifs that
# follow it: a slow whole-frame effect over it (the bleed) still caches the picture, and the
# lights are added each frame. tests/test_engine_slow.py checks both facts by painting.
GLOW_ONLY = frozenset(
    {"beams", "droplets", "embers", "fireflies", "glow", "motes", "river-of-light"}
)
