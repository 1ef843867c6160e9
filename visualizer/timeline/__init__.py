"""Pure scheduling: Script + measured narration -> Schedule; `sample(t)` -> SceneState.

No clock, no I/O, no pygame in this package.
"""

from visualizer.timeline.schedule import Schedule, build_schedule, reading_pace_clip
from visualizer.timeline.words import estimate_word_starts

__all__ = ["Schedule", "build_schedule", "estimate_word_starts", "reading_pace_clip"]
