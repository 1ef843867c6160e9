"""Render a dream to a video file (H.264 + AAC in MP4) faster than real time.

Public API: `ExportSettings`, `export_video(out, settings, schedule, utterances, frames)`,
`RenderedFrames(schedule, renderer, burner)`, `CaptionBurner`, `caption_cues`, `write_vtt`,
`probe`, `decode_audio`, `frame_hashes`.
"""

from visualizer.export.burn import CaptionBurner
from visualizer.export.frames import FrameSource, RenderedFrames
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
    "write_vtt",
]
