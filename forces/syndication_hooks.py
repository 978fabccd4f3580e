"""Admin hooks for syndication (localise and revert actions, national-page markers)."""
