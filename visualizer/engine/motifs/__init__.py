"""Every motif module; importing this package registers them all in `registry.MOTIFS`.

Modules are discovered, not listed, so adding a motif file needs no edit here.
"""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


load_all()
