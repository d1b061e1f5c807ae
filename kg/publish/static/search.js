/* pfocr-kg site search: gene symbols, figure titles and organisms, in the page.
 * Reads window.PFOCR_INDEX (search-index.js, loaded by a <script> so that the site also works
 * from file://, with no server). Builds results with DOM calls and textContent only: no value
 * from the index is ever parsed as HTML. */
(function () {
  "use strict";

  var MAX_GENES = 100;
  var MAX_FIGURES = 200;
  var MAX_ORGANISMS = 6;  // organisms named per figure in the results

  function byId(id) { return document.getElementById(id); }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function item(tag, href, text, extra) {
    var li = document.createElement(tag);
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    li.appendChild(a);
    if (extra) {
      var span = document.createElement("span");
      span.className = "muted";
      span.textContent = extra;
      li.appendChild(span);
    }
    return li;
  }

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
  }

  function init() {
    var index = window.PFOCR_INDEX;
    var summary = byId("summary");
    if (!index || !summary) {
      if (summary) { summary.textContent = "The search index (search-index.js) could not be loaded."; }
      return;
    }
    var form = byId("search");
    var q = byId("q");
    var organism = byId("organism");
    var geneList = byId("gene-results");
    var figureList = byId("figure-results");
    var genesHeading = byId("h-genes");
    var figuresHeading = byId("h-figs");
    var organisms = index.organisms;
    var titles = index.figures.map(function (f) { return f[1].toLowerCase(); });
    var symbols = index.genes.map(function (g) { return g[1].toLowerCase(); });

    var params = new URLSearchParams(window.location.search);
    if (params.has("q")) { q.value = params.get("q"); }
    if (params.has("organism")) { organism.value = params.get("organism"); }

    function render() {
      var query = words(q.value);
      var org = organism.value === "" ? -1 : Number(organism.value);
      clear(geneList);
      clear(figureList);

      var genes = [];
      if (query.length === 1) {
        var word = query[0];
        index.genes.forEach(function (g, i) {
          if (org !== -1 && g[3] !== org) { return; }
          var s = symbols[i];
          if (s === word) { genes.push([0, i]); }
          else if (s.indexOf(word) === 0) { genes.push([1, i]); }
        });
        genes.sort(function (a, b) {
          return a[0] - b[0] || index.genes[b[1]][2] - index.genes[a[1]][2] || a[1] - b[1];
        });
      }
      genes.slice(0, MAX_GENES).forEach(function (pair) {
        var g = index.genes[pair[1]];
        var where = g[3] >= 0 ? ", " + organisms[g[3]] : "";
        geneList.appendChild(item("li", "genes/" + encodeURIComponent(g[0]) + ".html", g[1],
          " NCBI Gene " + g[0] + where + ": " + g[2] + (g[2] === 1 ? " figure" : " figures")));
      });
      genesHeading.hidden = genes.length === 0;

      var figures = [];
      index.figures.forEach(function (f, i) {
        if (org !== -1 && f[3].indexOf(org) === -1) { return; }
        for (var w = 0; w < query.length; w++) {
          if (titles[i].indexOf(query[w]) === -1) { return; }
        }
        figures.push(i);
      });
      figures.slice(0, MAX_FIGURES).forEach(function (i) {
        var f = index.figures[i];
        var names = f[3].slice(0, MAX_ORGANISMS).map(function (o) { return organisms[o]; }).join(", ") +
          (f[3].length > MAX_ORGANISMS ? " and " + (f[3].length - MAX_ORGANISMS) + " more" : "");
        var extra = " " + [f[2] === null ? "" : String(f[2]), names].filter(Boolean).join(" · ");
        figureList.appendChild(item("li", "figures/" + encodeURIComponent(f[0]) + ".html", f[1] || f[0], extra));
      });
      figuresHeading.hidden = figures.length === 0;

      var parts = [];
      if (query.length === 1) { parts.push(genes.length + (genes.length === 1 ? " gene" : " genes")); }
      parts.push(figures.length + (figures.length === 1 ? " figure" : " figures") +
        (query.length ? " with " + (query.length === 1 ? "that word" : "those words") + " in the title" : ""));
      var shown = figures.length > MAX_FIGURES ? " (the first " + MAX_FIGURES + " shown)" : "";
      summary.textContent = parts.join(", ") + shown + (org === -1 ? "" : " in " + organisms[org]) + ".";
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      render();
    });
    q.addEventListener("input", render);
    organism.addEventListener("change", render);
    render();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
