// Shared by the pages of t4j illustrate and t4j report: data, DOM helpers, colour maps, canvas heatmaps.
'use strict';
var T4J = (function () {
  var data = JSON.parse(document.getElementById('t4j-data').textContent);

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'onclick') { e.addEventListener('click', attrs[k]); } else { e.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }

  function svg(tag, attrs) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === 'text') { e.textContent = attrs[k]; } else { e.setAttribute(k, attrs[k]); } });
    return e;
  }

  // A subword for a chip: the word-start mark dimmed.
  function tokenNode(token) {
    var span = document.createElement('span');
    if (token.charAt(0) === '\u2581') {
      span.appendChild(el('span', {'class': 'sp', text: '\u2581'}));
      span.appendChild(document.createTextNode(token.substring(1)));
    } else {
      span.textContent = token;
    }
    return span;
  }

  function lerp(stops, v) {
    v = Math.max(0, Math.min(1, v));
    var x = v * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
    var a = stops[i], b = stops[i + 1];
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
  }
  // Sequential (attention weights, 0..1): white to deep blue.
  var BLUES = [[255, 255, 255], [222, 235, 247], [158, 202, 225], [66, 146, 198], [33, 113, 181], [8, 48, 107]];
  // Diverging (vectors, -1..1): blue, white, red.
  var DIVERGING = [[33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247], [253, 219, 199], [239, 138, 98], [178, 24, 43]];
  var BLUE_HEX = ['#ffffff', '#deebf7', '#9ecae1', '#4292c6', '#2171b5', '#08306b'];
  function sequential(v) { return lerp(BLUES, v); }
  function diverging(v) { return lerp(DIVERGING, (v + 1) / 2); }
  // One colour per head, as the article draws them.
  var HEADS = ['#e8590c', '#1c7ed6', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#e03131', '#5f3dc4',
    '#74b816', '#d6336c', '#1098ad', '#495057', '#9c36b5', '#364fc7', '#c2255c', '#2b8a3e'];

  /**
   * Draws rows x cols cells on a canvas, one pixel each, scaled up without smoothing; value(r, c) -> [r, g, b].
   * onHover(r, c) is called as the mouse moves over a cell (and with -1, -1 when it leaves).
   */
  function heatmap(canvas, rows, cols, color, cellW, cellH, onHover) {
    var img = document.createElement('canvas');
    img.width = cols; img.height = rows;
    var ctx = img.getContext('2d');
    var pixels = ctx.createImageData(cols, rows);
    for (var r = 0; r < rows; r++) {
      for (var c = 0; c < cols; c++) {
        var rgb = color(r, c), o = 4 * (r * cols + c);
        pixels.data[o] = rgb[0]; pixels.data[o + 1] = rgb[1]; pixels.data[o + 2] = rgb[2]; pixels.data[o + 3] = 255;
      }
    }
    ctx.putImageData(pixels, 0, 0);
    canvas.width = Math.max(1, Math.round(cols * cellW));
    canvas.height = Math.max(1, Math.round(rows * cellH));
    var out = canvas.getContext('2d');
    out.imageSmoothingEnabled = false;
    out.drawImage(img, 0, 0, canvas.width, canvas.height);
    if (onHover) {
      canvas.onmousemove = function (e) {
        var box = canvas.getBoundingClientRect();
        var c = Math.floor((e.clientX - box.left) / box.width * cols), r = Math.floor((e.clientY - box.top) / box.height * rows);
        if (r >= 0 && r < rows && c >= 0 && c < cols) { onHover(r, c); }
      };
      canvas.onmouseleave = function () { onHover(-1, -1); };
    }
  }

  // A column of labels to the left of a heatmap canvas, one per row (none when rows are too thin to read).
  function rowLabels(canvas, labels, cellH) {
    var box = canvas.parentNode, old = box.querySelector('.row-labels');
    if (old) { box.removeChild(old); }
    if (cellH < 9) { return; }
    var column = el('div', {'class': 'row-labels'});
    labels.forEach(function (t) {
      column.appendChild(el('div', {text: t, style: 'height:' + cellH + 'px;line-height:' + cellH + 'px'}));
    });
    box.insertBefore(column, canvas);
  }

  function chart(id) {
    var node = typeof id === 'string' ? document.getElementById(id) : id;
    return echarts.init(node, null, {renderer: 'canvas'});
  }

  function fmt(v, digits) { return v === null || v === undefined ? '–' : Number(v).toFixed(digits); }

  // The page is drawn: tests wait for this mark.
  function done() {
    document.body.setAttribute('data-render-ms', String(Math.round(performance.now())));
    document.body.setAttribute('data-rendered', 'yes');
  }

  return {data: data, el: el, svg: svg, tokenNode: tokenNode, sequential: sequential, diverging: diverging,
    BLUE_HEX: BLUE_HEX, HEADS: HEADS, heatmap: heatmap, rowLabels: rowLabels, chart: chart, fmt: fmt, done: done};
})();
