/* The translation workspace's helpers: copy the source, take a memory suggestion or
   a fix, grow each field with its text, preview and check a segment as it is
   typed, and Ctrl+Enter to save and go to the next segment needing work.
   Plain script, no library: the page works without it, only less handily. */
"use strict";

(function () {
  const form = document.getElementById("workspace-form");
  if (!form) {
    return;
  }
  const previewUrl = form.dataset.previewUrl;
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const timers = new WeakMap();

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

  function setText(section, text) {
    const field = section.querySelector("textarea");
    field.value = text;
    changed(field);
    field.focus();
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
      changed(event.target);
    }
  });

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.matches("textarea")) {
      event.preventDefault();
      form.elements.next.value = event.target.closest(".segment").dataset.key;
      form.requestSubmit();
    }
  });

  form.querySelectorAll("textarea").forEach(grow);
  const focused = form.querySelector("textarea[autofocus]");
  if (focused) {
    focused.focus();
    focused.setSelectionRange(focused.value.length, focused.value.length);
  }
})();
