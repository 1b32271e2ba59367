// The page side of planner.ui.plotly_view.PlotlyView: draws the model's plotly figure (JSON in
// "figure_json") with plotly.js and redraws it in place (Plotly.react) whenever the kernel sends a
// new one. At run time the vendored plotly.js basic bundle is placed before this code and leaves
// Plotly in `module.exports` (see plotly_view.py).
const Plotly = module.exports;
const CONFIG = { displaylogo: false, responsive: true };

function render({ model, el }) {
  const draw = () => {
    const figure = JSON.parse(model.get("figure_json") || "{}");
    Plotly.react(el, figure.data || [], figure.layout || {}, CONFIG);
  };
  draw();
  model.on("change:figure_json", draw);
  // Drawn before the page lays the widget out (or inside a hidden tab), plotly guesses a width:
  // fit the figure to its box whenever the box's width changes.
  let width = el.clientWidth;
  const resizer = new ResizeObserver(() => {
    if (el.clientWidth > 0 && el.clientWidth !== width) {
      width = el.clientWidth;
      Plotly.Plots.resize(el);
    }
  });
  resizer.observe(el);
  return () => {
    resizer.disconnect();
    model.off("change:figure_json", draw);
    Plotly.purge(el);
  };
}

export default { render };
