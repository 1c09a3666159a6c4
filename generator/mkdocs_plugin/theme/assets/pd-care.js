/* 关怀模式 (适老化): the header switch (partials/pd-care.html) turns on larger text, high contrast and more line
   spacing for the whole site; 特大字 takes the text one step further. The choice is an attribute on <html>
   (data-pd-care="1" or "2", styled by pd-a11y.css) and is kept in localStorage under the site's root path, where
   partials/pd-care-init.html reads it again in <head> of the next page. Nothing is sent anywhere. */
(function () {
  "use strict";
  var group = document.querySelector("[data-pd-care-switch]");
  if (!group) return;
  var html = document.documentElement;
  var toggle = group.querySelector("[data-pd-care-toggle]");
  var size = group.querySelector("[data-pd-care-size]");
  // The key is fixed when the script starts: with navigation.instant the header (and its data-pd-base, which is
  // relative to the first page) stays while the address changes.
  var key = new URL(group.getAttribute("data-pd-base") || ".", location.href).pathname + ".pd-care";

  function level() {
    var v = html.getAttribute("data-pd-care");
    return v === "1" || v === "2" ? v : "";
  }
  function show() {
    var v = level();
    toggle.setAttribute("aria-pressed", v ? "true" : "false");
    size.hidden = !v;
    size.setAttribute("aria-pressed", v === "2" ? "true" : "false");
  }
  function apply(v) {
    if (v) html.setAttribute("data-pd-care", v); else html.removeAttribute("data-pd-care");
    show();
    // Tables and charts that now fit, or no longer fit, get their scroll cue again (pd-table.js listens).
    window.dispatchEvent(new Event("resize"));
  }
  function choose(v) {
    apply(v);
    try {
      if (v) localStorage.setItem(key, v); else localStorage.removeItem(key);
    } catch (e) { /* storage refused (private mode): the choice holds for this page only */ }
  }

  toggle.addEventListener("click", function () { choose(level() ? "" : "1"); });
  size.addEventListener("click", function () { choose(level() === "2" ? "1" : "2"); });
  window.addEventListener("storage", function (e) {  // changed in another tab of the same site
    if (e.key === key) apply(e.newValue === "1" || e.newValue === "2" ? e.newValue : "");
  });
  group.hidden = false;
  show();
})();
