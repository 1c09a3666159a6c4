/* Filterable tables (all projects; the 问题清单 of issue 17): filter by the form's choices and text; sort by column.
   Without JavaScript the table is a plain table and the filter form stays hidden.
   Starts on every page Material's document$ reports (the first, and each one navigation.instant swaps in
   without a page load), or on page load without Material; a table already set up is left as it is. */
(function () {
  "use strict";
  /* A cell without a number (blank, or a year "未公布") sorts below every number. */
  function number(text) { var n = parseFloat(text); return isNaN(n) ? -1 : n; }
  function setup(form) {
    var table = form.parentNode.querySelector("[data-pd-table]");
    if (!table) return;
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var count = form.querySelector(".pd-count");
    form.hidden = false;
    var params = new URLSearchParams(window.location.search);
    Array.prototype.forEach.call(form.elements, function (el) { if (el.name && params.has(el.name)) el.value = params.get(el.name); });

    function apply() {
      var f = {};
      Array.prototype.forEach.call(form.elements, function (el) { if (el.name) f[el.name] = el.value.trim(); });
      var q = (f.q || "").toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var d = row.dataset;
        /* Each choice (a select named like a row's data-* attribute: year, department, category, status …)
           must match; q is the keyword, looked for in the row's text. */
        var ok = Object.keys(f).every(function (k) { return k === "q" || !f[k] || d[k] === f[k]; }) &&
          (!q || row.textContent.toLowerCase().indexOf(q) !== -1);
        row.hidden = !ok;
        if (ok) shown++;
      });
      if (count) count.textContent = "显示 " + shown + " / " + rows.length + " " + (form.getAttribute("data-pd-unit") || "个项目");
      var search = new URLSearchParams();
      Object.keys(f).forEach(function (k) { if (f[k]) search.set(k, f[k]); });
      var qs = search.toString();
      history.replaceState(null, "", qs ? "?" + qs : window.location.pathname);
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    apply();

    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      var key = th.getAttribute("data-sort");
      if (!key) return;
      var numeric = th.getAttribute("data-type") === "number";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pd-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = a.dataset[key] || "", y = b.dataset[key] || "";
          var r = numeric ? (number(x) - number(y)) : x.localeCompare(y, "zh-Hans-CN");
          return asc ? r : -r;
        });
        rows.forEach(function (row) { tbody.appendChild(row); });
      });
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
