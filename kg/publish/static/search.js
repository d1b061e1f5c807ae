/* pfocr-kg site search: gene symbols, chemical and disease names, and the words of figure titles,
 * captions and the names of the chemicals and diseases a figure mentions; by organism; figures
 * sorted by year or title.
 * Reads window.PFOCR_INDEX (search-index.js, loaded by a <script> so that the site also works
 * from file://, with no server), then window.PFOCR_TEXT (search-text.js, the captions: loaded after
 * the page, by a <script> element this file adds; until it is there, figures are found by title).
 * Builds results with DOM calls and textContent only: no value from the index is ever parsed as
 * HTML. Thumbnails load the figure image from PubMed Central, lazily. */
(function () {
  "use strict";

  var MAX_GENES = 100;
  var MAX_TERMS = 50;
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
    var sort = byId("sort");
    var geneList = byId("gene-results");
    var termList = byId("term-results");
    var figureList = byId("figure-results");
    var genesHeading = byId("h-genes");
    var termsHeading = byId("h-terms");
    var figuresHeading = byId("h-figs");
    var organisms = index.organisms;
    var terms = index.terms || [];
    var titles = index.figures.map(function (f) { return f[1].toLowerCase(); });
    var symbols = index.genes.map(function (g) { return g[1].toLowerCase(); });
    var termNames = terms.map(function (t) { return t[2].toLowerCase(); });
    var texts = null;  // captions and names, once search-text.js is loaded

    var params = new URLSearchParams(window.location.search);
    if (params.has("q")) { q.value = params.get("q"); }
    if (params.has("organism")) { organism.value = params.get("organism"); }
    if (params.has("sort")) { sort.value = params.get("sort"); }

    function imageUrl(path) {
      if (!path) { return ""; }
      return /^https?:\/\//.test(path) ? path : index.imageBase + path;
    }

    function byYear(a, b) {
      var fa = index.figures[a], fb = index.figures[b];
      var ya = fa[2] === null ? -1 : fa[2], yb = fb[2] === null ? -1 : fb[2];
      return yb - ya || byTitle(a, b);
    }

    function byTitle(a, b) {
      var ta = index.figures[a][1] || index.figures[a][0], tb = index.figures[b][1] || index.figures[b][0];
      return ta.localeCompare(tb, "en", {sensitivity: "base", numeric: true}) || a - b;
    }

    function figureItem(i) {
      var f = index.figures[i];
      var names = f[3].slice(0, MAX_ORGANISMS).map(function (o) { return organisms[o]; }).join(", ") +
        (f[3].length > MAX_ORGANISMS ? " and " + (f[3].length - MAX_ORGANISMS) + " more" : "");
      var extra = " " + [f[2] === null ? "" : String(f[2]), names].filter(Boolean).join(" · ");
      var li = item("li", "figures/" + encodeURIComponent(f[0]) + ".html", f[1] || f[0], extra);
      var src = imageUrl(f[4]);
      if (src) {
        var img = document.createElement("img");
        img.className = "thumb";
        img.loading = "lazy";
        img.decoding = "async";
        img.alt = "";  // the title beside it says what it is
        img.src = src;
        var box = document.createElement("div");
        while (li.firstChild) { box.appendChild(li.firstChild); }
        li.appendChild(img);
        li.appendChild(box);
        li.className = "with-thumb";
      }
      return li;
    }

    function render() {
      var query = words(q.value);
      var org = organism.value === "" ? -1 : Number(organism.value);
      clear(geneList);
      clear(termList);
      clear(figureList);

      var genes = [];
      var found = [];
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
      if (query.length > 0) {
        var phrase = query.join(" ");
        terms.forEach(function (t, i) {
          var name = termNames[i];
          if (name === phrase) { found.push([0, i]); }
          else if (name.indexOf(phrase) === 0) { found.push([1, i]); }
          else if (name.indexOf(" " + phrase) !== -1) { found.push([2, i]); }
        });
        found.sort(function (a, b) {
          return a[0] - b[0] || terms[b[1]][3] - terms[a[1]][3] || a[1] - b[1];
        });
      }
      genes.slice(0, MAX_GENES).forEach(function (pair) {
        var g = index.genes[pair[1]];
        var where = g[3] >= 0 ? ", " + organisms[g[3]] : "";
        geneList.appendChild(item("li", "genes/" + encodeURIComponent(g[0]) + ".html", g[1],
          " NCBI Gene " + g[0] + where + ": " + g[2] + (g[2] === 1 ? " figure" : " figures")));
      });
      genesHeading.hidden = genes.length === 0;
      found.slice(0, MAX_TERMS).forEach(function (pair) {
        var t = terms[pair[1]];
        termList.appendChild(item("li", t[0] + "/" + encodeURIComponent(t[1]) + ".html", t[2],
          " " + (t[0] === "chemicals" ? "chemical" : "disease") + " " + t[1].replace("_", ":") + ": " +
          t[3] + (t[3] === 1 ? " figure" : " figures")));
      });
      termsHeading.hidden = found.length === 0;

      var figures = [];
      index.figures.forEach(function (f, i) {
        if (org !== -1 && f[3].indexOf(org) === -1) { return; }
        for (var w = 0; w < query.length; w++) {
          if (titles[i].indexOf(query[w]) === -1 && (texts === null || texts[i].indexOf(query[w]) === -1)) { return; }
        }
        figures.push(i);
      });
      figures.sort(sort.value === "title" ? byTitle : byYear);
      figures.slice(0, MAX_FIGURES).forEach(function (i) { figureList.appendChild(figureItem(i)); });
      figuresHeading.hidden = figures.length === 0;

      var parts = [];
      if (query.length === 1) { parts.push(genes.length + (genes.length === 1 ? " gene" : " genes")); }
      if (query.length > 0) { parts.push(found.length + (found.length === 1 ? " chemical or disease" : " chemicals and diseases")); }
      var where = texts === null ? " in the title (captions still loading)" : " in the title, caption or names";
      parts.push(figures.length + (figures.length === 1 ? " figure" : " figures") +
        (query.length ? " with " + (query.length === 1 ? "that word" : "those words") + where : ""));
      var shown = figures.length > MAX_FIGURES ? " (the first " + MAX_FIGURES + " shown)" : "";
      summary.textContent = parts.join(", ") + shown + (org === -1 ? "" : " in " + organisms[org]) + ".";
    }

    function loadTexts() {  // a <script>, not fetch(): works from file:// too
      var script = document.createElement("script");
      script.src = "search-text.js";
      script.onload = function () {
        if (Array.isArray(window.PFOCR_TEXT) && window.PFOCR_TEXT.length === index.figures.length) {
          texts = window.PFOCR_TEXT;
          render();
        }
      };
      document.body.appendChild(script);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      render();
    });
    q.addEventListener("input", render);
    organism.addEventListener("change", render);
    sort.addEventListener("change", render);
    render();
    loadTexts();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
