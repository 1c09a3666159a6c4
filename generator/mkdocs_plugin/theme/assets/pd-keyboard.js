/* Full keyboard use (适老化, GB/T 37668): Material opens its navigation drawer with a <label> for a hidden
   checkbox, which the Tab key never reaches. This gives the header's menu label the role of a button (Material's
   own script already turns Enter on a focused label into a click; Space is added here), moves focus into the
   drawer when it opens from the keyboard, closes it with Escape, and closes the drawer or the search once focus
   has left them, so that focus never lands on content hidden behind their overlay. The drawer's sub-menu labels
   (open 编辑指南, back to the main menu) get a name and, for the back label, a place in the Tab order. */
(function () {
  "use strict";
  var drawer = document.getElementById("__drawer");
  var search = document.getElementById("__search");

  function menuButton() { return document.querySelector('.md-header label.md-header__button[for="__drawer"]'); }
  function drawerPanel() { return document.querySelector(".md-sidebar--primary"); }
  function searchPanel() { return document.querySelector(".md-search"); }
  function visible(el) {
    return !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  }
  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }
  function setToggle(input, on) {
    if (input && input.checked !== on) { input.checked = on; input.dispatchEvent(new Event("change")); }
  }
  function showState() {
    var button = menuButton();
    if (button) button.setAttribute("aria-expanded", drawer && drawer.checked ? "true" : "false");
  }

  function setupMenuButton() {
    var button = menuButton();
    if (!button || button.hasAttribute("tabindex")) return;
    button.setAttribute("role", "button");
    button.setAttribute("tabindex", "0");
    button.setAttribute("aria-label", "导航菜单");
    button.addEventListener("keydown", function (e) {
      if (e.key === " ") { e.preventDefault(); button.click(); }  // Enter: Material clicks focused labels itself
      if (e.key === " " || e.key === "Enter") {
        setTimeout(function () {  // after the click has toggled the drawer
          showState();
          if (drawer && drawer.checked) {
            var first = drawerPanel() && drawerPanel().querySelector("a[href], label[tabindex]");
            if (first) first.focus();
          }
        }, 0);
      }
    });
    button.addEventListener("click", function () { setTimeout(showState, 0); });
    showState();
  }

  function setupSubMenus() {
    // The arrow that opens a section: a label with tabindex from Material, but no name.
    each(".md-nav--primary label.md-nav__link[for]", function (label) {
      var toggle = document.getElementById(label.htmlFor);
      var name = label.closest(".md-nav__item").querySelector(".md-nav__link .md-ellipsis");
      if (!toggle || label.hasAttribute("role")) return;
      label.setAttribute("role", "button");
      if (!label.textContent.trim() && name) {
        label.setAttribute("aria-label", name.textContent.trim() + "：展开或收起");
      }
      var show = function () { label.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); };
      toggle.addEventListener("change", show);
      label.addEventListener("click", function () { setTimeout(show, 0); });
      show();
    });
    // In the drawer on a small screen, a sub-menu's title goes back to the menu above it.
    each(".md-nav--primary .md-nav .md-nav__title[for]", function (title) {
      if (title.hasAttribute("tabindex")) return;
      title.setAttribute("tabindex", "0");
      title.setAttribute("role", "button");
      title.setAttribute("aria-label", "返回上一级菜单（" + title.textContent.trim() + "）");
    });
  }
  // Space works like Enter on these labels, and in the drawer focus follows the panel that slides in: into a
  // sub-menu (its back title) when it opens, back to the label that opened it when it closes.
  document.addEventListener("keydown", function (e) {
    var label = e.target;
    if (e.key !== "Enter" && e.key !== " ") return;
    if (!(label instanceof HTMLLabelElement) || !label.closest(".md-nav--primary")) return;
    if (e.key === " ") { e.preventDefault(); label.click(); }
    var id = label.htmlFor;
    setTimeout(function () {
      var toggle = document.getElementById(id);
      if (!toggle) return;
      var title = document.querySelector('.md-nav--primary .md-nav__title[for="' + id + '"]');
      var opener = document.querySelector('.md-nav--primary label.md-nav__link[for="' + id + '"]');
      if (toggle.checked && label === opener && visible(title)) title.focus();
      if (!toggle.checked && label === title && opener) opener.focus();
    }, 0);
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !drawer || !drawer.checked) return;
    setToggle(drawer, false);
    showState();
    var button = menuButton();
    if (visible(button)) button.focus();
  });
  document.addEventListener("focusin", function (e) {
    var t = e.target;
    if (drawer && drawer.checked && visible(menuButton()) && drawerPanel() && !drawerPanel().contains(t) &&
        t !== menuButton()) {
      setToggle(drawer, false);
      showState();
    }
    if (search && searchPanel()) {
      // Focus inside the search (Chromium also stops at its empty scroll area) shows it; focus outside hides it.
      setToggle(search, searchPanel().contains(t));
    }
  });
  if (drawer) drawer.addEventListener("change", showState);

  function setup() { setupMenuButton(); setupSubMenus(); }
  setup();
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);  // navigation.instant: a new page (and sidebar), the same header
  }
})();
