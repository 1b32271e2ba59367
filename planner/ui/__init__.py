"""The Voila dashboard: ipywidgets wired to :func:`planner.plan` (no planning rules here).

Serve it with ``voila notebooks/planner.ipynb``; ``--preheat_kernel=True`` roughly halves the time to
interactive (see ``benchmarks/bench_dashboard.py``). ``build_app()`` returns an :class:`App` whose
``widget`` the notebook displays and whose widgets and figure tests can drive without a browser.
"""

from planner.ui.app import App, build_app

__all__ = ["App", "build_app"]
