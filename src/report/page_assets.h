#pragma once
// The fixed parts of report.html: its style sheet, the error trap that runs before anything
// else, and the script that draws the charts with Chart.js from the page's JSON data.
namespace ecoinfer::report {

const char* page_style();
// Records uncaught errors and console.error calls in the DOM (#render-errors), so that a
// headless browser's --dump-dom shows them.
const char* page_error_trap();
// Draws every chart, then writes #render-status: data-state="done", data-charts (canvases),
// data-drawn (canvases with painted pixels and plotted points), data-errors, data-ms (since
// navigation start) and data-chart-ms (drawing only).
const char* page_chart_script();

}  // namespace ecoinfer::report
