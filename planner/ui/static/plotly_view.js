// The page side of planner.ui.plotly_view.PlotlyView: draws the model's plotly figure (JSON in
// "figure_json") with plotly.js and redraws it in place (Plotly.react) whenever the kernel sends a
// new one. The JSON is either one figure ({data, layout}) drawn in the widget's own element, or
// {charts: [{name, figure, caption, key}]}: one plot per chart, each with its key (an HTML list, not
// plotly's legend: see legend_entries in charts.py) and its caption under it.
// plotly.js comes from the page (the "trailback" Voila template loads it early) or, anywhere else,
// from the kernel once per page (see plotly_view.py).
const BUNDLE_REQUEST = "send plotly.js";
const HIDDEN_DRAWN_AFTER_MS = 3000;
// No cloud or share action: a client's chart is never offered to Plotly Cloud / Chart Studio.
const CONFIG = {
  displaylogo: false, responsive: true, showLink: false, showSendToCloud: false, showEditInChartStudio: false,
  plotlyServerURL: "", linkText: "",
  modeBarButtonsToRemove: ["select2d", "lasso2d", "sendDataToCloud", "editInChartStudio"],
};

function bundleFromKernel(model) {
  return new Promise((resolve, reject) => {
    const take = async (content) => {
      if (!content || !content.plotly_module) return;
      model.off("msg:custom", take);
      const url = URL.createObjectURL(new Blob([content.plotly_module], { type: "text/javascript" }));
      try {
        resolve((await import(url)).default);
      } catch (error) {
        reject(error);
      } finally {
        URL.revokeObjectURL(url);
      }
    };
    model.on("msg:custom", take);
    model.send(BUNDLE_REQUEST);
  });
}

// One plotly.js per page, shared by every chart widget (each widget imports this module on its own).
function plotly(model) {
  if (!window.trailbackPlotly) {
    window.trailbackPlotly = (async () => {
      const fromPage = await window.trailbackPagePlotly; // set by the template; undefined elsewhere
      return fromPage && fromPage.react ? fromPage : bundleFromKernel(model);
    })();
    window.trailbackPlotly.catch(() => { window.trailbackPlotly = null; }); // a later widget asks again
  }
  return window.trailbackPlotly;
}

const SVG = "http://www.w3.org/2000/svg";

// A key entry's swatch: a small SVG drawn like the trace (bar, band, line with or without a marker, or
// the short tick of the "as first planned" markers).
function swatch({ kind, colour, dash, marker }) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", `tb-swatch tb-swatch-${kind}`);
  svg.setAttribute("width", "22");
  svg.setAttribute("height", "12");
  svg.setAttribute("aria-hidden", "true");
  const shape = (name, attributes) => {
    const node = document.createElementNS(SVG, name);
    for (const [attribute, value] of Object.entries(attributes)) node.setAttribute(attribute, value);
    svg.append(node);
  };
  if (kind === "bar" || kind === "band") shape("rect", { x: 3, y: 1, width: 16, height: 10, fill: colour });
  else if (kind === "tick") shape("line", { x1: 3, y1: 6, x2: 19, y2: 6, stroke: colour, "stroke-width": 2 });
  else {
    shape("line", { x1: 1, y1: 6, x2: 21, y2: 6, stroke: colour, "stroke-width": 2,
                    ...(dash && dash !== "solid" ? { "stroke-dasharray": "2 3" } : {}) });
    if (marker) shape("circle", { cx: 11, cy: 6, r: 3, fill: colour });
  }
  return svg;
}

// The key under a chart: entries in order, each group's title once before its entries.
function drawKey(list, entries) {
  const items = [];
  let group = "";
  for (const entry of entries) {
    if (entry.group && entry.group !== group) {
      const title = document.createElement("li");
      title.className = "tb-chart-key-group";
      title.textContent = entry.group;
      items.push(title);
    }
    group = entry.group;
    const item = document.createElement("li");
    item.className = "tb-chart-key-item";
    const name = document.createElement("span");
    name.textContent = entry.name;
    item.append(swatch(entry.swatch || {}), name);
    items.push(item);
  }
  list.replaceChildren(...items);
}

