// The figures of t4j illustrate, drawn from the page's JSON (T4J.data; docs/illustrate.md describes it).
(function () {
  'use strict';
  var D = T4J.data, el = T4J.el, svg = T4J.svg;
  var dModel = D.config.d_model;

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  function chips(container, tokens, titleOf, onSelect) {
    tokens.forEach(function (t, i) {
      var chip = el('span', {'class': 'chip', 'data-index': String(i), title: titleOf(i)}, [T4J.tokenNode(t)]);
      chip.addEventListener('click', function () { onSelect(i); });
      container.appendChild(chip);
    });
    return function (i) {
      container.querySelectorAll('.chip').forEach(function (c, j) { c.classList.toggle('selected', j === i); });
    };
  }

  // ------------------------------------------------------------------ 1. subwords, embeddings, positions
  function inputs() {
    var src = D.source_tokens, S = src.length, pe = D.encoder_input.positions;
    var cellW = Math.max(1, Math.min(4, Math.floor(1180 / dModel))), cellH = Math.max(6, Math.min(20, Math.floor(320 / S)));
    var readout = document.getElementById('positions-readout');
    T4J.heatmap(document.getElementById('fig-positions'), S, dModel, function (r, c) { return T4J.diverging(pe[r][c]); },
      cellW, cellH, function (r, c) {
        readout.textContent = r < 0 ? '' : 'position ' + r + ' (' + src[r] + '), dimension ' + c + ': ' + pe[r][c].toFixed(4);
      });
    T4J.rowLabels(document.getElementById('fig-positions'), src.map(function (t, i) { return i + ' ' + t; }), cellH);
    readout.textContent = S + ' positions × ' + dModel + ' dimensions; hover for values';
    var names = ['embedding × √d_model', 'position encoding', 'encoder input = their sum'];
    var vectorsReadout = document.getElementById('vectors-readout');
    var mark = chips(document.getElementById('src-chips'), src, function (i) { return 'position ' + i + ', id ' + D.source_ids[i]; }, select);
    function select(i) {
      mark(i);
      var rows = [D.encoder_input.token_embeddings[i], pe[i], D.encoder_input.sum[i]];
      var max = 1e-9;
      rows.forEach(function (r) { r.forEach(function (v) { max = Math.max(max, Math.abs(v)); }); });
      document.getElementById('vectors-title').textContent = 'What enters the encoder for "' + src[i] + '" at position ' + i
        + ' (' + dModel + ' dimensions, colour scale ±' + max.toFixed(2) + ')';
      var canvas = document.getElementById('fig-vectors');
      T4J.heatmap(canvas, 3, dModel, function (r, c) { return T4J.diverging(rows[r][c] / max); }, cellW, 24, function (r, c) {
        vectorsReadout.textContent = r < 0 ? '' : names[r] + ', dimension ' + c + ': ' + rows[r][c].toFixed(4);
      });
      T4J.rowLabels(canvas, ['embedding × √d', '+ position', '= input'], 24);
      canvas.setAttribute('data-token', String(i));
    }
    select(0);
  }

  // ------------------------------------------------------------------ 2, 3. attention
  var PARTS = {
    encoder_self: {queries: D.source_tokens, keys: D.source_tokens, name: 'encoder self-attention'},
    decoder_self: {queries: D.decoder_input_tokens, keys: D.decoder_input_tokens, name: 'decoder self-attention'},
    encoder_decoder: {queries: D.decoder_input_tokens, keys: D.source_tokens, name: 'encoder-decoder attention'}
  };

  function part(root) {
    var which = root.getAttribute('data-part'), cfg = PARTS[which], W = D.attention[which];
    var layers = W.length, heads = W[0].length, Q = cfg.queries.length, K = cfg.keys.length;
    var state = {layer: 0, head: 0, query: Math.floor((Q - 1) / 2), shown: []};
    for (var h = 0; h < heads; h++) { state.shown.push(true); }

    var top = el('div', {'class': 'row'});
    root.appendChild(top);
    // The grid: one small map per layer and head, each scaled to its own largest weight.
    var thumb = Math.max(44, Math.min(120, Math.floor(600 / heads) - 10));
    var cell = thumb / Math.max(Q, K);
    var table = el('table', {'class': 'grid'});
    var header = el('tr', {}, [el('th')]);
    for (h = 0; h < heads; h++) { header.appendChild(el('th', {text: 'head ' + (h + 1)})); }
    table.appendChild(header);
    var canvases = [];
    W.forEach(function (layer, l) {
      var tr = el('tr', {}, [el('th', {text: 'layer ' + (l + 1)})]);
      layer.forEach(function (w, hh) {
        var max = 1e-9;
        w.forEach(function (row) { row.forEach(function (v) { max = Math.max(max, v); }); });
        var c = el('canvas', {'class': 'heat', title: 'layer ' + (l + 1) + ', head ' + (hh + 1), 'data-layer': String(l), 'data-head': String(hh)});
        T4J.heatmap(c, Q, K, function (r, k) { return T4J.sequential(w[r][k] / max); }, cell, cell);
        c.addEventListener('click', function () { choose(l, hh); });
        canvases.push(c);
        tr.appendChild(el('td', {}, [c]));
      });
      table.appendChild(tr);
    });
    top.appendChild(el('div', {}, [table, el('div', {'class': 'hint', text: 'rows: ' + (which === 'encoder_self' ? 'source' : 'decoder') + ' positions looking; columns: ' + (which === 'encoder_decoder' || which === 'encoder_self' ? 'source' : 'decoder') + ' positions looked at'})]));

    // Square cells, as large as the page allows; the grid's margins hold the subwords.
    var detailCell = Math.max(12, Math.min(28, Math.floor(560 / Math.max(Q, K))));
    var detailBox = el('div', {'class': 'detail', style: 'width:' + (K * detailCell + 96 + 84) + 'px;height:' + (Q * detailCell + 118 + 10) + 'px'});
    top.appendChild(detailBox);
    var detail = T4J.chart(detailBox);

    // The article's figure: from one position, a line to every position it attends to, one colour per head.
    var controls = el('div', {'class': 'toggles'});
    root.appendChild(el('h3', {text: 'Where each head looks from one position'}));
    root.appendChild(controls);
    var layerButtons = [], headButtons = [];
    controls.appendChild(el('span', {text: 'layer:'}));
    for (var l = 0; l < layers; l++) {
      (function (l) {
        var b = el('button', {text: String(l + 1), 'data-layer': String(l)});
        b.addEventListener('click', function () { state.layer = l; drawAll(); });
        layerButtons.push(b);
        controls.appendChild(b);
      })(l);
    }
    controls.appendChild(el('span', {text: 'heads:', style: 'margin-left:12px'}));
    for (h = 0; h < heads; h++) {
      (function (h) {
        var b = el('button', {'class': 'head', text: String(h + 1), style: 'border-color:' + T4J.HEADS[h % T4J.HEADS.length], 'data-head': String(h)});
        b.addEventListener('click', function () { state.shown[h] = !state.shown[h]; drawLines(); });
        headButtons.push(b);
        controls.appendChild(b);
      })(h);
    }
    var all = el('button', {text: 'all'});
    all.addEventListener('click', function () { state.shown = state.shown.map(function () { return true; }); drawLines(); });
    controls.appendChild(all);
    controls.appendChild(el('span', {'class': 'hint', text: 'choose a position on the left', style: 'margin-left:12px'}));
    var rowH = 21, width = 640, height = Math.max(Q, K) * rowH + 16;
    var figure = svg('svg', {'class': 'lines', width: String(width), height: String(height), viewBox: '0 0 ' + width + ' ' + height});
    root.appendChild(figure);

    function choose(l, h) {
      state.layer = l;
      state.head = h;
      state.shown = state.shown.map(function (_, j) { return j === h; });
      drawAll();
    }

    function drawDetail() {
      var w = W[state.layer][state.head], data = [], max = 0;
      for (var q = 0; q < Q; q++) { for (var k = 0; k < K; k++) { data.push([k, q, w[q][k]]); max = Math.max(max, w[q][k]); } }
      // The colours span 0 to this head's largest weight (rounded up): a head that spreads its attention thinly
      // over a long sentence would otherwise be white.
      max = Math.max(0.01, Math.ceil(max * 100) / 100);
      var labels = {interval: detailCell >= 13 ? 0 : 'auto', fontSize: Math.min(11, detailCell - 1)};
      detail.setOption({
        animation: false,
        title: {text: cfg.name + ', layer ' + (state.layer + 1) + ', head ' + (state.head + 1), left: 0, top: 0, textStyle: {fontSize: 14, fontWeight: 600}},
        tooltip: {formatter: function (p) { return esc(cfg.queries[p.value[1]]) + ' → ' + esc(cfg.keys[p.value[0]]) + ': ' + p.value[2].toFixed(4); }},
        grid: {left: 96, right: 76, top: 118, bottom: 8},
        xAxis: {type: 'category', data: cfg.keys, position: 'top', axisLabel: {rotate: 60, interval: labels.interval, fontSize: labels.fontSize}, axisTick: {show: false}},
        yAxis: {type: 'category', data: cfg.queries, inverse: true, axisLabel: {interval: labels.interval, fontSize: labels.fontSize}, axisTick: {show: false}},
        visualMap: {min: 0, max: max, calculable: false, orient: 'vertical', right: 8, top: 118, itemHeight: Math.min(160, Math.max(60, Q * detailCell - 30)),
          itemWidth: 12, text: [String(max), '0'], inRange: {color: T4J.BLUE_HEX}, textStyle: {fontSize: 11, color: '#616e7c'}},
        series: [{type: 'heatmap', data: data, progressive: 0, emphasis: {itemStyle: {borderColor: '#d9480f', borderWidth: 1}}}]
      }, true);
      detailBox.setAttribute('data-selected', state.layer + ',' + state.head);
      canvases.forEach(function (c) {
        c.classList.toggle('selected', +c.getAttribute('data-layer') === state.layer && +c.getAttribute('data-head') === state.head);
      });
    }

    function drawLines() {
      while (figure.firstChild) { figure.removeChild(figure.firstChild); }
      var shown = [];
      state.shown.forEach(function (on, h) { if (on) { shown.push(h); } });
      layerButtons.forEach(function (b, l) { b.classList.toggle('on', l === state.layer); });
      headButtons.forEach(function (b, h) { b.classList.toggle('on', state.shown[h]); });
      var leftX = 150, lineFrom = 160, lineTo = 380, blocksX = 388, textX = blocksX + shown.length * 9 + 8;
      var y = function (i) { return 14 + i * rowH; };
      var w = W[state.layer];
      shown.forEach(function (h) {
        for (var k = 0; k < K; k++) {
          var v = w[h][state.query][k];
          if (v < 0.02) { continue; }
          figure.appendChild(svg('line', {x1: lineFrom, y1: y(state.query) - 4, x2: lineTo, y2: y(k) - 4,
            stroke: T4J.HEADS[h % T4J.HEADS.length], 'stroke-width': (1.5 + 7 * v).toFixed(2),
            'stroke-opacity': (0.2 + 0.8 * v).toFixed(3), 'stroke-linecap': 'round', 'data-head': String(h), 'data-key': String(k)}));
        }
      });
      cfg.queries.forEach(function (t, q) {
        var text = svg('text', {x: leftX, y: y(q), 'text-anchor': 'end', 'class': 'query' + (q === state.query ? ' selected' : ''), text: t, 'data-index': String(q)});
        text.addEventListener('click', function () { state.query = q; drawLines(); });
        figure.appendChild(text);
      });
      cfg.keys.forEach(function (t, k) {
        shown.forEach(function (h, j) {
          figure.appendChild(svg('rect', {x: blocksX + j * 9, y: y(k) - 12, width: 8, height: 15, rx: 1.5,
            fill: T4J.HEADS[h % T4J.HEADS.length], 'fill-opacity': Math.min(1, w[h][state.query][k]).toFixed(3)}));
        });
        figure.appendChild(svg('text', {x: textX, y: y(k), text: t}));
      });
      figure.setAttribute('data-query', String(state.query));
      figure.setAttribute('data-layer', String(state.layer));
      figure.setAttribute('data-heads', shown.join(','));
    }

    function drawAll() {
      drawDetail();
      drawLines();
    }
    drawAll();
  }

  // ------------------------------------------------------------------ 4. softmax
  function softmax() {
    var steps = D.steps, labels = steps.map(function (s) { return s.chosen.token; });
    var overview = T4J.chart('fig-chosen');
    overview.setOption({
      animation: false,
      title: {text: 'probability of the chosen subword at each step', left: 0, top: 0, textStyle: {fontSize: 13, fontWeight: 500}},
      grid: {left: 44, right: 12, top: 34, bottom: 64},
      tooltip: {trigger: 'axis', formatter: function (ps) { var p = ps[0]; return 'step ' + (p.dataIndex + 1) + ': ' + esc(labels[p.dataIndex]) + ' ' + (100 * p.value).toFixed(1) + '%'; }},
      xAxis: {type: 'category', data: labels, axisLabel: {rotate: 60, interval: 0, fontSize: 11}},
      yAxis: {type: 'value', min: 0, max: 1},
      series: [{type: 'bar', data: steps.map(function (s) { return s.chosen.probability; }), itemStyle: {color: '#f08c00'}, barMaxWidth: 26}]
    });
    var mark = chips(document.getElementById('step-chips'), labels, function (i) { return 'step ' + (i + 1); }, select);
    var box = document.getElementById('fig-softmax');
    var bars = T4J.chart(box);
    overview.on('click', function (p) { select(p.dataIndex); });
    function select(i) {
      mark(i);
      var s = steps[i], rows = s.top.slice();
      var inTop = rows.some(function (t) { return t.id === s.chosen.id; });
      if (!inTop) { rows.push(s.chosen); }
      var context = D.decoder_input_tokens.slice(Math.max(0, i - 5), i + 1).join(' ');
      bars.setOption({
        animation: false,
        title: {text: 'step ' + (i + 1) + ': after "' + (i > 5 ? '… ' : '') + context + '", the ' + s.top.length + ' most probable next subwords'
          + (inTop ? '' : ' (the chosen one, outside them, last)'), left: 0, top: 0, textStyle: {fontSize: 13, fontWeight: 500}},
        grid: {left: 120, right: 70, top: 34, bottom: 24},
        xAxis: {type: 'value', min: 0, max: function (v) { return Math.min(1, Math.ceil(v.max * 10 + 0.5) / 10); }, axisLabel: {formatter: function (v) { return Math.round(v * 100) + '%'; }}},
        yAxis: {type: 'category', inverse: true, data: rows.map(function (t) { return t.token; }), axisLabel: {fontSize: 12}},
        tooltip: {formatter: function (p) { return esc(p.name) + ': ' + (100 * p.value).toFixed(2) + '%'; }},
        series: [{type: 'bar', barMaxWidth: 22, data: rows.map(function (t) {
          return {value: t.probability, itemStyle: {color: t.id === s.chosen.id ? '#d9480f' : '#4292c6'}};
        }), label: {show: true, position: 'right', formatter: function (p) { return (100 * p.value).toFixed(1) + '%'; }}}]
      }, true);
      box.setAttribute('data-step', String(i));
    }
    select(0);
  }

  // ------------------------------------------------------------------ 5. beam search
  function beam() {
    var table = document.getElementById('nbest');
    table.appendChild(el('tr', {}, [el('th', {text: 'rank'}), el('th', {text: 'score'}), el('th', {text: 'log P'}), el('th', {text: 'translation'})]));
    var rows = D.nbest.map(function (h, i) {
      var tr = el('tr', {'class': D.beam ? 'clickable' : ''}, [el('td', {'class': 'num', text: String(i + 1)}), el('td', {'class': 'num', text: h.score.toFixed(4)}),
        el('td', {'class': 'num', text: h.log_probability.toFixed(4)}), el('td', {text: h.text})]);
      table.appendChild(tr);
      return tr;
    });
    if (!D.beam) { return; }
    var nodes = D.beam.nodes, slots = 2 * D.beam.beam_size, rowH = 34, colW = 100;
    var maxStep = 0;
    nodes.forEach(function (n) { maxStep = Math.max(maxStep, n.step); });
    var box = document.getElementById('fig-beam');
    box.style.width = Math.max(box.parentNode.clientWidth - 2, (maxStep + 1) * colW + 40) + 'px';
    box.style.height = (slots * rowH + 50) + 'px';
    var chart = T4J.chart(box);
    function path(id) {
      var ids = {}, tokens = [];
      for (var n = id; n >= 0; n = nodes[n].parent) {
        ids[n] = true;
        if (n > 0 && nodes[n].kind !== 'finished') { tokens.unshift(nodes[n].text); } // a finished node adds <eos>
      }
      return {ids: ids, text: tokens.join('').replace(/\u2581/g, ' ').trim()};
    }
    var COLORS = {root: '#495057', kept: '#1c7ed6', pruned: '#e9ecef', finished: '#2b8a3e'};
    function draw(selected) {
      var on = selected >= 0 ? path(selected).ids : {};
      chart.setOption({
        animation: false,
        tooltip: {formatter: function (p) {
          if (p.dataType !== 'node') { return ''; }
          var n = nodes[+p.data.id], h = path(n.id);
          return esc(n.kind) + ', step ' + n.step + ', rank ' + (n.rank + 1) + '<br>' + esc(h.text || '<bos>') + '<br>log P ' + n.log_probability.toFixed(4)
            + (n.score === null ? '' : ', score ' + n.score.toFixed(4)) + (n.nbest_rank ? ', n-best #' + n.nbest_rank : '');
        }},
        series: [{
          type: 'graph', layout: 'none', roam: false, left: 60, right: 60, top: 24, bottom: 24,
          label: {show: true, position: 'inside', fontSize: 11, fontFamily: 'DejaVu Sans Mono, monospace'},
          data: nodes.map(function (n) {
            var lit = !!on[n.id];
            return {id: String(n.id), name: n.text, x: n.step * colW, y: n.kind === 'root' ? (slots - 1) * rowH / 2 : n.rank * rowH,
              symbol: 'roundRect', symbolSize: [colW - 14, 24],
              itemStyle: {color: COLORS[n.kind], borderColor: lit ? '#d9480f' : 'rgba(0,0,0,0.15)', borderWidth: lit ? 3 : 1},
              label: {color: n.kind === 'pruned' ? '#868e96' : '#fff', formatter: (n.text.length > 10 ? n.text.substring(0, 9) + '…' : n.text) + (n.nbest_rank ? ' #' + n.nbest_rank : '')}};
          }),
          links: nodes.filter(function (n) { return n.parent >= 0; }).map(function (n) {
            var lit = !!on[n.id];
            return {source: String(n.parent), target: String(n.id),
              lineStyle: {color: lit ? '#d9480f' : n.kind === 'pruned' ? '#dee2e6' : '#a5d8ff', width: lit ? 3 : 1.2, opacity: 1}};
          })
        }]
      }, true);
      var readout = document.getElementById('beam-readout');
      if (selected >= 0) {
        var n = nodes[selected];
        readout.textContent = n.kind + ' at step ' + n.step + ': "' + path(selected).text + '"  log P ' + n.log_probability.toFixed(4)
          + (n.score === null ? '' : ', score ' + n.score.toFixed(4)) + (n.nbest_rank ? ', n-best #' + n.nbest_rank : '');
      }
      box.setAttribute('data-selected', String(selected));
      rows.forEach(function (tr, i) { tr.classList.toggle('selected', selected >= 0 && nodes[selected].nbest_rank === i + 1); });
    }
    chart.on('click', function (p) { if (p.dataType === 'node') { draw(+p.data.id); } });
    rows.forEach(function (tr, i) {
      tr.addEventListener('click', function () {
        var n = nodes.filter(function (n) { return n.nbest_rank === i + 1; })[0];
        if (n) { draw(n.id); }
      });
    });
    var best = nodes.filter(function (n) { return n.nbest_rank === 1; })[0];
    draw(best ? best.id : -1);
  }

  function run(f, name) {
    try { f(); } catch (e) { console.error(name + ': ' + (e && e.stack ? e.stack : e)); }
  }
  run(inputs, 'inputs');
  document.querySelectorAll('.part').forEach(function (root) { run(function () { part(root); }, root.getAttribute('data-part')); });
  run(softmax, 'softmax');
  run(beam, 'beam');
  T4J.done();
})();
