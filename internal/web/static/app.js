// jixiao reviewers' interface: small conveniences, nothing required.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Clicking highlighted evidence jumps to its (first) finding.
  document.querySelectorAll("mark.ev[data-findings]").forEach(function (m) {
    m.addEventListener("click", function () {
      var first = (m.dataset.findings || "").split(" ")[0];
      if (first) { location.hash = "f-" + first; }
    });
  });
  // Following an evidence link flashes the quote it points at.
  function flash() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) { return; }
    var anchor = document.getElementById(id);
    if (!anchor || !anchor.classList.contains("anchor")) { return; }
    var next = anchor.nextElementSibling;
    while (next && next.classList.contains("anchor")) { next = next.nextElementSibling; }
    if (next && next.tagName === "MARK") {
      next.classList.add("flash");
      setTimeout(function () { next.classList.remove("flash"); }, 1600);
    }
  }
  window.addEventListener("hashchange", flash);
  flash();
  // Refuse an oversized file before sending it.
  var file = document.getElementById("file");
  if (file) {
    file.addEventListener("change", function () {
      var limit = Number(file.dataset.limit || 0);
      if (limit && file.files.length && file.files[0].size > limit) {
        file.setCustomValidity("文件超过大小上限");
      } else {
        file.setCustomValidity("");
      }
      file.reportValidity();
    });
  }
});
