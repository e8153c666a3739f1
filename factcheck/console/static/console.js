// Keyboard shortcuts of the inbox (j/k move, c/r/s act) and the verdict form's live score preview.
"use strict";
(function () {
  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function links() { return Array.from(document.querySelectorAll("[data-link]")); }

  function current() {
    var all = links();
    var here = document.activeElement && document.activeElement.closest("[data-link]");
    return here || all[0] || null;
  }

  function move(step) {
    var all = links(), here = current();
    if (!here) { return; }
    var next = all[Math.min(Math.max(all.indexOf(here) + step, 0), all.length - 1)];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    var key = event.key.toLowerCase();
    if (key === "j" || key === "k") {
      event.preventDefault();
      move(key === "j" ? 1 : -1);
    } else if (key === "c" || key === "r" || key === "s") {
      var here = current();
      if (!here) { return; }
      event.preventDefault();
      if (key === "s") { move(1); return; }
      here.querySelector('[data-key="' + key + '"]').click();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var first = links()[0];
    if (first && !/^#link-/.test(location.hash)) { first.focus(); }
    var form = document.querySelector("form[data-preview]");
    if (!form) { return; }
    var rating = form.querySelector("#rating"), output = form.querySelector("#rating-preview");
    var site = form.querySelector("#publisher_site");
    var timer = null;
    function preview() {
      var query = "?rating=" + encodeURIComponent(rating.value) + (site ? "&publisher_site=" + encodeURIComponent(site.value) : "");
      fetch(form.dataset.preview + query, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (found) {
          output.textContent = found.category === undefined ? "" :
            "Normalised score: " + (found.score === null ? "no score" : found.score.toFixed(2)) + " (" + found.category + ")";
        });
    }
    rating.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(preview, 150); });
  });
}());
