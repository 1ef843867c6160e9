"""`python -m visualizer` is the same as the `dreamviz` command."""

from visualizer.cli import main

raise SystemExit(main())
