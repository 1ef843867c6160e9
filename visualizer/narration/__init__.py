"""Offline text-to-speech: supervised worker, cache, exact word timing where the engine gives it."""
