"""A bare Wagtail project (what ``wagtail start`` makes, on PostgreSQL) in this environment:
the reference for the platform's memory at startup (``tests.bench.startup_memory``)."""
