"""A "Handout (PDF)" button: the PDF is built in the kernel when clicked (not on every replan:
a handout takes 0.1–0.5 s) and the page saves it as a file.

The click sends ``{"event": "build"}`` to the kernel; :meth:`HandoutButton.build` makes the PDF with
:func:`planner.handout.handout_pdf` for the plan and units the app gives (``source()``) and sends it
back as one binary buffer, which the page saves with a temporary ``<a download>``.
"""

from __future__ import annotations

import re
from typing import Callable

import anywidget
import traitlets

from planner.handout import handout_pdf
from planner.plan import Plan
from planner.profile import PlannerInputError

BUTTON_JS = r"""
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "tb-handout-button tb-download-button";  // styled as the other downloads
  const status = document.createElement("span");
  status.className = "tb-handout-status";
  status.style.marginLeft = "8px";
  const sync = () => {
    button.textContent = model.get("label");
    button.disabled = model.get("disabled");
  };
  sync();
  model.on("change:label", sync);
  model.on("change:disabled", sync);
  button.addEventListener("click", () => {
    status.textContent = "Building…";
    model.send({ event: "build" });
  });
  model.on("msg:custom", (message, buffers) => {
    if (message.event === "file") {
      const blob = new Blob([buffers[0]], { type: "application/pdf" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = message.name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      status.textContent = "";
    } else if (message.event === "error") {
      status.textContent = message.message;
    }
  });
  el.append(button, status);
}
export default { render };
"""


def handout_file_name(plan: Plan) -> str:
    """``trailback-handout-<name>.pdf`` (name in safe ASCII letters), or ``trailback-handout.pdf``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plan.profile.name).strip("-").lower()[:40]
    return f"trailback-handout-{slug}.pdf" if slug else "trailback-handout.pdf"


class HandoutButton(anywidget.AnyWidget):
    """One button; ``source()`` returns the plan to hand out and its units ("metric"/"imperial"),
    or None when there is no plan yet. ``page_size`` is "A4" or "Letter"."""

    _esm = traitlets.Unicode(BUTTON_JS).tag(sync=True)
    label = traitlets.Unicode("Handout (PDF)").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    page_size = traitlets.Unicode("A4")

    def __init__(self, source: Callable[[], tuple[Plan, str] | None], **kwargs):
        super().__init__(**kwargs)
        self.source = source
        self.on_msg(self._on_message)
        self.add_class("tb-handout")

    def _on_message(self, _widget, content: dict, _buffers) -> None:
        if isinstance(content, dict) and content.get("event") == "build":
            self.build()

    def build(self) -> bytes | None:
        """Make the PDF for the current plan and send it to the page; returns it (None on error)."""
        current = self.source()
        if current is None:
            self.send({"event": "error", "message": "No plan yet."})
            return None
        plan, units = current
        try:
            pdf = handout_pdf(plan, units=units, page_size=self.page_size)
        except PlannerInputError as error:
            self.send({"event": "error", "message": str(error)})
            return None
        self.send({"event": "file", "name": handout_file_name(plan)}, [pdf])
        return pdf
