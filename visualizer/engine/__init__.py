"""The numpy particle and colour engine: `Renderer.render(state, t)` -> frame, deterministic
for a seed."""
