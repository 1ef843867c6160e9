"""One module per subcommand; each defines `register(subparsers)` and a `run(args) -> int`."""
