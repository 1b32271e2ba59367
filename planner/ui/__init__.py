"""The Voila dashboard: ipywidgets wired to :func:`planner.plan` (no planning rules here)."""

from planner.ui.app import App, build_app

__all__ = ["App", "build_app"]
