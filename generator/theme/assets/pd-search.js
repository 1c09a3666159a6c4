/* Search in Material's header, answered by Pagefind: only the index chunks a query needs are loaded.
   The index holds Chinese text as overlapping two-character terms (generator/search_text.py); the
   query is split the same way here, so any run of two or more characters is found wherever it
   stands inside a word. */
(function () {
  "use strict";
  var root = document.querySelector("[data-pd-search]");
  if (!root) return;
  var input = root.querySelector("[data-pd-search-input]");
  var list = root.querySelector("[data-pd-search-results]");
  var meta = root.querySelector("[data-pd-search-meta]");
  var toggle = document.getElementById("__search");
  var base = new URL(root.getAttribute("data-pd-base") || ".", document.baseURI).pathname.replace(/\/?$/, "/");
  var pagefind = null;
  var timer = null;
  var seq = 0;

  function load() {
    if (!pagefind) {
      pagefind = import(base + "pagefind/pagefind.js").then(function (pf) {
        // Pagefind picks its query segmentation from <html lang>; for "zh" it would re-split our
        // two-character terms with the browser's word segmenter. Initialise it as language-neutral.
        var html = document.documentElement;
        var lang = html.getAttribute("lang");
        html.setAttribute("lang", "und");
        return pf.options({ baseUrl: base }).then(function () { return pf.init(); }).then(function () {
          html.setAttribute("lang", lang);
          return pf;
        }, function (err) { html.setAttribute("lang", lang); throw err; });
      });
    }
    return pagefind;
  }

  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+(?:\.[0-9]+)?/g;
  // The same terms as generator/search_text.py: Chinese runs as overlapping pairs, other words whole.
  function terms(query) {
    var out = [];
    (query.match(CJK) || []).forEach(function (tok) {
      if (/^[A-Za-z0-9]/.test(tok)) { out.push(tok.toLowerCase()); return; }
      if (tok.length === 1) { out.push(tok); return; }
      for (var i = 0; i + 1 < tok.length; i++) out.push(tok.slice(i, i + 2));
    });
    return out.filter(function (t, i) { return out.indexOf(t) === i; }).join(" ");
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
      a.href = r.url;
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var h = document.createElement("h1");
      text(h, (r.meta && r.meta.title) || r.url);
      var p = document.createElement("p");
      text(p, (r.meta && r.meta.summary) || "");
      article.appendChild(h); article.appendChild(p); a.appendChild(article); li.appendChild(a); list.appendChild(li);
    });
  }

  function search() {
    var query = input.value.trim();
    var mine = ++seq;
    if (!query) { list.innerHTML = ""; text(meta, "输入关键词开始搜索"); return; }
    text(meta, "正在搜索……");
    var q = terms(query);
    if (!q) { list.innerHTML = ""; text(meta, "请输入中文、字母或数字"); return; }
    load().then(function (pf) {
      // Project pages (group 0) before the guide and other pages (group 1).
      return pf.search(q, { sort: { group: "asc" } });
    }).then(function (res) {
      var hits = res.results.slice(0, 10);
      return Promise.all(hits.map(function (r) { return r.data(); })).then(function (data) {
        if (mine === seq) render(data, query, res.results.length);
      });
    }).catch(function () { if (mine === seq) text(meta, "搜索暂不可用"); });
  }

  input.addEventListener("focus", function () { open(); load(); });
  input.addEventListener("input", function () { open(); clearTimeout(timer); timer = setTimeout(search, 120); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.blur(); close(); }
    if (e.key === "Enter") { var first = list.querySelector("a"); if (first) window.location.href = first.href; }
  });
  root.querySelector("form").addEventListener("reset", function () { setTimeout(search, 0); });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (!typing && (e.key === "/" || e.key === "s" || e.key === "f")) { e.preventDefault(); input.focus(); }
  });
})();
