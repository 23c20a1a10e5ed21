// careerguide: after an htmx swap, move focus to the new content's heading so it is announced.
(function () {
  "use strict";
  function focusNewHeading(root) {
    var heading = root && root.querySelector ? root.querySelector("[data-focus-on-swap]") : null;
    if (!heading) { return; }
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    // With an outerHTML swap, detail.target is the element that was replaced; event.target is new.
    focusNewHeading(event.target);
  });
  document.addEventListener("htmx:historyRestore", function () {
    focusNewHeading(document.getElementById("main"));
  });
})();
