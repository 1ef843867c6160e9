"""Pure scheduling: Script + measured narration -> Schedule; `sample(t)` -> SceneState."""
