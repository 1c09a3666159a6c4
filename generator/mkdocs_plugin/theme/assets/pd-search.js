/* Search in Material's header, answered by the site's own static index (generator/search_index.py).
   Chinese text is indexed as overlapping two-character terms and the query is split the same way,
   so any run of two or more characters is found wherever it stands inside a word. A query loads the
   manifest, one small shard per term and the metadata of the first results — nothing else. */
(function () {
  "use strict";
  var root = document.querySelector("[data-pd-search]");
  if (!root) return;
  var input = root.querySelector("[data-pd-search-input]");
  var list = root.querySelector("[data-pd-search-results]");
  var meta = root.querySelector("[data-pd-search-meta]");
  var toggle = document.getElementById("__search");
  var base = new URL(root.getAttribute("data-pd-base") || ".", document.baseURI).href.replace(/\/?$/, "/");
  var SHOWN = 10;
  var cache = {};
  var manifest = null;
  var timer = null;
  var seq = 0;

  function fetchText(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + " " + r.status);
        return r.text();
      });
    }
    return cache[path];
  }
  function loadManifest() {
    if (!manifest) manifest = fetchText("search/manifest.json").then(JSON.parse);
    return manifest;
  }

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

  function postings(term, m) {
    return fetchText("search/t/" + (fnv1a(term) % m.shards) + ".txt").then(function (text) {
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

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  function docs(ids, m) {
    return Promise.all(ids.map(function (id) {
      return fetchText("search/d/" + Math.floor(id / m.chunk) + ".json").then(function (t) {
        var row = JSON.parse(t)[id % m.chunk];
        return { url: row[0], title: row[1], summary: row[2] };
      });
    }));
  }

  function open() { if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); } }
  function close() { if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); } }
  function text(el, value) { el.textContent = value; return el; }

  function render(results, query, total) {
    list.innerHTML = "";
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
      var p = document.createElement("p");
      text(p, r.summary);
      article.appendChild(h); article.appendChild(p); a.appendChild(article); li.appendChild(a); list.appendChild(li);
    });
  }

  function search() {
    var query = input.value.trim();
    var mine = ++seq;
    if (!query) { list.innerHTML = ""; text(meta, "输入关键词开始搜索"); return; }
    var q = terms(query);
    if (!q.length) { list.innerHTML = ""; text(meta, "请输入中文、字母或数字"); return; }
    if (q.length === 1 && q[0].length === 1 && /[^\x00-\x7f]/.test(q[0])) {
      list.innerHTML = ""; text(meta, "请至少输入两个汉字"); return;
    }
    text(meta, "正在搜索……");
    loadManifest().then(function (m) {
      return Promise.all(q.map(function (t) { return postings(t, m); })).then(function (lists) {
        lists.sort(function (a, b) { return a.length - b.length; });
        var hits = lists.reduce(intersect);
        return docs(hits.slice(0, SHOWN), m).then(function (rows) {
          if (mine === seq) render(rows, query, hits.length);
        });
      });
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
  root.querySelector("form").addEventListener("reset", function () { setTimeout(search, 0); });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;  // leave the browser's own shortcuts alone
    if (!typing && (e.key === "/" || e.key === "s" || e.key === "f")) { e.preventDefault(); input.focus(); }
  });
})();
