"""The HTML report's inline style and script (kept apart from the Python that fills the page).

The verdicts' colours, cell labels and which are notable come from :mod:`conformance.verdicts` (the page's CSS and
its data); the words for answers and the byte-level diffs come from :mod:`conformance.wording`, computed in Python.
"""

from __future__ import annotations

CSS = r"""
body{font:14px/1.4 system-ui,sans-serif;margin:0 1.5em 3em;color:#1b1b1b;background:#fff}
h1{font-size:1.5em;margin:.6em 0 .2em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}h3{margin:1.2em 0 .4em}
code,.mono,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
table{border-collapse:collapse;margin:.3em 0 1em}th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;
vertical-align:top}thead th{background:#f3f3f3;position:sticky;top:0}
table.matrix td.cell,table.interop td.cell{cursor:pointer;text-align:center;min-width:4.5em;white-space:nowrap}
tr.group-row th{cursor:pointer;background:#fafafa}tr.vector-row th{font-weight:normal;padding-left:1.6em;
max-width:38em;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.cell{display:table-cell}.legend .cell{display:inline-block;padding:1px 8px;margin-right:4px;border:1px solid #ccc}
.headline{font-size:1.3em;font-weight:bold;padding:.4em .6em;border-radius:4px;display:inline-block}
.headline.gate-fail{background:#b71c1c;color:#fff}.headline.gate-pass{background:#1b5e20;color:#fff}
.v-none{background:#fff;color:#aaa}td.selected{box-shadow:inset 0 0 0 3px #000}
td.changed{background:#fff3cd;font-weight:bold}
#details{position:fixed;top:0;right:0;bottom:0;width:min(52em,60vw);overflow:auto;background:#fff;
border-left:3px solid #444;padding:.5em 1em;box-shadow:-4px 0 12px rgba(0,0,0,.2)}
#details pre{white-space:pre-wrap;word-break:break-all;background:#f7f7f7;padding:.4em;margin:.2em 0 .8em}
#details pre.hexdiff{white-space:pre;overflow-x:auto}#details .differs{background:#ffcdd2}
#details button{float:right}#report-errors{background:#ffebee;color:#b71c1c;padding:.5em}
.hint{color:#666}nav#toc a{margin-right:1em}
"""

