/* modeltranslation's switch between the language tabs of a change form, made
   usable: moved out of the page title, given a label, and showing the tab that
   is open when the page loads (the admin's language, or a tab with an error),
   which modeltranslation opens without telling the switch. */
"use strict";

window.addEventListener("load", function () {
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
});
