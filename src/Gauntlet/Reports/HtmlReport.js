/* Gauntlet's HTML report: draws every chart of the page's chart data (the JSON block #gauntlet-charts, written by
   Chart.Json in C#) with uPlot. Time charts of one scenario share their seconds: zooming one (drag across it) zooms
   the others, the cursor moves on all of them, a double click resets. Hovering shows exact values in the legend;
   clicking a legend entry hides or shows its series. A chart that fails keeps its fallback sentence, and the tables
   of the page are plain HTML that needs no script. */
(function () {
  'use strict';
  var block = document.getElementById('gauntlet-charts');
  if (!block) return;
  if (typeof uPlot !== 'function') throw new Error('uPlot did not load, so the charts are not drawn; the tables hold every figure');
  var data = JSON.parse(block.textContent);
  var pxRatio = uPlot.pxRatio || window.devicePixelRatio || 1;

  // Numbers as the C# reports write them (Format.Number, Format.Micros, Format.Bytes).
  function number(v) {
    if (v == null || !isFinite(v)) return 'n/a';
    var a = Math.abs(v);
    var digits = a >= 100 ? 1 : a >= 1 ? 2 : 3;
    if (a !== 0 && a < 0.001) digits = 6;
    return String(+v.toFixed(digits));
  }
  function micros(v) { return Math.abs(v) < 1000 ? number(v) + 'us' : Math.abs(v) < 1e6 ? number(v / 1e3) + 'ms' : number(v / 1e6) + 's'; }
  function bytes(v) {
    var a = Math.abs(v);
    return a < 1e3 ? number(v) + 'B' : a < 1e6 ? number(v / 1e3) + 'KB' : a < 1e9 ? number(v / 1e6) + 'MB' : number(v / 1e9) + 'GB';
  }
  var formats = {
    micros: micros,
    persecond: function (v) { return number(v) + '/s'; },
    bytes: bytes,
    cores: number,
    count: number,
    seconds: function (v) { return v === 0 ? '0s' : Math.abs(v) < 1 ? micros(v * 1e6) : number(v) + 's'; },
    number: number
  };
  function formatter(chart) {
    var f = formats[chart.unit] || number;
    return chart.suffix ? function (v) { return f(v) + ' ' + chart.suffix; } : f;
  }
  function seconds(v) { return number(v) + 's'; }

  // The nines axis: x = log10(1 / (1 - p)), so 1 is 90%, 2 is 99%, 5 is 99.999% (NinesAxis in C#).
  function percentile(x) {
    var p = 100 * (1 - Math.pow(10, -x));
    var decimals = Math.min(6, Math.max(0, Math.ceil(x - 1e-9) - 1) + 1);
    return String(+p.toFixed(decimals)) + '%';
  }
  function ninesSplits(u, axis, min, max) {
    var span = max - min, step = span > 2 ? 1 : span > 0.8 ? 0.25 : span > 0.2 ? 0.05 : 0.01, out = [];
    for (var v = Math.ceil(min / step - 1e-9) * step; v <= max + 1e-9; v += step) out.push(+v.toFixed(6));
    return out;
  }

  function zeroBased(u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; }

  function values(fmt) { return function (u, splits) { return splits.map(function (v) { return v == null ? '' : fmt(v); }); }; }

  function line(s, fmt) {
    return {
      label: s.label, stroke: s.color, width: 1.8, dash: s.dash ? [6, 4] : undefined, spanGaps: !!s.spanGaps,
      value: function (u, v) { return v == null ? '--' : fmt(v); }
    };
  }

  // Fault windows, shaded under the series with their label, in whatever part of the time axis is shown; and the
  // generator-limited seconds (Gauntlet itself, not the target, limited the rate), in orange with a strip along the top.
  function windowsPlugin(chart, figure) {
    return {
      hooks: {
        drawClear: function (u) {
          var ctx = u.ctx, drawn = 0, limited = 0, left = u.bbox.left, right = u.bbox.left + u.bbox.width;
          ctx.save();
          (chart.limited || []).forEach(function (w) {
            var from = Math.max(left, u.valToPos(w.from, 'x', true)), to = Math.min(right, u.valToPos(w.to, 'x', true));
            if (!(to >= from) || to < left || from > right) return;
            var width = Math.max(pxRatio, to - from);
            ctx.fillStyle = 'rgba(230,159,0,0.16)';
            ctx.fillRect(from, u.bbox.top, width, u.bbox.height);
            ctx.fillStyle = 'rgba(230,159,0,0.9)';
            ctx.fillRect(from, u.bbox.top, width, 4 * pxRatio);
            limited++;
          });
          (chart.windows || []).forEach(function (w) {
            var from = Math.max(left, u.valToPos(w.from, 'x', true)), to = Math.min(right, u.valToPos(w.to, 'x', true));
            if (!(to >= from) || to < left || from > right) return;
            ctx.fillStyle = 'rgba(120,120,120,0.2)';
            ctx.fillRect(from, u.bbox.top, Math.max(pxRatio, to - from), u.bbox.height);
            ctx.fillStyle = '#555';
            ctx.font = Math.round(11 * pxRatio) + 'px system-ui, sans-serif';
            ctx.textBaseline = 'top';
            ctx.textAlign = 'left';
            ctx.fillText(w.label, from + 3 * pxRatio, u.bbox.top + 3 * pxRatio);
            drawn++;
          });
          ctx.restore();
          figure.setAttribute('data-windows-drawn', String(drawn));
          figure.setAttribute('data-limited-drawn', String(limited));
        }
      }
    };
  }

  var groups = {}, plots = [], syncing = false;

  function zoomTogether(chart) {
    return function (u, key) {
      if (key !== 'x' || syncing || !chart.group) return;
      syncing = true;
      try {
        (groups[chart.group] || []).forEach(function (other) {
          if (other !== u) other.setScale('x', { min: u.scales.x.min, max: u.scales.x.max });
        });
      } finally { syncing = false; }
    };
  }

  function options(chart, figure, width) {
    var fmt = formatter(chart);
    var opts = {
      width: width, height: chart.kind === 'bars' ? 220 : 260,
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false }, y: { range: zeroBased } },
      series: [{}].concat(chart.series.map(function (s) { return line(s, fmt); })),
      axes: [{}, { values: values(fmt), size: 72 }]
    };
    if (chart.kind === 'time') {
      opts.series[0] = { label: 'second', value: function (u, v) { return v == null ? '--' : seconds(v); } };
      opts.axes[0] = { label: 'seconds since the scenario start', values: values(seconds), space: 70 };
      opts.cursor.sync = { key: chart.group, setSeries: true };
      opts.plugins = [windowsPlugin(chart, figure)];
      opts.hooks = { setScale: [zoomTogether(chart)] };
    } else if (chart.kind === 'nines') {
      opts.series[0] = { label: 'percentile', value: function (u, v) { return v == null ? '--' : percentile(v); } };
      opts.axes[0] = { label: 'percentile (log scale of 1 / (1 - p): each step is one more nine)', splits: ninesSplits, values: values(percentile) };
    } else if (chart.kind === 'bars') {
      var labels = chart.labels || [], every = Math.max(1, Math.ceil(labels.length / 16));
      opts.series[0] = { label: 'bar', value: function (u, v) { return v == null ? '--' : labels[v] || ''; } };
      opts.scales.x = { time: false, range: function () { return [-0.5, labels.length - 0.5]; } };
      opts.axes[0] = {
        splits: function () { return labels.map(function (l, i) { return i; }).filter(function (i) { return i % every === 0; }); },
        values: function (u, splits) { return splits.map(function (i) { return labels[i] || ''; }); }
      };
      opts.series.slice(1).forEach(function (s) {
        s.paths = uPlot.paths.bars({ size: [0.7, 80] });
        s.fill = s.stroke;
        s.points = { show: false };
      });
    }
    return opts;
  }

  data.charts.forEach(function (chart) {
    var figure = document.getElementById(chart.id);
    var place = figure && figure.querySelector('.plot');
    if (!place) return;
    var plot = new uPlot(options(chart, figure, Math.max(320, place.clientWidth)), [chart.x].concat(chart.series.map(function (s) { return s.values; })), place);
    plot.gauntletPlace = place;
    plots.push(plot);
    if (chart.kind === 'time' && chart.group) (groups[chart.group] = groups[chart.group] || []).push(plot);
    figure.setAttribute('data-ink', chart.series[0].color);
    var fallback = figure.querySelector('.fallback');
    if (fallback) fallback.parentNode.removeChild(fallback);
  });

  // Charts take the page's width, also when the window is resized.
  var pending = 0;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      plots.forEach(function (p) { p.setSize({ width: Math.max(320, p.gauntletPlace.clientWidth), height: p.height }); });
    }, 100);
  });
})();
