"""The dashboard's CSS and the one way the app hides and shows a box (a CSS class, never a change to a
widget's ``layout``: layouts may be shared between widgets, see :mod:`planner.ui.sharing`).

Layout: one column under 900 px; on wider screens the inputs (client bar, safety, pain, fitness,
terrain, goal) on the left and the results (summary, charts, schedule) beside them.
"""

from __future__ import annotations

import ipywidgets as w

HIDDEN = "tb-hidden"
NARROW_PX = 900
STYLE = """<style>
.tb-hidden {display:none !important}
.tb-app {max-width:1600px; box-sizing:border-box}
/* the safety banner comes after the questions (a box just ticked does not move) and sticks to the bottom
   of the screen while the coach is among them: its boxes must not clip (Lumino widgets hide their
   overflow by default) */
.tb-app, .tb-main, .tb-inputs, .tb-safety {overflow:visible !important}
/* and the page's boxes around the app: a box with overflow other than visible would hold the banner */
.jp-OutputArea-output:has(.tb-app), .jp-OutputArea:has(.tb-app), .jp-OutputArea-child:has(.tb-app),
.jp-Cell:has(.tb-app), .jp-Cell-outputWrapper:has(.tb-app), .jp-Cell-outputArea:has(.tb-app) {overflow:visible !important}
.tb-banner-strip {position:sticky; bottom:0; z-index:10}
.tb-strip-box {padding:8px 12px; border-radius:6px 6px 0 0; font-weight:bold; box-shadow:0 -2px 8px rgba(0,0,0,0.25)}
.tb-strip-box a {color:inherit; text-decoration:underline}
@media (max-width:900px) {.tb-summary-compact .tb-summary-text {min-height:calc(3 * 1.4em + 16px)}}
.tb-app * {box-sizing:border-box}
.tb-app .widget-html-content {line-height:1.4}
/* icons need FontAwesome from a CDN, which the page never loads: buttons carry words only */
.tb-app .jupyter-button > i.fa {display:none}
.tb-app .widget-button, .tb-app .jupyter-button {width:auto; min-width:0; padding:0 12px}
.tb-app .widget-upload {width:auto !important; min-width:max-content; max-width:100%}
.tb-header {overflow:visible !important}
.tb-app h1.tb-title {margin:4px 0 2px 0; font-size:1.35em}
.tb-main {display:flex !important; flex-flow:row nowrap; gap:18px; align-items:flex-start; width:100%}
.tb-inputs {flex:0 1 460px; min-width:0 !important}
.tb-results {flex:1 1 600px; min-width:0 !important}
.tb-summary-compact {display:none !important}
@media (max-width:900px) {
  .tb-summary-compact {display:block !important}
  .tb-main {flex-flow:column nowrap}
  .tb-inputs, .tb-results {flex:1 1 auto; width:100%}
}
.tb-app .widget-inline-hbox, .tb-app .widget-text, .tb-app .widget-dropdown, .tb-app .widget-datepicker,
.tb-app .widget-hbox, .tb-app .widget-vbox {max-width:100%}
.tb-app .tb-row {width:100%; flex-wrap:wrap}
.tb-app .tb-row > .widget-inline-hbox {width:100%; max-width:420px}
.tb-app .widget-label, .tb-app .widget-label-basic, .tb-app .widget-checkbox label {white-space:normal !important;
  overflow:visible !important; text-overflow:clip !important; height:auto !important; line-height:1.25;
  align-self:center}
.tb-app .widget-checkbox {width:100% !important; height:auto !important}
.tb-app .widget-checkbox input {flex:0 0 auto}
/* a visible focus ring (WCAG 2.4.7): 3 px, 6.9:1 on white */
.tb-app :focus-visible, .tb-app input:focus, .tb-app select:focus, .tb-app button:focus-visible,
.tb-app .lm-TabBar-tab:focus-visible, .tb-app summary:focus-visible, .tb-app a:focus-visible {
  outline:3px solid #0b5cad !important; outline-offset:1px !important}
.tb-app .lm-TabBar-tab:focus-visible {outline-offset:-3px !important}
.tb-app a.tb-src-all {color:#0b5cad; text-decoration:underline}
.tb-app .jupyter-widget-Collapse-header, .tb-app .jupyter-widget-Collapse-header span {color:#333 !important}
.tb-app .lm-TabBar-tab, .tb-app .p-TabBar-tab {min-width:0 !important; flex:1 1 auto !important}
.tb-app .lm-TabBar-tabLabel {overflow:visible !important; text-overflow:clip !important}
.tb-app .widget-tab > .widget-tab-contents {padding:8px 6px}
@media (max-width:600px) {
  .tb-app .tb-row > .widget-inline-hbox {flex-wrap:wrap; height:auto !important}
  .tb-app .tb-row > .widget-inline-hbox > * {margin-top:1px; margin-bottom:1px}
  .tb-app .tb-row .widget-slider {height:auto}
  .tb-app .tb-row select, .tb-app .tb-row input {min-height:28px}
  .tb-app .tb-row > .widget-inline-hbox > .widget-label {width:100% !important; max-width:100% !important;
    text-align:left !important; margin-bottom:2px}
  .tb-app .tb-row > .widget-inline-hbox > input, .tb-app .tb-row select {flex:1 1 auto; min-width:0}
}
.tb-skip {font-size:0.88em; color:#444; margin:0 0 4px 0}
.tb-skip a {color:#0b5cad}
.tb-section-title {margin:10px 0 4px 0; font-size:1.08em}
.tb-hint {color:#444; font-size:0.92em; margin-bottom:4px}
.tb-tier {font-weight:bold; margin:8px 0 2px 0; font-size:0.92em}
.tb-tier-emergency {color:#b00020}
.tb-tier-urgent {color:#8a5a00}
.tb-tier-review {color:#225}
.tb-flag {margin:0 0 2px 0}
.tb-banner-box {border-radius:6px; padding:12px 16px; margin:8px 0; font-size:1.02em}
.tb-banner-emergency {background:#b00020; color:white}
.tb-banner-urgent {background:#f3c200; color:#222}
.tb-banner-box h2 {margin:0 0 6px 0; font-size:1.2em; color:inherit}
.tb-summary-text {font-size:1.08em; background:#eef4fb; border-left:5px solid #0b5cad; padding:8px 12px; margin:6px 0}
.tb-summary-label {font-weight:bold}
.tb-why {background:#fff4ce; border-left:5px solid #8a5a00; padding:6px 12px; margin:6px 0 0 0}
.tb-why a {color:#0b5cad}
.tb-warnings-list {margin:4px 0; padding-left:20px; color:#7a4b00}
.tb-warnings-list li {margin:2px 0}
.tb-review {background:#fff4ce; padding:8px 12px; border-left:4px solid #f3c200; margin:6px 0}
.tb-notice-text {color:#444; font-size:0.9em; margin:2px 0 6px 0}
.tb-error-text {color:#b00020; font-size:0.92em; white-space:normal}
.tb-info-text {color:#225}
.tb-stale-text {color:#7a4b00; background:#fff4ce; padding:6px 10px}
.tb-charts {width:100%; min-width:0}
.tb-chart-caption {margin:0 0 12px 0; color:#444; font-size:0.9em}
.tb-chart-key {list-style:none; margin:0 0 6px 0; padding:0 0 0 8px; display:flex; flex-wrap:wrap;
  gap:2px 14px; font-size:12px; color:#222}
.tb-chart-key li {display:flex; align-items:center; gap:4px}
.tb-chart-key-group {color:#444}
.tb-week {margin:0 0 10px 0}
.tb-week h3 {margin:12px 0 4px 0; font-size:1em}
.tb-phase-cues {background:#f5f7f9; border-left:4px solid #56b4e9; padding:4px 10px; margin:4px 0; font-size:0.9em}
.tb-phase-cues ul {margin:2px 0 2px 0; padding-left:18px}
.tb-phase-sources {color:#555}
table.tb-table {border-collapse:collapse; font-size:0.88em; line-height:1.35; width:100%; table-layout:fixed}
table.tb-table th, table.tb-table td {border-bottom:1px solid #ddd; padding:3px 5px; text-align:left;
  vertical-align:top; overflow-wrap:anywhere}
table.tb-table th:nth-child(1) {width:16%} table.tb-table th:nth-child(2) {width:20%}
table.tb-table th:nth-child(3) {width:22%} table.tb-table th:nth-child(4) {width:10%}
table.tb-table th:nth-child(6) {width:10%}
@media (max-width:600px) {
  table.tb-table thead {display:none}
  table.tb-table, table.tb-table tbody, table.tb-table tr {display:block; width:100%}
  table.tb-table tr {border-bottom:1px solid #ddd; padding:4px 0}
  table.tb-table td {display:inline; border:0; padding:0}
  table.tb-table td:nth-child(-n+3)::after {content:" · "; color:#888}
  table.tb-table td:nth-child(4)::after {content:" kJ"}
  table.tb-table td:nth-child(5) {display:block}
  /* the recorded walks' weekly table (four short columns) stays a table, its columns its own */
  table.tb-table.tb-recordings-weekly {display:table} table.tb-table.tb-recordings-weekly tbody {display:table-row-group}
  table.tb-table.tb-recordings-weekly tr {display:table-row}
  table.tb-table.tb-recordings-weekly td {display:table-cell; border-bottom:1px solid #ddd; padding:3px 5px;
    overflow-wrap:normal}
  table.tb-table.tb-recordings-weekly th:nth-child(n) {width:auto}
  table.tb-table.tb-recordings-weekly td:nth-child(n)::after {content:none}
}
.tb-rest-days {color:#666; font-size:0.88em; margin:2px 0}
a.tb-src {color:#0b5cad; text-decoration:none; border-bottom:1px dotted #0b5cad}
.tb-sources-list {font-size:0.88em; padding-left:0; list-style:none}
.tb-sources-list li {margin:3px 0}
.tb-sources-list li:target {background:#fff4ce}
.tb-toggles {display:flex; flex-wrap:wrap; align-items:center; gap:4px 8px; width:100%}
.tb-toggles-label {width:170px; text-align:right; padding-right:8px; font-size:var(--jp-widgets-font-size, 13px)}
.tb-toggles-group {display:flex; flex-wrap:wrap; gap:3px}
.tb-toggle {min-width:40px; padding:3px 6px; border:1px solid #999; background:#fff; border-radius:3px; cursor:pointer}
.tb-toggle[aria-pressed=true] {background:#0b5cad; color:#fff; border-color:#0b5cad}
@media (max-width:600px) {.tb-toggles-label {width:100%; text-align:left}}
.tb-download-button {padding:4px 10px; margin:2px 8px 2px 0; border:1px solid #0b5cad; color:#0b5cad;
  background:#fff; border-radius:3px; cursor:pointer}
.tb-downloads, .tb-schedule-controls, .tb-plan-downloads, .tb-diary-entry, .tb-client-confirm, .tb-guard {flex-wrap:wrap !important; gap:4px}
.tb-schedule-controls > *, .tb-downloads > * {flex:0 0 auto}
.tb-schedule-count-text {display:inline-block; padding:4px 8px 0 0}
.tb-client-bar {background:#f5f7f9; border:1px solid #dde3ea; border-radius:6px; padding:6px 8px; margin:4px 0 8px 0}
.tb-client-bar .widget-hbox {flex-wrap:wrap; gap:4px; max-width:100%}
.tb-client-bar .widget-hbox > * {margin-left:0; margin-right:0}
.tb-client-bar .tb-client-pick {flex:1 1 200px; max-width:320px}
.tb-client-bar .tb-client-name {flex:1 1 200px; max-width:320px}
.tb-client-bar .tb-client-find {flex:1 1 200px; max-width:260px}
.tb-changes-list li {margin:3px 0}
.tb-change-hold {border-left:4px solid #f3c200; padding-left:6px}
.tb-change-step-back, .tb-change-stopped {border-left:4px solid #d55e00; padding-left:6px}
.tb-confirm-text {padding:4px 8px; background:#fde8ea; display:inline-block}
.tb-diary-entry-text {font-size:0.9em}
/* a phone's diary: each Remove beside its own entry (the text wraps beside it, not under it), and the
   Log button keeps its words when the message beside it is long (the message wraps under it) */
.tb-app .tb-diary-entry {flex-wrap:nowrap !important; align-items:flex-start; margin:2px 0}
.tb-app .tb-diary-entry > .widget-html {flex:1 1 auto; min-width:0; height:auto}
.tb-app .tb-diary-entry .widget-html-content {white-space:normal; height:auto; line-height:1.35}
.tb-app .tb-diary-actions {flex-wrap:wrap !important; gap:4px; align-items:center}
.tb-app .tb-diary-actions > .tb-diary-log {flex:0 0 auto}
.tb-app .tb-diary-actions > .widget-html {flex:1 1 200px; min-width:0; height:auto}
.tb-app .tb-diary-actions .widget-html-content {white-space:normal; height:auto}
</style>"""


def set_visible(widget: w.Widget, visible: bool) -> None:
    """Show or hide ``widget`` with the ``tb-hidden`` class."""
    if visible:
        widget.remove_class(HIDDEN)
    elif HIDDEN not in widget._dom_classes:
        widget.add_class(HIDDEN)


def is_visible(widget: w.Widget) -> bool:
    """False when :func:`set_visible` hid ``widget``."""
    return HIDDEN not in widget._dom_classes
