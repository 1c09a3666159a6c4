/* Search in Material's header, answered by Pagefind: only the index chunks a query needs are loaded. */
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
        return pf.options({ baseUrl: base, excerptLength: 40 }).then(function () { pf.init(); return pf; });
      });
    }
    return pagefind;
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
      // Pagefind's excerpt is HTML-escaped text with <mark> around hits: keep only the marks.
      p.innerHTML = (r.excerpt || "").replace(/<(?!\/?mark>)[^>]*>/g, "");
      article.appendChild(h); article.appendChild(p); a.appendChild(article); li.appendChild(a); list.appendChild(li);
    });
  }

  function search() {
    var query = input.value.trim();
    var mine = ++seq;
    if (!query) { list.innerHTML = ""; text(meta, "输入关键词开始搜索"); return; }
    text(meta, "正在搜索……");
    load().then(function (pf) { return pf.search(query); }).then(function (res) {
      if (!res) return [];
      return Promise.all(res.results.slice(0, 10).map(function (r) { return r.data(); })).then(function (data) {
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
