"""Admin hooks for national governance (approval panels, notifications)."""
