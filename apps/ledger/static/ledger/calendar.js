/*
 * The key-work calendar's subscription page (templates/ledger/feed_settings.html).
 *
 *   data-copy-target="id"      on a button: copies the value of the field with that id; the button
 *                              stays hidden unless the browser can copy (it is revealed here)
 *   data-copied-text="已复制"   what the button says for a moment after copying
 *   data-select-on-focus       on a read-only field: selects the whole address when focused
 */
(function () {
  "use strict";

  function copyValue(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    // Intranet sites are often plain http, where the Clipboard API is unavailable.
    field.focus();
    field.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  function flash(button, text) {
    var label = button.querySelector("span") || button;
    var original = label.textContent;
    label.textContent = text;
    window.setTimeout(function () {
      label.textContent = original;
    }, 2000);
  }

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      copyValue(field).then(
        function () {
          flash(button, button.getAttribute("data-copied-text") || "已复制");
        },
        function () {
          field.select();
          flash(button, "请按 Ctrl+C 复制");
        }
      );
    });
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input[data-select-on-focus]")) {
      event.target.select();
    }
  });
})();
