/* Names for Django's own admin widgets where Django leaves them unnamed, on every
   admin page (axe-core finds them; tests/browser/test_admin_pages.py):

   - the filter icon SelectFilter2.js puts inside the label of a "filter
     horizontal" box is a <span> with an aria-label, which ARIA allows only
     with a role: it is an image of the words it says;
   - the date and the time inputs of a split date-time field are labelled by
     no <label>: each gets the field's label and the word before it ("Date",
     "Time").

   SelectFilter2.js builds its boxes when the page has loaded, so new content
   is named as it appears. */
"use strict";

function nameWidgets(root) {
  root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
    icon.setAttribute("role", "img");
  });
  root.querySelectorAll("p.datetime").forEach(function (paragraph) {
    const row = paragraph.closest(".form-row");
    const rowLabel = row ? row.querySelector("label") : null;
    const field = rowLabel ? rowLabel.textContent.trim().replace(/:$/, "") : "";
    paragraph.querySelectorAll("input:not([aria-label])").forEach(function (input) {
      if (input.type === "hidden" || (input.id && document.querySelector(`label[for="${input.id}"]`))) {
        return;
      }
      let before = input.previousSibling;
      while (before && before.nodeType !== Node.TEXT_NODE) {
        before = before.previousSibling;
      }
      const part = before ? before.textContent.trim().replace(/:$/, "") : "";
      const name = [field, part].filter(Boolean).join(": ");
      if (name) {
        input.setAttribute("aria-label", name);
      }
    });
  });
}

document.addEventListener("DOMContentLoaded", function () {
  nameWidgets(document);
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      change.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          nameWidgets(node.parentNode || node);
        }
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
});
