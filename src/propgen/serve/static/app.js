// propgen workspace: the little the browser does itself. Everything else is htmx
// and server-rendered HTML. No inline script anywhere (the CSP forbids it).
(function () {
  "use strict";
  var activeTab = null;
  var dirty = false;

  function data() {
    var node = document.getElementById("preview-data");
    if (!node) return null;
    try { return JSON.parse(node.dataset.preview); } catch (e) { return null; }
  }

  // Each problem goes under the field it names, or the nearest enclosing one.
  function slotFor(field) {
    var path = field;
    while (path) {
      var slot = document.querySelector('.field-error[data-field="' + CSS.escape(path) + '"]');
      if (slot) return slot;
      var cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
      if (cut <= 0) break;
      path = path.slice(0, cut);
    }
    return null;
  }

  function showProblems() {
    var d = data();
    if (!d) return;
    document.querySelectorAll(".field-error").forEach(function (slot) {
      slot.textContent = "";
      var field = slot.closest(".field");
      if (field) field.classList.remove("invalid");
    });
    d.problems.forEach(function (p) {
      var slot = slotFor(p.field);
      if (!slot) return;
      slot.textContent = (slot.textContent ? slot.textContent + " · " : "") + p.message + (p.hint ? " — " + p.hint : "");
      var field = slot.closest(".field");
      if (field) field.classList.add("invalid");
    });
    document.querySelectorAll("output[data-line-total]").forEach(function (out) {
      out.textContent = d.lines[out.dataset.lineTotal] || "";
    });
    document.querySelectorAll("output[data-running]").forEach(function (out) {
      var sum = d.running[Number(out.dataset.running)];
      out.textContent = sum ? sum + "%" : "";
    });
  }

  function showTab(kind) {
    var tabs = document.querySelectorAll(".tab");
    if (!tabs.length) return;
    if (!kind || !document.querySelector('.tab[data-tab="' + kind + '"]')) kind = tabs[0].dataset.tab;
    activeTab = kind;
    tabs.forEach(function (tab) { tab.classList.toggle("active", tab.dataset.tab === kind); });
    document.querySelectorAll("iframe.doc").forEach(function (frame) {
      frame.hidden = frame.dataset.doc !== kind;
    });
  }

  function setDirty(value) {
    dirty = value;
    var render = document.getElementById("render");
    if (render) render.disabled = dirty;
    document.body.classList.toggle("dirty", dirty);
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest(".tab");
    if (tab) showTab(tab.dataset.tab);
  });
  document.addEventListener("input", function (event) {
    if (event.target.closest("#deal-form")) setDirty(true);
  });
  document.addEventListener("change", function (event) {
    if (event.target.closest("#deal-form")) setDirty(true);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target) return;
    if (target.id === "preview") { showProblems(); showTab(activeTab); }
    if (target.id === "deal-form") {
      setDirty(true); showProblems();
      htmx.trigger(document.getElementById("deal-form"), "refresh");
    }
    if (target.id === "save-status" && target.querySelector('[data-saved="ok"]')) setDirty(false);
  });
  document.addEventListener("DOMContentLoaded", function () { showProblems(); showTab(null); });
})();