async function render({ model, el }) {
  const Plotly = await plotly(model);
  const plots = new Map(); // chart name -> {box, plot, key, caption, drawn (figure JSON), keyed (key JSON)}
  const plotFor = (name) => {
    if (!plots.has(name)) {
      const box = document.createElement("div");
      box.className = `tb-chart tb-chart-${name}`;
      const plot = document.createElement("div");
      plot.className = `tb-chart-plot tb-chart-plot-${name}`;
      const key = document.createElement("ul");
      key.className = "tb-chart-key";
      key.setAttribute("aria-label", "Key to the chart above");
      const caption = document.createElement("p");
      caption.className = "tb-chart-caption";
      box.append(plot, key, caption);
      el.append(box);
      plots.set(name, { box, plot, key, caption, drawn: "", keyed: "" });
    }
    return plots.get(name);
  };
  const draw = () => {
    const started = performance.now();
    const figure = JSON.parse(model.get("figure_json") || "{}");
    if (!figure.charts) { // one figure: as wide as its box unless it has a width of its own
      const layout = figure.layout || {};
      return Plotly.react(el, figure.data || [], layout.width ? layout : { ...layout, width: el.clientWidth || undefined }, CONFIG);
    }
    const drawing = [];
    for (const chart of figure.charts) {
      const entry = plotFor(chart.name);
      const { plot, caption } = entry;
      if (caption.textContent !== (chart.caption || "")) caption.textContent = chart.caption || "";
      const keyed = JSON.stringify(chart.key || []);
      if (keyed !== entry.keyed) {
        entry.keyed = keyed;
        drawKey(entry.key, chart.key || []);
      }
      // The box has the figure's height: plotly's resize (a window or box resize) drops the layout's
      // height and sizes the chart to its box, which without a height of its own collapses to 0 px.
      const height = (chart.figure.layout || {}).height;
      if (height && plot.style.height !== `${height}px`) plot.style.height = `${height}px`;
      const text = JSON.stringify(chart.figure);
      if (text === entry.drawn) continue; // unchanged chart (e.g. the minutes when only the hills change)
      entry.drawn = text;
      drawing.push(Plotly.react(plot, chart.figure.data || [], chart.figure.layout || {}, CONFIG));
    }
    el.dataset.drawMs = (performance.now() - started).toFixed(1); // benchmarks read the last redraw's cost
    return Promise.all(drawing);
  };
  // Once the figures are first drawn (or the box stayed hidden, e.g. a plan stopped by a red flag),
  // the kernel may build what is below the fold (planner/ui/app.py: build_later).
  let told = false;
  const tellDrawn = () => {
    if (!told) {
      told = true;
      model.send("drawn");
    }
  };
  const hiddenTimer = setTimeout(tellDrawn, HIDDEN_DRAWN_AFTER_MS);
  // Drawn before the page lays the widget out (or inside a hidden tab), a figure would get plotly's
  // guess of 700 px and be drawn again once the box has a width: so draw when the box has a width (a
  // figure with a width of its own at once), and fit the figures to the box when its width changes.
  let width = el.clientWidth;
  let shown = false;
  const show = () => {
    shown = true;
    clearTimeout(hiddenTimer);
    let drawing;
    try {
      drawing = draw();
    } finally { // told once plotly has finished drawing (or failed to)
      Promise.resolve(drawing).catch(() => null).then(() => requestAnimationFrame(tellDrawn));
    }
    model.on("change:figure_json", draw);
  };
  const ownWidth = () => {
    const figure = JSON.parse(model.get("figure_json") || "{}");
    return !figure.charts && !!(figure.layout && figure.layout.width);
  };
  if (width > 0 || ownWidth()) show();
  const resizer = new ResizeObserver(() => {
    if (el.clientWidth === 0 || el.clientWidth === width) return;
    width = el.clientWidth;
    if (!shown) show();
    else if (plots.size) plots.forEach(({ plot }) => Plotly.Plots.resize(plot));
    else draw(); // at the new width (Plots.resize lost the figure's height after a redraw)
  });
  resizer.observe(el);
  return () => {
    resizer.disconnect();
    model.off("change:figure_json", draw);
    if (plots.size) plots.forEach(({ plot }) => Plotly.purge(plot)); else Plotly.purge(el);
  };
}

export default { render };
