// careerguide: after an htmx swap, move focus to the new content's heading so it is announced;
// a save that failed is announced where the step's form is, with what to do.
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
  // A step that could not be saved (logged out elsewhere, offline, a server error): nothing is
  // swapped, so every answer stays as typed; say so, with what to do, and move focus there.
  function saveFailed(event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form[data-save-error]") : null;
    if (!form) { return; }
    var box = document.getElementById(form.getAttribute("data-save-error"));
    if (!box) { return; }
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    var retry = form.querySelector("button[type=submit]");
    var retryName = retry ? retry.textContent.trim() : "Save and continue";
    box.textContent = "";
    var lead = document.createElement("strong");
    lead.textContent = "This step was not saved. ";
    box.appendChild(lead);
    if (event.type === "htmx:sendError" || status === 0) {
      box.appendChild(document.createTextNode("The site could not be reached: check your connection, then press “" + retryName + "” again. Everything you entered is still here."));
    } else if ((status === 403 || status === 404) && form.getAttribute("data-login-url")) {
      box.appendChild(document.createTextNode("You are no longer logged in (perhaps you logged out in another tab). What you entered is kept: "));
      var link = document.createElement("a");
      link.href = form.getAttribute("data-login-url");
      link.textContent = "log in again";
      box.appendChild(link);
      box.appendChild(document.createTextNode(" and you come back to this step with it."));
    } else {
      box.appendChild(document.createTextNode("Something went wrong on our side. Everything you entered is still here: wait a moment, then press “" + retryName + "” again."));
    }
    box.hidden = false;
    box.focus();
  }
  document.addEventListener("htmx:responseError", saveFailed);
  document.addEventListener("htmx:sendError", saveFailed);
  // A text with a limit shows how much of it is used as it is typed.
  document.addEventListener("input", function (event) {
    var id = event.target.getAttribute && event.target.getAttribute("data-counter");
    var count = id ? document.getElementById(id) : null;
    if (!count) { return; }
    var used = event.target.value.length, limit = Number(count.getAttribute("data-limit"));
    count.textContent = used + " of " + limit + " characters" + (used > limit ? ": " + (used - limit) + " too many" : "");
  });
  document.addEventListener("htmx:historyRestore", function () {
    focusNewHeading(document.getElementById("main"));
  });
})();
