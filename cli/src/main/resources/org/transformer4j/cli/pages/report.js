// The charts of t4j report, from the page's JSON: per run, columns of train and valid values.
(function () {
  'use strict';
  var D = T4J.data, el = T4J.el;
  var RUN_COLORS = ['#1c7ed6', '#e8590c', '#2f9e44', '#ae3ec9', '#0c8599', '#e03131', '#5f3dc4', '#f08c00'];
  var state = {axis: 'step', smooth: true};
  var METRICS = [
    {key: 'loss', title: 'loss (cross-entropy, nats per token)', train: 'loss', valid: 'loss'},
    {key: 'ppl', title: 'perplexity', train: 'ppl', valid: 'ppl', log: true},
    {key: 'accuracy', title: 'token accuracy', train: 'accuracy', valid: 'accuracy', percent: true},
    {key: 'bleu', title: 'dev BLEU', valid: 'bleu'},
    {key: 'lr', title: 'learning rate', train: 'lr', raw: true},
    {key: 'grad_norm', title: 'gradient norm (before clipping)', train: 'grad_norm'},
    {key: 'tokens_per_s', title: 'target tokens per second', train: 'tokens_per_s'}
  ];
  var container = document.getElementById('charts');
  var charts = METRICS.map(function (m) {
    var box = el('div', {'class': 'chart', 'data-metric': m.key, style: 'height:300px'});
    container.appendChild(el('div', {'class': 'panel'}, [box]));
    return {metric: m, box: box, chart: T4J.chart(box)};
  });

  function x(cols, i) {
    return state.axis === 'step' ? cols.step[i] : (cols.elapsed_s[i] === null ? null : cols.elapsed_s[i] / 60);
  }

  function points(cols, field) {
    var out = [];
    if (!cols || !cols[field]) { return out; }
    for (var i = 0; i < cols[field].length; i++) {
      var xv = x(cols, i), yv = cols[field][i];
      if (xv !== null && yv !== null) { out.push([xv, yv]); }
    }
    return out;
  }

  // An exponential moving average, debiased as TensorBoard's smoothing is.
  function smooth(pts, weight) {
    var last = 0, n = 0;
    return pts.map(function (p) {
      last = last * weight + (1 - weight) * p[1];
      n++;
      return [p[0], last / (1 - Math.pow(weight, n))];
    });
  }

  function marks(run, color) {
    var lines = [];
    var ckX = state.axis === 'step' ? run.checkpoints : run.checkpoint_elapsed_s.map(function (s) { return s === null ? null : s / 60; });
    ckX.forEach(function (v) { if (v !== null) { lines.push({xAxis: v, lineStyle: {type: 'dashed', color: '#adb5bd', width: 1}, label: {show: false}}); } });
    var best = state.axis === 'step' ? (run.best_step >= 0 ? run.best_step : null) : (run.best_elapsed_s[0] === null ? null : run.best_elapsed_s[0] / 60);
    if (best !== null) {
      lines.push({xAxis: best, lineStyle: {type: 'solid', color: '#e03131', width: 1.5}, label: {show: true, formatter: 'best', color: '#e03131', position: 'insideEndTop'}});
    }
    return {symbol: 'none', silent: true, animation: false, data: lines};
  }

  function draw() {
    charts.forEach(function (c) {
      var m = c.metric, series = [];
      D.runs.forEach(function (run, r) {
        var color = RUN_COLORS[r % RUN_COLORS.length], name = D.runs.length > 1 ? run.name + ': ' : '';
        var markDone = false;
        if (m.train) {
          var pts = points(run.train, m.train);
          var useSmooth = state.smooth && !m.raw && pts.length > 20;
          series.push({name: name + 'train', type: 'line', data: pts, showSymbol: false, color: color,
            lineStyle: {width: useSmooth ? 1 : 1.6, opacity: useSmooth ? 0.25 : 1}, emphasis: {disabled: true},
            markLine: marks(run, color)});
          markDone = true;
          if (useSmooth) {
            series.push({name: name + 'train (smoothed)', type: 'line', data: smooth(pts, 0.9), showSymbol: false, color: color, lineStyle: {width: 2}});
          }
        }
        if (m.valid) {
          var v = points(run.valid, m.valid);
          var s = {name: name + 'valid', type: 'line', data: v, color: color, symbol: 'circle', symbolSize: 7,
            lineStyle: {width: 2, type: 'dashed'}, itemStyle: {borderColor: '#fff', borderWidth: 1}};
          if (!markDone) { s.markLine = marks(run, color); }
          series.push(s);
        }
      });
      c.chart.setOption({
        animation: false,
        title: {text: m.title, left: 4, top: 2, textStyle: {fontSize: 14, fontWeight: 600}},
        legend: {top: 2, right: 8, textStyle: {fontSize: 11}},
        tooltip: {trigger: 'axis', valueFormatter: function (v) { return v === null || v === undefined ? '–' : (m.percent ? (100 * v).toFixed(2) + '%' : Number(v).toPrecision(5)); }},
        grid: {left: 64, right: 24, top: 46, bottom: 56},
        xAxis: {type: 'value', name: state.axis === 'step' ? 'step' : 'wall-clock time (minutes)', nameLocation: 'middle', nameGap: 28,
          min: 'dataMin', max: 'dataMax'},
        yAxis: {type: m.log ? 'log' : 'value', scale: true, axisLabel: {formatter: m.percent ? function (v) { return Math.round(v * 100) + '%'; } : undefined}},
        dataZoom: [{type: 'inside', xAxisIndex: 0, filterMode: 'none'}],
        series: series.length ? series : [{type: 'line', data: []}],
        graphic: series.some(function (s) { return s.data.length > 0; }) ? [] : [{type: 'text', left: 'center', top: 'middle',
          style: {text: 'not logged in this run', fill: '#868e96', fontSize: 13}}]
      }, true);
      c.box.setAttribute('data-axis', state.axis);
    });
  }

  function button(id, onClick) {
    document.getElementById(id).addEventListener('click', function () { onClick(); sync(); draw(); });
  }
  function sync() {
    document.getElementById('axis-step').classList.toggle('on', state.axis === 'step');
    document.getElementById('axis-time').classList.toggle('on', state.axis === 'time');
    document.getElementById('smooth').classList.toggle('on', state.smooth);
  }
  button('axis-step', function () { state.axis = 'step'; });
  button('axis-time', function () { state.axis = 'time'; });
  button('smooth', function () { state.smooth = !state.smooth; });
  echarts.connect(charts.map(function (c) { return c.chart; }));
  draw();
  T4J.done();
})();