SCRIPT = r"""
(function () {
  "use strict";
  var errors = [];
  function recordError(message) {
    errors.push(String(message));
    var box = document.getElementById("report-errors");
    box.hidden = false;
    box.textContent = errors.join("\n");
    document.body.setAttribute("data-selfcheck", "error");
  }
  window.addEventListener("error", function (event) { recordError("error: " + event.message); });

  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var VERDICTS = DATA.verdicts;
  /* For summing cells: the worst verdict colours the cell; unsupported only shows when nothing ran. */
  var SEVERITY = DATA.severity;
  var SHORT = DATA.short;
  var NOTABLE = DATA.notable;
  var caseIndex = {};
  DATA.vectors.forEach(function (v, i) { caseIndex[v[0]] = i; });
  var groupOf = {};
  var opened = {};

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) {
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
      }
    });
    return node;
  }
  function visible(text) {
    return String(text).replace(/[\p{Cs}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/gu, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }
  function pretty(value) { return JSON.stringify(value, null, 1); }
  function shorten(text, limit) { return text.length <= limit ? text : text.slice(0, limit - 3) + "..."; }

  /* A byte-level diff, as conformance.wording made it (only for bytes and text outputs). */
  function diffBlock(text) {
    var pre = el("pre", {"class": "hexdiff"});
    text.split("\n").forEach(function (line) {
      pre.appendChild(el("span", line.slice(-2) === "!!" ? {"class": "differs"} : {}, [line + "\n"]));
    });
    return pre;
  }

  function resultOf(vi, ii) {
    var r = DATA.results[vi][ii];
    if (!r) { return null; }
    var expected = DATA.vectors[vi][9] || [null, ""];
    var answer = r[1] === 0 ? [expected[0], expected[1], null] : r[1];
    return {verdict: VERDICTS[r[0]], actual: answer[0], words: answer[1], diff: answer[2], seconds: r[2],
      why: r[3] || ""};
  }
  function field(name, value) { return el("tr", {}, [el("th", {text: name}), el("td", {text: visible(value)})]); }
  function block(title, value) { return [el("h4", {text: title}), el("pre", {text: pretty(value)})]; }

  function caseDetails(vi, ii) {
    var v = DATA.vectors[vi], name = DATA.impls[ii], r = resultOf(vi, ii);
    var box = el("div", {"class": "case-details", "data-cell": name + "|" + v[0]});
    box.appendChild(el("h3", {}, [name + " \u2014 " + v[0] + " ", el("span", {"class": "cell v-" + (r ? r.verdict : "none"), text: r ? r.verdict : "not run"})]));
    box.appendChild(el("table", {"class": "meta"}, [field("op", v[3]), field("file", v[1]), field("vector", v[5]),
      field("comment", v[6]), field("flags", v[7].join(", ") || "-"), field("why", r && r.why ? r.why : "-"),
      field("seconds", r ? r.seconds : "-")]));
    var expected = v[9];
    box.appendChild(el("table", {"class": "meta"}, [field("expected", expected ? expected[1] : "-"),
      field("actual", r ? r.words : "not run"), field("flags mean", v[10] || "-")]));
    block("input", v[8]).forEach(function (n) { box.appendChild(n); });
    if (expected) { block("expected", expected[0]).forEach(function (n) { box.appendChild(n); }); }
    if (r) { block("actual (" + name + ")", r.actual).forEach(function (n) { box.appendChild(n); }); }
    if (r && r.diff) {
      box.appendChild(el("h4", {text: "byte-level diff (expected vs actual)"}));
      box.appendChild(diffBlock(r.diff));
    }
    var others = el("table", {"class": "meta"});
    DATA.impls.forEach(function (other, oi) {
      var o = resultOf(vi, oi);
      others.appendChild(el("tr", {}, [el("th", {text: other}), el("td", {"class": "cell v-" + (o ? o.verdict : "none"), text: o ? o.verdict : "not run"})]));
    });
    box.appendChild(el("h4", {text: "every implementation on this vector"}));
    box.appendChild(others);
    return box;
  }
  function interopDetails(index) {
    var c = DATA.interop[index];
    var box = el("div", {"class": "case-details", "data-cell": ["interop", c[0], c[1], c[2]].join("|")});
    box.appendChild(el("h3", {}, [c[0] + ": " + c[1] + " \u2192 " + c[2] + " ", el("span", {"class": "cell v-" + c[3], text: c[3]})]));
    box.appendChild(el("table", {"class": "meta"}, [field("passed", c[4] + " of " + c[5]), field("detail", c[6] || "-")]));
    c[7].forEach(function (example, n) {
      box.appendChild(el("h4", {text: "example " + (n + 1) + ": the consumer answered " + (example.consumedWords || "")}));
      block("input, produced, consumed, expected", {input: example.input, produced: example.produced,
        consumed: example.consumed, expected: example.expected}).slice(1).forEach(function (node) { box.appendChild(node); });
      if (example.diff) {
        box.appendChild(el("h4", {text: "byte-level diff (expected vs consumed)"}));
        box.appendChild(diffBlock(example.diff));
      }
    });
    return box;
  }

  var panel = document.getElementById("details");
  var selected = null;
  function show(content, cell) {
    panel.replaceChildren(el("button", {type: "button", text: "close"}), content);
    panel.firstChild.addEventListener("click", function () { panel.hidden = true; });
    panel.hidden = false;
    if (selected) { selected.classList.remove("selected"); }
    selected = cell || null;
    if (selected) { selected.classList.add("selected"); }
  }

  function aggregate(rows, ii) {
    var worst = null, passed = 0, total = 0;
    rows.forEach(function (vi) {
      var r = DATA.results[vi][ii];
      if (!r) { return; }
      var verdict = VERDICTS[r[0]];
      if (worst === null || SEVERITY[verdict] > SEVERITY[worst]) { worst = verdict; }
      if (verdict === "unsupported") { return; }  /* denominators leave out unsupported vectors */
      total++;
      if (verdict === "pass") { passed++; }
    });
    return {verdict: worst || "none", text: total ? passed + "/" + total : "\u00b7"};
  }
  function vectorRow(vi) {
    var v = DATA.vectors[vi];
    var label = "#" + v[4] + " " + visible(v[6]) + (v[7].length ? " [" + v[7].join(", ") + "]" : "");
    var row = el("tr", {"class": "vector-row"}, [el("th", {title: shorten(label, 2000), text: shorten(label, 90)})]);
    DATA.impls.forEach(function (name, ii) {
      var r = DATA.results[vi][ii];
      var verdict = r ? VERDICTS[r[0]] : "none";
      row.appendChild(el("td", {"class": "cell v-" + verdict, "data-vi": vi, "data-ii": ii, id: "cell-" + vi + "-" + ii,
        title: name + " " + v[0] + ": " + verdict, text: r ? SHORT[verdict] : "\u00b7"}));
    });
    return row;
  }
  function openGroup(key) {
    var group = groupOf[key];
    if (opened[key] === undefined) {
      opened[key] = true;
      group.rows.forEach(function (vi) { group.body.appendChild(vectorRow(vi)); });
    } else {
      opened[key] = !opened[key];
      Array.prototype.forEach.call(group.body.querySelectorAll("tr.vector-row"), function (row) { row.hidden = !opened[key]; });
    }
    group.toggle.textContent = (opened[key] ? "\u25be " : "\u25b8 ") + group.label;
  }
  function renderFlows() {
    var host = document.getElementById("flows"), toc = document.getElementById("toc");
    DATA.flows.forEach(function (flow, fi) {
      var section = el("section", {"class": "flow", id: "flow-" + fi});
      section.appendChild(el("h3", {text: flow.file + " (" + flow.scheme + ")"}));
      toc.appendChild(el("a", {href: "#flow-" + fi, text: flow.file}));
      var head = el("tr", {}, [el("th", {text: "op / vector"})]);
      DATA.impls.forEach(function (name) { head.appendChild(el("th", {text: name})); });
      var table = el("table", {"class": "matrix", "data-flow": flow.file}, [el("thead", {}, [head])]);
      flow.groups.forEach(function (group, gi) {
        var key = fi + ":" + gi, body = el("tbody", {"class": "group"});
        var label = group.op + " (" + group.rows.length + ")";
        var toggle = el("th", {"class": "toggle", text: "\u25b8 " + label});
        var row = el("tr", {"class": "group-row", "data-group": key}, [toggle]);
        var needsLook = false;
        DATA.impls.forEach(function (name, ii) {
          var agg = aggregate(group.rows, ii);
          needsLook = needsLook || NOTABLE.indexOf(agg.verdict) >= 0;
          row.appendChild(el("td", {"class": "cell group-cell v-" + agg.verdict, title: name + ": " + agg.text + " pass", text: agg.text}));
        });
        body.appendChild(row);
        table.appendChild(body);
        groupOf[key] = {rows: group.rows, body: body, toggle: toggle, label: label};
        group.rows.forEach(function (vi) { groupOf["v" + vi] = key; });
        row.addEventListener("click", function () { openGroup(key); });
        if (needsLook) { openGroup(key); }
      });
      table.addEventListener("click", function (event) {
        var cell = event.target.closest("td[data-vi]");
        if (cell) { show(caseDetails(+cell.getAttribute("data-vi"), +cell.getAttribute("data-ii")), cell); }
      });
      section.appendChild(table);
      host.appendChild(section);
    });
  }
  function renderInterop() {
    var host = document.getElementById("interop");
    var flows = {};
    DATA.interop.forEach(function (c, index) { (flows[c[0]] = flows[c[0]] || []).push(index); });
    var names = Object.keys(flows).sort();
    if (!names.length) { host.appendChild(el("p", {text: "No producer \u2192 consumer flow in this run."})); }
    names.forEach(function (flow) {
      var cells = flows[flow], producers = [], consumers = [], at = {};
      cells.forEach(function (index) {
        var c = DATA.interop[index];
        if (producers.indexOf(c[1]) < 0) { producers.push(c[1]); }
        if (consumers.indexOf(c[2]) < 0) { consumers.push(c[2]); }
        at[c[1] + "\u0000" + c[2]] = index;
      });
      host.appendChild(el("h3", {text: flow + " (rows produce, columns consume)"}));
      var head = el("tr", {}, [el("th", {text: "producer \u2192 consumer"})]);
      consumers.forEach(function (name) { head.appendChild(el("th", {text: name})); });
      var body = el("tbody");
      producers.forEach(function (producer) {
        var row = el("tr", {}, [el("th", {text: producer})]);
        consumers.forEach(function (consumer) {
          var index = at[producer + "\u0000" + consumer];
          if (index === undefined) { row.appendChild(el("td", {"class": "cell v-none", text: "\u00b7"})); return; }
          var c = DATA.interop[index];
          row.appendChild(el("td", {"class": "cell v-" + c[3], "data-interop": index, id: "interop-" + index,
            title: c[3] + (c[6] ? ": " + shorten(visible(c[6]), 300) : ""), text: c[4] + "/" + c[5]}));
        });
        body.appendChild(row);
      });
      var table = el("table", {"class": "interop", "data-flow": flow}, [el("thead", {}, [head]), body]);
      table.addEventListener("click", function (event) {
        var cell = event.target.closest("td[data-interop]");
        if (cell) { show(interopDetails(+cell.getAttribute("data-interop")), cell); }
      });
      host.appendChild(table);
    });
  }
  function openFromHash() {
    var match = /(?:^#|&)open=([^&]*)/.exec(window.location.hash);
    if (!match) { return false; }
    var parts = decodeURIComponent(match[1]).split("|");
    if (parts[0] === "interop") {
      for (var k = 0; k < DATA.interop.length; k++) {
        var c = DATA.interop[k];
        if (c[0] === parts[1] && c[1] === parts[2] && c[2] === parts[3]) {
          show(interopDetails(k), document.getElementById("interop-" + k));
          return true;
        }
      }
      recordError("open: no interop cell " + parts.join("|"));
      return false;
    }
    var ii = DATA.impls.indexOf(parts[0]), vi = caseIndex[parts.slice(1).join("|")];
    if (ii < 0 || vi === undefined) { recordError("open: no cell " + parts.join("|")); return false; }
    var key = groupOf["v" + vi];
    if (!opened[key]) { openGroup(key); }
    show(caseDetails(vi, ii), document.getElementById("cell-" + vi + "-" + ii));
    return true;
  }
  function selfCheck() {
    /* Render one case's details (the first of the worst verdict) and one interop cell's, off-page. */
    var pick = null;
    DATA.results.forEach(function (row, vi) {
      row.forEach(function (r, ii) {
        if (r && (pick === null || SEVERITY[VERDICTS[r[0]]] > SEVERITY[VERDICTS[pick[2]]])) { pick = [vi, ii, r[0]]; }
      });
    });
    var checked = [];
    if (pick) { caseDetails(pick[0], pick[1]); checked.push(DATA.impls[pick[1]] + "|" + DATA.vectors[pick[0]][0]); }
    if (DATA.interop.length) { interopDetails(0); checked.push("interop|" + DATA.interop[0].slice(0, 3).join("|")); }
    document.body.setAttribute("data-selfcheck-cells", checked.join(" ; "));
  }

  try {
    renderFlows();
    renderInterop();
    selfCheck();
    openFromHash();
    window.addEventListener("hashchange", openFromHash);
    if (!errors.length) { document.body.setAttribute("data-selfcheck", "ok"); }
  } catch (error) {
    recordError((error && error.stack) || error);
  }
})();
"""
