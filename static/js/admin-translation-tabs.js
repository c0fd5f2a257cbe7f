/* modeltranslation's language tabs on a change form, made accessible.

   Its switch between them is moved out of the page title, given a label, and
   shows the tab that is open when the page loads (the admin's language, or a
   tab with an error), which modeltranslation opens without telling it.

   jQuery UI puts a link inside each element with the role "tab": a control
   inside a control, which screen readers may not announce. The links lose
   their href once the tabs are made, so only the tab itself is focusable;
   jQuery UI then takes such a link for a local one, as it was. */
"use strict";

function improveTabs() {
  const jQuery = window.jQuery;
  if (jQuery && jQuery.ui && jQuery.ui.tabs) {
    const isLocal = jQuery.ui.tabs.prototype._isLocal;
    jQuery.ui.tabs.prototype._isLocal = function (anchor) {
      return !anchor.hasAttribute("href") || isLocal.call(this, anchor);
    };
    document.querySelectorAll(".ui-tabs-nav [role=tab] > a[href]").forEach(function (anchor) {
      anchor.removeAttribute("href");
    });
  }

  const select = document.getElementById("modeltranslation-main-switch");
  const text = document.getElementById("translation-switch-label");
  if (!select || !text) {
    return;
  }
  const label = document.createElement("label");
  label.htmlFor = select.id;
  label.textContent = text.textContent;
  const wrapper = document.createElement("div");
  wrapper.className = "translation-switch";
  const heading = select.closest("h1");
  if (heading) {
    heading.after(wrapper);
    heading.normalize();
    if (heading.lastChild && heading.lastChild.nodeType === Node.TEXT_NODE) {
      heading.lastChild.textContent = heading.lastChild.textContent.replace(/\s+$/, "");
    }
  } else {
    select.before(wrapper);
  }
  wrapper.append(label, select);
  const active = document.querySelector(".ui-tabs-nav .ui-tabs-active");
  if (active) {
    select.value = String(Array.prototype.indexOf.call(active.parentNode.children, active));
  }
}

// jQuery runs ready handlers asynchronously, possibly after "load": queued
// behind modeltranslation's own, this runs once its tabs are made.
window.addEventListener("load", function () {
  if (window.jQuery) {
    window.jQuery(improveTabs);
  } else {
    improveTabs();
  }
});
