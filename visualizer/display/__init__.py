"""The window: fullscreen player, captions, controls, preview. The only module that opens one."""
