"""Every motif module; importing this package registers them all in `registry.MOTIFS`."""
