"""Settings by run mode: base (embedded default), production, test."""
