// The operator console's script: draws the charts (uPlot) from the data the server wrote into each
// chart's data-chart attribute. Served as a file: the Content-Security-Policy allows no inline script.
// Everything else works without it (server-rendered pages, plain forms and links).
(function () {
  'use strict';
  function draw(el) {
    var spec;
    try {
      spec = JSON.parse(el.getAttribute('data-chart') || 'null');
    } catch (e) {
      return;
    }
    if (!spec || !window.uPlot) return;
    var target = el.querySelector('.plot');
    var width = Math.max(300, target.clientWidth || el.clientWidth - 16);
    var opts = {
      width: width,
      height: 180,
      legend: { show: true },
      scales: { x: { time: true } },
      axes: [{}, { size: 60 }],
      series: [{}, { label: spec.label, stroke: spec.color || '#1f5fbf', width: 1.5, fill: (spec.color || '#1f5fbf') + '22', points: { show: spec.x.length < 60 } }],
    };
    var plot = new window.uPlot(opts, [spec.x, spec.y], target);
    el.setAttribute('data-rendered', String(spec.x.length));
    var fallback = el.querySelector('.fallback');
    if (fallback) fallback.hidden = true;
    window.addEventListener('resize', function () {
      plot.setSize({ width: Math.max(300, target.clientWidth), height: 180 });
    });
  }
  function start() {
    var charts = document.querySelectorAll('.chart[data-chart]');
    for (var i = 0; i < charts.length; i++) draw(charts[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
