/* Filterable tables (all projects; the 问题清单 of issue 17): filter by the form's choices and text; sort by column.
   Without JavaScript the table is a plain table and the filter form stays hidden.
   The filters and the sort are kept in the address (?q=…&year=…&dept=…&grade=…&region=…&kind=…&sort=…, "-" before
   the sort key for descending; history.replaceState) and restored from it on load, so a filtered list can be
   shared. "下载当前筛选结果（CSV）" saves the rows shown, in the order shown, as CSV: their lines of
   data/projects.csv (fetched once; a row is found by 项目编号, 年度 and 评价类型, which no two published records
   share), with its header and the BOM that Excel needs — made in the browser, no server.
   Starts on every page Material's document$ reports (the first, and each one navigation.instant swaps in
   without a page load), or on page load without Material; a table already set up is left as it is. */
(function () {
  "use strict";
  /* A cell without a number (blank, or a year "未公布") sorts below every number. */
  function number(text) { var n = parseFloat(text); return isNaN(n) ? -1 : n; }
  // Filter name (in the form and the address) → the row's data attribute.
  var COLUMNS = { year: "year", region: "region", dept: "department", kind: "kind", grade: "grade" };

  /* The records of a CSV text as [{fields, text}], `text` being the record's own characters with its line end
     (quoted fields may hold commas, quotes and line breaks). */
  function csvRecords(csv) {
    var out = [], i = 0, n = csv.length;
    while (i < n) {
      var start = i, fields = [], field = "", quoted = false;
      for (;;) {
        var c = csv.charAt(i);
        if (quoted) {
          if (c === '"' && csv.charAt(i + 1) === '"') { field += '"'; i += 2; continue; }
          if (c === '"') { quoted = false; i++; continue; }
          if (i >= n) break;
          field += c; i++; continue;
        }
        if (c === '"' && field === "") { quoted = true; i++; continue; }
        if (c === ",") { fields.push(field); field = ""; i++; continue; }
        if (c === "\r" || c === "\n" || i >= n) {
          fields.push(field);
          if (c === "\r" && csv.charAt(i + 1) === "\n") i++;
          if (i < n) i++;
          break;
        }
        field += c; i++;
      }
      out.push({ fields: fields, text: csv.slice(start, i) });
    }
    return out;
  }
  function rowKey(id, year, kind) { return id + "\u0000" + year + "\u0000" + kind; }

  function setup(form) {
    var table = form.parentNode.querySelector("[data-pd-table]");
    if (!table) return;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var count = form.querySelector(".pd-count");
    var sortKey = "";  // "score", or "-score" for descending; "" for the page's own order
    var headers = {};
    form.hidden = false;
    var params = new URLSearchParams(window.location.search);
    // An address the header search wrote (?search=…) is the search's, not this table's.
    var own = !params.has("search");
    if (own) {
      if (params.has("department") && !params.has("dept")) params.set("dept", params.get("department"));  // older links
      Array.prototype.forEach.call(form.elements, function (el) { if (el.name && params.has(el.name)) el.value = params.get(el.name); });
    }

    function apply(write) {
      var f = {};
      Array.prototype.forEach.call(form.elements, function (el) { if (el.name) f[el.name] = el.value.trim(); });
      var q = (f.q || "").toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var d = row.dataset;
        /* Each choice (a select named like a row's data-* attribute — category, status … — or a COLUMNS name)
           must match; q is the keyword, looked for in the row's text. */
        var ok = Object.keys(f).every(function (k) {
          return k === "q" || !f[k] || d[Object.prototype.hasOwnProperty.call(COLUMNS, k) ? COLUMNS[k] : k] === f[k];
        }) &&
          (!q || row.textContent.toLowerCase().indexOf(q) !== -1);
        row.hidden = !ok;
        if (ok) shown++;
      });
      if (count) count.textContent = "显示 " + shown + " / " + rows.length + " " + (form.getAttribute("data-pd-unit") || "个项目");
      if (write === false) return;
      var search = new URLSearchParams();
      Object.keys(f).forEach(function (k) { if (f[k]) search.set(k, f[k]); });
      if (sortKey) search.set("sort", sortKey);
      var qs = search.toString();
      history.replaceState(history.state, "", window.location.pathname + (qs ? "?" + qs : "") + window.location.hash);
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });

    function sortBy(key) {
      var desc = key.charAt(0) === "-", name = desc ? key.slice(1) : key, th = headers[name];
      if (!th) return;
      var numeric = th.getAttribute("data-type") === "number";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { if (c.hasAttribute("aria-sort")) c.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", desc ? "descending" : "ascending");
      rows.sort(function (a, b) {
        var x = a.dataset[name] || "", y = b.dataset[name] || "";
        var r = numeric ? (number(x) - number(y)) : x.localeCompare(y, "zh-Hans-CN");
        return desc ? -r : r;
      });
      rows.forEach(function (row) { tbody.appendChild(row); });
      sortKey = key;
    }

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute("data-sort");
      if (!key) return;
      headers[key] = th;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pd-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        sortBy(th.getAttribute("aria-sort") !== "ascending" ? key : "-" + key);
        apply();
      });
    });
    if (own && params.get("sort")) sortBy(params.get("sort"));
    apply(own);

    // ---- 下载当前筛选结果（CSV）
    var download = form.querySelector("[data-pd-csv-download]");
    var csvText = null;
    if (download) download.addEventListener("click", function () {
      var url = new URL(form.getAttribute("data-pd-csv"), document.baseURI).href;
      download.disabled = true;
      (csvText ? Promise.resolve(csvText) : fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + " " + r.status);
        return r.text();
      })).then(function (text) {
        csvText = text;
        var records = csvRecords(text.replace(/^\ufeff/, ""));
        var header = records.shift();
        var col = function (name) { return header.fields.indexOf(name); };
        var idCol = col("项目编号"), yearCol = col("年度"), kindCol = col("评价类型");
        var byKey = {};
        records.forEach(function (r) { byKey[rowKey(r.fields[idCol], r.fields[yearCol], r.fields[kindCol])] = r.text; });
        var lines = [header.text];
        rows.forEach(function (row) {
          if (row.hidden) return;
          var line = byKey[rowKey(row.dataset.id, row.dataset.year, row.dataset.kind)];
          if (line) lines.push(/[\r\n]$/.test(line) ? line : line + "\r\n");
        });
        if (!/[\r\n]$/.test(lines[0])) lines[0] += "\r\n";
        var blob = new Blob(["\ufeff" + lines.join("")], { type: "text/csv;charset=utf-8" });
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = "项目筛选结果.csv";
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      }).catch(function () {
        if (count) count.textContent = "下载失败，请稍后再试";
      }).then(function () { download.disabled = false; });
    });
  }
  /* A table or chart wider than the screen scrolls inside its frame: say so, and let the keyboard scroll it. */
  function markScrollable() {
    Array.prototype.forEach.call(document.querySelectorAll(".pd-table-wrap, .pd-chart"), function (wrap) {
      var wide = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("pd-scrolls", wide);
      if (wide) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var caption = wrap.querySelector("caption, figcaption");
        wrap.setAttribute("aria-label", (caption ? caption.textContent + "：" : "") + "可左右滑动");
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex"); wrap.removeAttribute("role"); wrap.removeAttribute("aria-label");
      }
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-pd-filters]"), function (form) {
      if (form.hasAttribute("data-pd-ready")) return;
      form.setAttribute("data-pd-ready", "");
      setup(form);
    });
    markScrollable();
  }
  window.addEventListener("resize", markScrollable);
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
