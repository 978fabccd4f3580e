"""Journeys for tests: the builder the demo uses (``reporting.journey_builder``)."""

from reporting.journey_builder import *  # noqa: F403
