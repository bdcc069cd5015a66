/* kumenet network maps: vis-network plus a legend, layer toggles and a Turkish-aware search.
   Every string from the data reaches the page through textContent, never as HTML. */
(function () {
  "use strict";
  var ASCII = {"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i",
               "û": "u", "ä": "a", "é": "e", "è": "e"};

  /* The same folding as kumenet.text.fold: Turkish case rules, diacritics dropped. */
  function fold(text) {
    var s = String(text).normalize("NFC").replace(/I/g, "ı").replace(/İ/g, "i").toLowerCase();
    s = s.replace(/[çğıöşüâîûäéè]/g, function (c) { return ASCII[c]; });
    s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
    return s.replace(/[^0-9a-z]+/g, " ").trim();
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  function drawOutlines(ctx, outlines) {
    ctx.save();
    ctx.lineWidth = 1.2;
    ctx.strokeStyle = "#b9b9b9";
    ctx.fillStyle = "#f3f1ea";
    outlines.forEach(function (ring) {
      ctx.beginPath();
      ctx.moveTo(ring[0][0], ring[0][1]);
      for (var i = 1; i < ring.length; i++) { ctx.lineTo(ring[i][0], ring[i][1]); }
      ctx.closePath();
      ctx.fill();
      ctx.stroke();
    });
    ctx.restore();
  }

  function showInfo(root, lines) {
    var box = root.querySelector(".km-info");
    box.textContent = "";
    lines.forEach(function (line, i) { box.appendChild(el(i === 0 ? "strong" : "div", null, line)); });
    box.hidden = lines.length === 0;
  }

  /* {column: [values]} -> [{column: value}], leaving out nulls */
  function rows(table) {
    var cols = Object.keys(table);
    var n = cols.length ? table[cols[0]].length : 0;
    var out = new Array(n);
    for (var i = 0; i < n; i++) {
      var row = {};
      for (var j = 0; j < cols.length; j++) {
        var value = table[cols[j]][i];
        if (value !== null) { row[cols[j]] = value; }
      }
      out[i] = row;
    }
    return out;
  }

  function drawMap(root) {
    var data = JSON.parse(document.getElementById(root.dataset.source).textContent);
    data.nodes = rows(data.nodes);
    data.edges = rows(data.edges);
    var t = data.text;
    var nodes = new vis.DataSet(data.nodes);
    var edges = new vis.DataSet(data.edges);
    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var network = new vis.Network(root.querySelector(".km-canvas"),
                                  {nodes: nodes, edges: edges}, data.options);
    root.kumenet = {network: network, nodes: nodes, edges: edges, fold: fold};
    if (data.outlines) {
      network.on("beforeDrawing", function (ctx) { drawOutlines(ctx, data.outlines); });
    }
    network.once("afterDrawing", function () {
      root.dataset.drawn = "1";
      if (!window.kumenetFirstDraw) { window.kumenetFirstDraw = performance.now(); }
    });
    if (data.options.physics && data.options.physics.enabled) {
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({physics: {enabled: false}});
      });
    }
    network.on("click", function (params) {
      if (params.nodes.length) {
        showInfo(root, (byId[params.nodes[0]].title || "").split("\n"));
      } else if (params.edges.length) {
        var e = edges.get(params.edges[0]);
        showInfo(root, e && e.title ? e.title.split("\n") : []);
      } else {
        showInfo(root, []);
      }
    });

    /* legend: one row per colour; a click selects that group's nodes */
    var legend = root.querySelector(".km-legend");
    legend.appendChild(el("div", "km-legend-title", data.legend.title));
    data.legend.items.forEach(function (item) {
      var row = el("button", "km-legend-item");
      row.type = "button";
      var swatch = el("span", "km-swatch");
      swatch.style.background = item.color;
      row.appendChild(swatch);
      row.appendChild(el("span", "km-legend-label", item.label));
      row.title = item.label;  /* the whole name when the row cuts it */
      row.appendChild(el("span", "km-legend-count", item.count));
      row.addEventListener("click", function () {
        var ids = data.nodes.filter(function (n) { return n.group === item.key; })
                            .map(function (n) { return n.id; });
        network.selectNodes(ids);
        root.dataset.selected = String(ids.length);
        showInfo(root, [item.label, ids.length + " " + t.nodes]);
      });
      legend.appendChild(row);
    });

    /* layer toggles: hide or show each layer's edges */
    var toggles = root.querySelector(".km-layers");
    data.layers.forEach(function (layer) {
      var label = el("label", "km-layer");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.layer = layer.name;
      var sample = el("span", "km-edge-sample");
      sample.style.borderTop = "3px " + (layer.dashes ? "dashed " : "solid ") + layer.color;
      label.appendChild(box);
      label.appendChild(sample);
      label.appendChild(el("span", null, layer.label + " (" + layer.count + ")"));
      box.addEventListener("change", function () {
        var hidden = !box.checked;
        edges.update(data.edges.filter(function (e) { return e.layer === layer.name; })
                               .map(function (e) { return {id: e.id, hidden: hidden}; }));
      });
      toggles.appendChild(label);
    });

    /* search by name, Turkish-aware */
    var input = root.querySelector(".km-search");
    var results = root.querySelector(".km-results");
    function pick(n) {
      network.selectNodes([n.id]);
      network.focus(n.id, {scale: 1.1, animation: false});
      root.dataset.found = n.label_full;
      showInfo(root, (n.title || "").split("\n"));
    }
    function find() {
      var q = fold(input.value);
      results.textContent = "";
      if (!q) { return []; }
      var hits = data.nodes.filter(function (n) { return n.key.indexOf(q) >= 0; }).slice(0, 12);
      hits.forEach(function (n) {
        var b = el("button", "km-result", n.label_full);
        b.type = "button";
        b.addEventListener("click", function () { pick(n); });
        results.appendChild(b);
      });
      if (!hits.length) { results.appendChild(el("div", "km-none", t.no_match)); }
      return hits;
    }
    input.addEventListener("input", find);
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        var hits = find();
        if (hits.length) { pick(hits[0]); }
      }
    });
  }

  window.kumenetDrawMap = drawMap;  /* the portal draws maps whose data it fetched */
  document.querySelectorAll(".km-map:not([data-url])").forEach(drawMap);
})();
