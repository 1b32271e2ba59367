"""Equal layouts and styles shared by several widgets: fewer models, same looks, no silent changes."""

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget import _instances

from planner.ui import build_app
from planner.ui.sharing import SharedModelChanged, share_equal_models


def open_models() -> int:
    """Widget models open in this process (what a page would be sent)."""
    return len(_instances)


def test_equal_models_are_shared_and_the_spares_closed():
    first, second = w.HTML("a"), w.HTML("b")
    wide = w.Text(layout=w.Layout(width="300px"))
    hidden = w.Button(layout=w.Layout(display="none"))
    box = w.VBox([first, second, w.HBox([wide]), hidden])
    styles = {id(first.style): first.style, id(second.style): second.style}
    closed = share_equal_models(box, own_layout=(hidden,))
    assert second.layout is first.layout is box.layout and second.style is first.style
    spare_style = next(style for key, style in styles.items() if key != id(first.style))
    assert spare_style.comm is None and first.style.comm is not None  # the spare is closed: never sent to the page
    assert wide.layout.width == "300px" and wide.layout is not first.layout  # different values stay apart
    assert hidden.layout.display == "none"
    hidden.layout.display = ""  # its own layout: may change
    assert first.layout.display is None
    assert closed >= 2


def test_changing_a_shared_model_raises():
    first, second = w.HTML("a"), w.HTML("b")
    share_equal_models(w.VBox([first, second]))
    with pytest.raises(SharedModelChanged, match="own_layout"):
        first.layout.display = "none"


def test_a_shared_model_can_still_be_closed():
    first, second = w.HTML("a"), w.HTML("b")
    share_equal_models(w.VBox([first, second]))
    first.layout.close()  # e.g. Widget.close_all() at kernel shutdown
    assert second.layout.comm is None


def test_a_model_already_shared_is_the_one_kept():
    constant = w.Layout(width="360px")
    early = w.Text(layout=w.Layout(width="360px"))
    users = [w.Text(layout=constant), w.Text(layout=constant)]
    share_equal_models(w.VBox([early, *users]))
    assert early.layout is constant and constant.comm is not None
    later = w.Text(layout=constant)  # made after sharing, e.g. a new diary row: its layout still works
    assert later.layout.comm is not None


def test_dashboard_shares_its_models_and_hides_boxes_without_touching_layouts():
    before = open_models()
    app = build_app()
    assert open_models() - before < 200  # 331 before sharing (the old layout)
    app.safety.boxes["bladder_bowel"].value = True  # hides the plan: a CSS class, not a layout change
    assert "tb-hidden" in app.plan_box._dom_classes
    app.safety.boxes["bladder_bowel"].value = False
    assert "tb-hidden" not in app.plan_box._dom_classes
    app.clients.bar.delete_button.click()  # the confirmation and the guard rows: classes too
    app.clients.bar.ask_unsaved("Open another client", lambda choice: None)
    assert "tb-hidden" not in app.clients.bar.guard._dom_classes
