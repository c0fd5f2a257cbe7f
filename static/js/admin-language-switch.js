/* One switch for a change form's per-language fields: the form shows one
   language's fields, or all of them.

   The switch (templates/admin/translated_change_form.html) names each
   language's fields; a row of the form whose fields are all one language's
   belongs to it, read-only rows included. The form opens on a language with
   errors, else on the one chosen last in this tab, else on the admin's own
   language; without this script every language's fields show. The switch is
   a group of radio buttons: Tab reaches it, the arrow keys change language. */
"use strict";

// Loaded in the page's head, with the admin's other scripts: runs once the form is there.
document.addEventListener("DOMContentLoaded", function () {
  const switchElement = document.getElementById("language-switch");
  if (!switchElement) {
    return;
  }
  const STORAGE_KEY = "cxcs-language-switch";
  const languageOf = new Map();
  Object.entries(JSON.parse(switchElement.dataset.fields)).forEach(function ([code, names]) {
    names.forEach(function (name) {
      languageOf.set(name, code);
    });
  });

  const rows = [];
  document.querySelectorAll(".form-row").forEach(function (row) {
    const names = Array.from(row.classList)
      .filter(function (name) {
        return name.startsWith("field-");
      })
      .map(function (name) {
        return name.slice("field-".length);
      });
    const codes = new Set(
      names.map(function (name) {
        return languageOf.get(name);
      })
    );
    if (names.length && codes.size === 1 && !codes.has(undefined)) {
      row.dataset.language = names.map(function (name) {
        return languageOf.get(name);
      })[0];
      rows.push(row);
    }
  });
  if (!rows.length) {
    return;
  }

  const radios = Array.from(switchElement.querySelectorAll("input[type=radio]"));

  function show(code) {
    rows.forEach(function (row) {
      row.classList.toggle("language-hidden", code !== "all" && row.dataset.language !== code);
    });
    radios.forEach(function (radio) {
      radio.checked = radio.value === code;
    });
  }

  function remembered() {
    try {
      return window.sessionStorage.getItem(STORAGE_KEY);
    } catch (error) {
      return null;
    }
  }

  function remember(code) {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, code);
    } catch (error) {
      // Storage refused (private mode): the choice lasts this page only.
    }
  }

  const values = radios.map(function (radio) {
    return radio.value;
  });
  const withErrors = radios.find(function (radio) {
    return radio.dataset.errors;
  });
  let initial = withErrors ? withErrors.value : remembered();
  if (!values.includes(initial)) {
    initial = values.includes(switchElement.dataset.default)
      ? switchElement.dataset.default
      : values[0];
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (radio.checked) {
        show(radio.value);
        remember(radio.value);
      }
    });
  });
  show(initial);
  switchElement.hidden = false;
});
