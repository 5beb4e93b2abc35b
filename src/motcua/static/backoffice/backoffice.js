// Back office keyboard shortcuts: "/" focuses the search box; Esc leaves it.
document.addEventListener("keydown", function (event) {
  var target = event.target;
  var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
  if (event.key === "/" && !typing) {
    var box = document.querySelector(".bo-search input[type=search]");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  } else if (event.key === "Escape" && typing) {
    target.blur();
  }
});

// A row action answers with the row only; the tab counts come in the HX-Trigger header
// (a number, or a label such as "999+" once a tab passed the count cap).
document.addEventListener("queue-counts", function (event) {
  var counts = event.detail || {};
  Object.keys(counts).forEach(function (key) {
    var badge = document.querySelector('.tab-count[data-tab="' + key + '"]');
    if (badge && (typeof counts[key] === "number" || typeof counts[key] === "string")) { badge.textContent = counts[key]; }
  });
});
