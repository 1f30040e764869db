/*
 * The platform's own behaviour. No inline scripts or on*="" handlers anywhere (strict CSP):
 * templates declare behaviour with data attributes and this file wires it up.
 *
 *   data-confirm="确定停用该账号吗？"  on a <form> (asked on submit) or on a button/link (asked on click)
 *   data-auto-submit                   on a <form>: submit when a select, checkbox, radio or date changes
 *   data-check-all="name"              on a checkbox: ticks/unticks every checkbox named `name` in its form
 *
 * htmx requests carry the CSRF token from <meta name="csrf-token">.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Confirmations: a form's data-confirm is asked on submit; a button's or link's on click.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var submitter = event.submitter;
      var message =
        (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  document.addEventListener(
    "click",
    function (event) {
      var element = event.target.closest("a[data-confirm], button[data-confirm]");
      if (!element || (element.tagName === "BUTTON" && element.type === "submit" && element.form)) {
        return; // a submit button's confirmation is asked in the submit handler above
      }
      if (!window.confirm(element.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  // Filters that apply as soon as a choice changes; text inputs still wait for Enter or the button.
  document.addEventListener("change", function (event) {
    var field = event.target;
    var form = field.form;
    if (!form || !form.hasAttribute("data-auto-submit")) {
      return;
    }
    if (field.matches("select, input[type=checkbox], input[type=radio], input[type=date]")) {
      var page = form.querySelector('input[name="page"]');
      if (page) {
        page.value = "";
      }
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }
  });

  // "Select all" checkboxes.
  document.addEventListener("change", function (event) {
    var master = event.target;
    if (!master.matches("input[type=checkbox][data-check-all]")) {
      return;
    }
    var scope = master.form || document;
    var name = master.getAttribute("data-check-all");
    scope.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = master.checked;
    });
  });

  // On a phone the filters of a list wait behind their "筛选" button (details[data-collapse-on-phone]
  // is open in the HTML, so that the filters show without JavaScript and on wider screens).
  if (window.matchMedia("(max-width: 767.98px)").matches) {
    document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (details) {
      details.open = false;
    });
  }

  // Person pickers (select[data-person-picker], grouped by unit): a box above the list keeps only
  // the names (or units) that contain what is typed.
  document.querySelectorAll("select[data-person-picker]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = "输入姓名或单位筛选";
    box.setAttribute("aria-label", "筛选人员");
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var text = box.value.trim();
      select.querySelectorAll("optgroup").forEach(function (group) {
        var unitMatches = group.label.indexOf(text) !== -1;
        var any = false;
        group.querySelectorAll("option").forEach(function (option) {
          var show = !text || unitMatches || option.textContent.indexOf(text) !== -1;
          option.hidden = !show;
          any = any || show;
        });
        group.hidden = !any;
      });
    });
  });

  // htmx: send the CSRF token with every request it makes.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
})();
