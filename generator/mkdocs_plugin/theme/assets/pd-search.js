/* Search in Material's header, answered by the site's own static index (generator/search_index.py).
   Chinese text is indexed as overlapping two-character terms and the query is split the same way,
   so any run of two or more characters is found wherever it stands inside a word. A query loads the
   manifest, one small shard per term and the metadata of the first results — nothing else.
   The editor guide has an index of its own (search/help/), searched only when the visitor ticks
   "包括编辑帮助页面"; its results follow the public ones.
   Starts once per search box: on Material's document$ (which also reports navigation.instant's page
   swaps, where the header and this box stay) when present, otherwise when the page has loaded. */
(function () {
  "use strict";
  var SHOWN = 10;

  // FNV-1a over the UTF-8 bytes, as in search_index.fnv1a.
  function fnv1a(term) {
    var bytes = new TextEncoder().encode(term);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  var TOKENS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+(?:\.[0-9]+)?/g;
  // The same terms as generator/search_text.py: Chinese runs as overlapping pairs, other words whole.
  function terms(query) {
    var out = [];
    (query.match(TOKENS) || []).forEach(function (tok) {
      if (/^[A-Za-z0-9]/.test(tok)) { out.push(tok.toLowerCase()); return; }
      if (tok.length === 1) { out.push(tok); return; }
      for (var i = 0; i + 1 < tok.length; i++) out.push(tok.slice(i, i + 2));
    });
    return out.filter(function (t, i) { return out.indexOf(t) === i; });
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  /* One index (search/ or search/help/): its manifest, term shards and documents, each fetched once. */
  function Index(base, folder) {
    var cache = {};
    var manifest = null;
    function fetchText(path) {
      if (!cache[path]) {
        cache[path] = fetch(base + folder + path).then(function (r) {
          if (!r.ok) throw new Error(folder + path + " " + r.status);
          return r.text();
        });
      }
      return cache[path];
    }
    function loadManifest() {
      if (!manifest) manifest = fetchText("manifest.json").then(JSON.parse);
      return manifest;
    }
    function postings(term, m) {
      return fetchText("t/" + (fnv1a(term) % m.shards) + ".txt").then(function (text) {
        var start = text.indexOf(term + "\t");
        while (start > 0 && text.charAt(start - 1) !== "\n") start = text.indexOf(term + "\t", start + 1);
        if (start < 0) return [];
        var end = text.indexOf("\n", start);
        var ids = [], acc = 0;
        text.slice(start + term.length + 1, end < 0 ? undefined : end).split(",").forEach(function (p) {
          acc += parseInt(p, 36); ids.push(acc);
        });
        return ids;
      });
    }
    function docs(ids, m) {
      return Promise.all(ids.map(function (id) {
        return fetchText("d/" + Math.floor(id / m.chunk) + ".json").then(function (t) {
          var row = JSON.parse(t)[id % m.chunk];
          return { url: row[0], title: row[1], summary: row[2] };
        });
      }));
    }
    // The ids of the documents holding every term, and the documents of the first `shown` of them.
    function query(q, shown) {
      return loadManifest().then(function (m) {
        return Promise.all(q.map(function (t) { return postings(t, m); })).then(function (lists) {
          lists.sort(function (a, b) { return a.length - b.length; });
          var hits = lists.reduce(intersect);
          return docs(hits.slice(0, shown), m).then(function (rows) { return { total: hits.length, rows: rows }; });
        });
      });
    }
    return { manifest: loadManifest, query: query };
  }

  function setup(root) {
    var input = root.querySelector("[data-pd-search-input]");
    var list = root.querySelector("[data-pd-search-results]");
    var meta = root.querySelector("[data-pd-search-meta]");
    var helpOption = root.querySelector("[data-pd-search-help-option]");
    var helpBox = root.querySelector("[data-pd-search-help]");
    var toggle = document.getElementById("__search");
    var base = new URL(root.getAttribute("data-pd-base") || ".", document.baseURI).href.replace(/\/?$/, "/");
    var pages = Index(base, "search/");
    var help = Index(base, "search/help/");
    var timer = null;
    var seq = 0;
    // On the guide's own pages its help pages are searched from the start.
    if (helpBox && window.location.href.indexOf(base + "guide/") === 0) helpBox.checked = true;

    function loadManifest() {
      return pages.manifest().then(function (m) {
        if (helpOption && m.help > 0) helpOption.hidden = false;
        return m;
      });
    }

    function open() { if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); } }
    function close() { if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); } }
    function text(el, value) { el.textContent = value; return el; }

    // The list says which query, with or without help pages, it answers (the browser tests wait for that).
    function render(results, query, total, withHelp) {
      list.innerHTML = "";
      list.setAttribute("data-pd-query", query);
      list.toggleAttribute("data-pd-with-help", withHelp);
      if (!results.length) { text(meta, "没有找到与“" + query + "”相关的内容"); return; }
      text(meta, "找到 " + total + " 个结果" + (total > results.length ? "，显示前 " + results.length + " 个" : ""));
      results.forEach(function (r) {
        var li = document.createElement("li");
        li.className = "md-search-result__item";
        var a = document.createElement("a");
        a.className = "md-search-result__link";
        a.href = base + r.url;
        var article = document.createElement("article");
        article.className = "md-search-result__article md-typeset";
        var h = document.createElement("h1");
        text(h, r.title);
        if (r.help) {
          var tag = document.createElement("span");
          tag.className = "pd-search-help-tag";
          text(tag, "编辑帮助");
          h.appendChild(tag);
        }
        var p = document.createElement("p");
        text(p, r.summary);
        article.appendChild(h); article.appendChild(p); a.appendChild(article); li.appendChild(a); list.appendChild(li);
      });
    }

    function search() {
      var query = input.value.trim();
      var mine = ++seq;
      list.removeAttribute("data-pd-query");
      if (!query) { list.innerHTML = ""; text(meta, "输入关键词开始搜索"); return; }
      var q = terms(query);
      if (!q.length) { list.innerHTML = ""; text(meta, "请输入中文、字母或数字"); return; }
      if (q.length === 1 && q[0].length === 1 && /[^\x00-\x7f]/.test(q[0])) {
        list.innerHTML = ""; text(meta, "请至少输入两个汉字"); return;
      }
      text(meta, "正在搜索……");
      var withHelp = false;
      loadManifest().then(function (m) {
        withHelp = !!(helpBox && helpBox.checked && m.help > 0);
        return Promise.all([pages.query(q, SHOWN), withHelp ? help.query(q, SHOWN) : { total: 0, rows: [] }]);
      }).then(function (found) {
        var helpRows = found[1].rows.map(function (r) { r.help = true; return r; });
        var rows = found[0].rows.concat(helpRows).slice(0, SHOWN);
        if (mine === seq) render(rows, query, found[0].total + found[1].total, withHelp);
      }).catch(function () { if (mine === seq) text(meta, "搜索暂不可用"); });
    }

    input.addEventListener("focus", function () { open(); loadManifest().catch(function () {}); });
    input.addEventListener("input", function () { open(); clearTimeout(timer); timer = setTimeout(search, 120); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { input.blur(); close(); }
      if (e.key === "Enter" && !e.isComposing && e.keyCode !== 229) {  // not while an IME is composing
        var first = list.querySelector("a"); if (first) window.location.href = first.href;
      }
    });
    if (helpBox) helpBox.addEventListener("change", function () { if (input.value.trim()) search(); });
    root.querySelector("form").addEventListener("reset", function () { setTimeout(search, 0); });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;  // leave the browser's own shortcuts alone
      if (!typing && (e.key === "/" || e.key === "s" || e.key === "f")) { e.preventDefault(); input.focus(); }
    });
    return close;
  }

  var closers = [];
  var pagesSeen = 0;
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-pd-search]"), function (root) {
      if (root.hasAttribute("data-pd-search-ready")) return;
      root.setAttribute("data-pd-search-ready", "");
      closers.push(setup(root));
    });
    // A result opened by navigation.instant: the new page shows without the search laid over it.
    if (++pagesSeen > 1) closers.forEach(function (close) { close(); });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
