"""Dream Visualizer: a written dream becomes a slow, narrated audiovisual experience."""

__version__ = "0.1.0"
