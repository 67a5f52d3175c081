#include "report/page_assets.h"

namespace ecoinfer::report {

const char* page_style() {
  return R"CSS(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5em auto; max-width: 1250px;
       padding: 0 1em; color: #1d1d1f; line-height: 1.4; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.4em 0 0.3em; }
p.note { color: #555; font-size: 0.88em; margin: 0.2em 0 0.5em; max-width: 70em; }
.meta { color: #555; font-size: 0.9em; }
.warning { border: 3px solid #c62828; background: #ffebee; padding: 0.8em 1em; margin: 1em 0; font-size: 1.02em; }
.warning strong { color: #b71c1c; }
.answer { background: #e8f5e9; border-left: 5px solid #2e7d32; padding: 0.6em 0.9em; font-size: 1.02em; }
.answer.none { background: #fff8e1; border-left-color: #f9a825; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.8em; margin: 0.3em 0 0.8em; }
th, td { border: 1px solid #d0d0d0; padding: 0.18em 0.45em; text-align: left; vertical-align: top; }
th { background: #f0f0f3; position: sticky; top: 0; }
tr:nth-child(even) td { background: #fafafa; }
td.verdict-supported { color: #1b5e20; font-weight: 600; }
td.verdict-not-supported { color: #b71c1c; font-weight: 600; }
td.verdict-inconclusive { color: #8d6e00; font-weight: 600; }
td pre { margin: 0; font-size: 0.95em; }
.charts { display: flex; flex-wrap: wrap; gap: 0.8em; }
figure { margin: 0; border: 1px solid #e3e3e3; padding: 0.4em; background: #fff; }
figcaption { font-size: 0.8em; color: #555; max-width: 560px; }
details { margin: 0.3em 0; }
summary { cursor: pointer; font-weight: 600; font-size: 0.95em; }
nav ul { columns: 2; font-size: 0.9em; }
.nochart { font-size: 0.85em; color: #777; width: 560px; padding: 1em; }
#render-status, #render-errors { font-size: 0.75em; color: #888; }
@media print { details { display: block; } .charts { display: block; } }
)CSS";
}

const char* page_error_trap() {
  return R"JS(
window.__reportErrors = [];
(function () {
  function record(msg) {
    window.__reportErrors.push(String(msg));
    var box = document.getElementById('render-errors');
    if (!box) {
      box = document.createElement('div');
      box.id = 'render-errors';
      (document.body || document.documentElement).appendChild(box);
    }
    var line = document.createElement('div');
    line.className = 'render-error';
    line.textContent = 'error: ' + msg;
    box.appendChild(line);
  }
  window.addEventListener('error', function (e) { record((e.message || 'error') + ' at ' + (e.filename || '?') + ':' + (e.lineno || 0)); });
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  var original = console.error;
  console.error = function () { record(Array.prototype.join.call(arguments, ' ')); return original.apply(console, arguments); };
  window.__recordReportError = record;
})();
)JS";
}

const char* page_chart_script() {
  return R"JS(
(function () {
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var PAL = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  function col(i) { return PAL[i % PAL.length]; }
  Chart.defaults.animation = false;
  Chart.defaults.responsive = false;
  // The data are already {x, y} objects: no parsing pass over them.
  Chart.defaults.parsing = false;
  Chart.defaults.font.size = 11;
  Chart.defaults.font.family = 'sans-serif';
  var charts = [];

  // Boxes (quartiles, median, Tukey whiskers) drawn over the scatter of the runs.
  var boxPlugin = {
    id: 'boxes',
    afterDatasetsDraw: function (chart, args, opts) {
      var ctx = chart.ctx, x = chart.scales.x, y = chart.scales.y;
      ctx.save();
      (opts.boxes || []).forEach(function (b) {
        var xl = x.getPixelForValue(b.i - 0.3), xr = x.getPixelForValue(b.i + 0.3), xm = x.getPixelForValue(b.i);
        var yq1 = y.getPixelForValue(b.q1), yq3 = y.getPixelForValue(b.q3), ymed = y.getPixelForValue(b.median);
        var ylo = y.getPixelForValue(b.lo), yhi = y.getPixelForValue(b.hi);
        ctx.strokeStyle = col(b.i);
        ctx.lineWidth = 1.5;
        ctx.strokeRect(xl, yq3, xr - xl, yq1 - yq3);
        ctx.beginPath();
        ctx.moveTo(xm, yq3); ctx.lineTo(xm, yhi);
        ctx.moveTo(xm, yq1); ctx.lineTo(xm, ylo);
        ctx.moveTo(xm - (xr - xl) / 4, yhi); ctx.lineTo(xm + (xr - xl) / 4, yhi);
        ctx.moveTo(xm - (xr - xl) / 4, ylo); ctx.lineTo(xm + (xr - xl) / 4, ylo);
        ctx.stroke();
        ctx.lineWidth = 3;
        ctx.beginPath(); ctx.moveTo(xl, ymed); ctx.lineTo(xr, ymed); ctx.stroke();
      });
      ctx.restore();
    }
  };
  function jitter(j) { return (((j * 0.6180339887) % 1) - 0.5) * 0.36; }

  function boxChart(canvas, model, key, title, unit) {
    var b = model[key], labels = model.tactics;
    var pts = b.points.map(function (p, j) { return { x: p.i + jitter(j), y: p.y, o: p.outlier }; });
    return new Chart(canvas, {
      type: 'scatter',
      data: { datasets: [
        { label: 'runs', data: pts.filter(function (p) { return !p.o; }), pointRadius: 2.5, backgroundColor: 'rgba(50,50,50,0.5)', borderWidth: 0 },
        { label: 'flagged beyond 1.5×IQR', data: pts.filter(function (p) { return p.o; }), pointRadius: 4, pointStyle: 'triangle', backgroundColor: '#d62728', borderWidth: 0 }
      ] },
      options: {
        plugins: { boxes: { boxes: b.boxes }, title: { display: true, text: title }, legend: { position: 'bottom' } },
        scales: {
          x: { type: 'linear', min: -0.5, max: labels.length - 0.5, grid: { display: false },
               afterBuildTicks: function (axis) { axis.ticks = labels.map(function (_, i) { return { value: i }; }); },
               ticks: { autoSkip: false, maxRotation: 30, callback: function (v) { return labels[v] === undefined ? '' : labels[v]; } } },
          y: { title: { display: true, text: unit } }
        }
      },
      plugins: [boxPlugin]
    });
  }

  function accuracyChart(canvas, model) {
    var sets = model.accuracy.map(function (a) {
      var i = model.tactics.indexOf(a.tactic);
      return { label: a.tactic + (a.pareto ? ' (Pareto front)' : ''), data: [{ x: a.energy, y: a.top1 }],
               pointRadius: a.pareto ? 7 : 5, pointStyle: a.pareto ? 'rectRot' : 'circle', backgroundColor: col(i), borderColor: col(i) };
    });
    var front = model.accuracy.filter(function (a) { return a.pareto; }).map(function (a) { return { x: a.energy, y: a.top1 }; })
                              .sort(function (p, q) { return p.x - q.x; });
    sets.push({ label: 'Pareto front', data: front, showLine: true, borderColor: '#333', borderDash: [5, 3], pointRadius: 0, fill: false });
    return new Chart(canvas, {
      type: 'scatter', data: { datasets: sets },
      options: { plugins: { title: { display: true, text: 'Top-1 against median energy per image' }, legend: { position: 'bottom' } },
                 scales: { x: { title: { display: true, text: 'median energy per image (J)' } }, y: { title: { display: true, text: 'top-1 (%)' } } } }
    });
  }

  function costChart(canvas, model) {
    var sets = [{ label: 'none (baseline)', data: model.cost.baseline, showLine: true, borderColor: '#000', borderWidth: 2, pointRadius: 0 }];
    var marks = [];
    var positive = model.cost.baseline.every(function (p) { return p.y > 0; });
    model.cost.tactics.forEach(function (t) {
      var i = model.tactics.indexOf(t.tactic);
      positive = positive && t.points.every(function (p) { return p.y > 0; });
      sets.push({ label: t.tactic, data: t.points, showLine: true, borderColor: col(i), backgroundColor: col(i), pointRadius: 0, borderWidth: 1.5 });
      if (t.break_even) marks.push(t.break_even);
    });
    sets.push({ label: 'break-even', data: marks, pointStyle: 'crossRot', pointRadius: 9, borderWidth: 2.5, borderColor: '#000', backgroundColor: '#000' });
    var scale = positive ? 'logarithmic' : 'linear';
    // On log axes, ticks (and grid lines) at the powers of ten only, labelled 1e+6: Chart.js would
    // otherwise make nine a decade, each measured and drawn.
    function axis(title) {
      var a = { type: scale, title: { display: true, text: title } };
      if (positive) {
        a.afterBuildTicks = function (ax) {
          ax.ticks = ax.ticks.filter(function (t) { var l = Math.log10(t.value); return Math.abs(l - Math.round(l)) < 1e-9; });
        };
        a.ticks = { callback: function (v) { return Number(v).toExponential(0); } };
      }
      return a;
    }
    return new Chart(canvas, {
      type: 'scatter', data: { datasets: sets },
      options: { plugins: { title: { display: true, text: 'Cumulative cost against inferences (' + D.currency + ')' }, legend: { position: 'bottom' } },
                 scales: { x: axis('inferences'), y: axis('cost (' + D.currency + ')') } }
    });
  }

  function powerChart(canvas, model) {
    var sets = model.power.map(function (p) {
      var i = model.tactics.indexOf(p.tactic);
      return { label: p.tactic + ' (' + p.run + ')', data: p.points, showLine: true, borderColor: col(i), backgroundColor: col(i), pointRadius: 1.5, borderWidth: 1.5 };
    });
    return new Chart(canvas, {
      type: 'scatter', data: { datasets: sets },
      options: { plugins: { title: { display: true, text: 'Power of a representative run per tactic' }, legend: { position: 'bottom' } },
                 scales: { x: { title: { display: true, text: 't (s)' } }, y: { title: { display: true, text: 'power (W)' } } } }
    });
  }

  var makers = { energy: function (c, m) { return boxChart(c, m, 'energy', 'Energy per image per tactic', 'J per image'); },
                 time: function (c, m) { return boxChart(c, m, 'time', 'Time per image per tactic', 's per image'); },
                 accuracy: accuracyChart, cost: costChart, power: powerChart };
  D.models.forEach(function (m) {
    Object.keys(makers).forEach(function (kind) {
      var canvas = document.getElementById(m.anchor + '-chart-' + kind);
      if (!canvas) return;
      try { charts.push({ canvas: canvas, chart: makers[kind](canvas, m) }); }
      catch (e) { window.__recordReportError(kind + ' chart of ' + m.label + ': ' + e); }
    });
  });

  // A chart counts as drawn when its canvas has painted pixels and it plotted at least one point.
  // The canvas is read through a small downscaled copy: a full-size readback of every chart
  // costs more than drawing them.
  var drawn = 0;
  var canvases = document.querySelectorAll('canvas');
  var probe = document.createElement('canvas');
  probe.width = 64; probe.height = 36;
  var pctx = probe.getContext('2d');
  charts.forEach(function (c) {
    pctx.clearRect(0, 0, probe.width, probe.height);
    pctx.drawImage(c.canvas, 0, 0, probe.width, probe.height);
    var px = pctx.getImageData(0, 0, probe.width, probe.height).data, painted = 0;
    for (var k = 3; k < px.length; k += 4) if (px[k] !== 0) painted++;
    var points = 0;
    c.chart.data.datasets.forEach(function (s) { points += s.data.length; });
    var ok = painted > 0 && points > 0;
    c.canvas.setAttribute('data-drawn', ok ? '1' : '0');
    if (ok) drawn++;
  });
  var st = document.getElementById('render-status');
  st.setAttribute('data-charts', String(canvases.length));
  st.setAttribute('data-drawn', String(drawn));
  st.setAttribute('data-errors', String(window.__reportErrors.length));
  // data-ms: from navigation start (parsing the page and Chart.js included); data-chart-ms: drawing only.
  st.setAttribute('data-ms', String(Math.round(performance.now())));
  st.setAttribute('data-chart-ms', String(Math.round(performance.now() - t0)));
  st.setAttribute('data-state', 'done');
  st.textContent = 'charts drawn: ' + drawn + ' of ' + canvases.length + ', errors: ' + window.__reportErrors.length +
                   ', ready ' + Math.round(performance.now()) + ' ms after navigation start';
})();
)JS";
}

}  // namespace ecoinfer::report
