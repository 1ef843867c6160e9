"""Sound: ambient beds synthesized in numpy, mixdown with ducking, WAV files, the mixer sink."""
