/* The translation workspace's helpers: copy the source, take a memory suggestion or
   a fix (each undone by Ctrl+Z, as typing is), grow each field with its text,
   preview and check a segment as it is typed, Ctrl+Enter to save and go to the
   next segment needing work, show only the segments needing work, and ask
   before leaving with unsaved text. Plain script, no library: the page works
   without it, only less handily. */
"use strict";

(function () {
  const form = document.getElementById("workspace-form");
  if (!form) {
    return;
  }
  const previewUrl = form.dataset.previewUrl;
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const timers = new WeakMap();
  let unsaved = false;

  function grow(field) {
    if (CSS.supports("field-sizing", "content")) {
      return;
    }
    field.style.blockSize = "auto";
    field.style.blockSize = field.scrollHeight + 2 + "px";
  }

  function showIssues(section, issues) {
    const list = section.querySelector(".segment-issues");
    list.replaceChildren();
    issues.forEach(function (issue) {
      const item = document.createElement("li");
      item.textContent = issue.message;
      if (issue.fixed !== null && !section.querySelector("textarea").readOnly) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button fix-issue";
        button.dataset.fixed = issue.fixed;
        button.textContent = form.dataset.fixLabel;
        item.append(" ", button);
      }
      list.append(item);
    });
  }

  function preview(section) {
    const field = section.querySelector("textarea");
    const body = new FormData();
    body.append("key", section.dataset.key);
    body.append("text", field.value);
    fetch(previewUrl, {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (result) {
        const box = section.querySelector(".segment-preview");
        if (result.error) {
          box.textContent = result.error;
        } else {
          // Sanitized by the server, as the article's page is.
          box.innerHTML = result.html;
          showIssues(section, result.issues);
        }
        box.hidden = false;
      })
      .catch(function () {});
  }

  function changed(field) {
    grow(field);
    const section = field.closest(".segment");
    clearTimeout(timers.get(section));
    timers.set(
      section,
      setTimeout(function () {
        preview(section);
      }, 400),
    );
  }

  // As if typed: the browser's own undo (Ctrl+Z, ⌘+Z) takes it back. Where
  // insertText is not supported, the text is set and Ctrl+Z restores it here.
  function setText(section, text) {
    const field = section.querySelector("textarea");
    const before = field.value;
    field.focus();
    field.select();
    if (!document.execCommand("insertText", false, text) || field.value !== text) {
      field.value = text;
      field.dataset.undo = before;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  form.addEventListener("click", function (event) {
    const button = event.target.closest("button[type=button]");
    if (!button) {
      return;
    }
    const section = button.closest(".segment");
    if (button.classList.contains("copy-source")) {
      setText(section, section.querySelector("textarea").dataset.source);
    } else if (button.classList.contains("take-memory")) {
      setText(section, button.dataset.text);
    } else if (button.classList.contains("fix-issue")) {
      setText(section, button.dataset.fixed);
    }
  });

  form.addEventListener("input", function (event) {
    if (event.target.matches("textarea")) {
      unsaved = true;
      changed(event.target);
    }
  });

  form.addEventListener("submit", function () {
    unsaved = false;
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  form.addEventListener("keydown", function (event) {
    const field = event.target;
    if (
      event.key.toLowerCase() === "z" &&
      (event.ctrlKey || event.metaKey) &&
      !event.shiftKey &&
      field.matches("textarea") &&
      field.dataset.undo !== undefined
    ) {
      event.preventDefault();
      field.value = field.dataset.undo;
      delete field.dataset.undo;
      changed(field);
      return;
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.matches("textarea")) {
      event.preventDefault();
      form.elements.next.value = event.target.closest(".segment").dataset.key;
      form.requestSubmit();
    }
  });

  // Needs work / all: the segments left out are hidden, not removed, so the
  // form still sends every text.
  const filter = document.querySelector(".workspace-filter");
  if (filter) {
    filter.hidden = false;
    filter.addEventListener("change", function () {
      const onlyWork = filter.querySelector("input:checked").value === "work";
      form.querySelectorAll(".segment").forEach(function (section) {
        section.hidden = onlyWork && !section.hasAttribute("data-needs-work");
      });
    });
  }

  form.querySelectorAll("textarea").forEach(grow);
  const focused = form.querySelector("textarea[autofocus]");
  if (focused) {
    focused.focus();
    focused.setSelectionRange(focused.value.length, focused.value.length);
  }
})();
