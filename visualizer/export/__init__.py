"""Render a dream to a video file (H.264 + AAC in MP4) faster than real time.

Public API:
- `render_prepared(prepared, out, settings)`: a `pipeline.Prepared` dream to a file with the
  real renderer (in worker processes for long videos), progress on stderr.
- `export_video(out, settings, schedule, utterances, frames)`: the core, with any frame
  source (`render_into(index, t, out)`), e.g. `RenderedFrames` or a test fake.
- `ExportSettings` (size, fps, quality, captions burn/vtt, ambient, seed, start, duration,
  force, jobs), `ExportResult`.
- Captions: `caption_cues(schedule, seconds, start)`, `CaptionBurner`, `write_vtt`.
- Looking at a finished file: `probe`, `decode_audio`, `frame_hashes`.
"""

from visualizer.export.burn import CaptionBurner
from visualizer.export.frames import FrameSource, RenderedFrames
from visualizer.export.make import render_prepared
from visualizer.export.probe import MediaInfo, decode_audio, frame_hashes, probe
from visualizer.export.settings import ExportSettings
from visualizer.export.timing import CaptionCue, caption_cues
from visualizer.export.video import ExportResult, export_video
from visualizer.export.vtt import write_vtt

__all__ = [
    "CaptionBurner",
    "CaptionCue",
    "ExportResult",
    "ExportSettings",
    "FrameSource",
    "MediaInfo",
    "RenderedFrames",
    "caption_cues",
    "decode_audio",
    "export_video",
    "frame_hashes",
    "probe",
    "render_prepared",
    "write_vtt",
]
