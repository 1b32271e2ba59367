// The page side of planner.ui.toggles.WeekdayToggles: one toggle button per weekday; "value" is the
// sorted list of the pressed days (0 = Monday).
function render({ model, el }) {
  el.classList.add("tb-toggles");
  const label = document.createElement("span");
  label.className = "tb-toggles-label";
  const group = document.createElement("span");
  group.className = "tb-toggles-group";
  group.setAttribute("role", "group");
  el.append(label, group);
  const buttons = model.get("labels").map((text, day) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tb-toggle";
    button.textContent = text;
    button.dataset.day = String(day);
    button.addEventListener("click", () => {
      const days = new Set(model.get("value"));
      if (days.has(day)) days.delete(day); else days.add(day);
      model.set("value", Array.from(days).sort((a, b) => a - b));
      model.save_changes();
    });
    group.append(button);
    return button;
  });
  const draw = () => {
    label.textContent = model.get("description");
    const days = new Set(model.get("value"));
    buttons.forEach((button, day) => {
      button.setAttribute("aria-pressed", days.has(day) ? "true" : "false");
      button.disabled = model.get("disabled");
    });
  };
  draw();
  model.on("change:value", draw);
  model.on("change:description", draw);
  model.on("change:disabled", draw);
  return () => { model.off("change:value", draw); model.off("change:description", draw); model.off("change:disabled", draw); };
}
export default { render };
