/* kumenet portal: bar widths, print, and maps whose data is fetched (same origin only). */
(function () {
  "use strict";
  document.querySelectorAll(".kp-bar-fill").forEach(function (bar) {
    bar.style.width = (parseFloat(bar.dataset.width) || 0) + "%";
  });
  document.querySelectorAll(".kp-print").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll(".km-map[data-url]").forEach(function (root) {
    fetch(root.dataset.url, {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (body) {
        var holder = document.createElement("script");
        holder.type = "application/json";   /* data, never run */
        holder.id = root.dataset.source;
        holder.textContent = body;
        document.body.appendChild(holder);
        window.kumenetDrawMap(root);
      })
      .catch(function () { root.dataset.drawn = "error"; });
  });
})();
