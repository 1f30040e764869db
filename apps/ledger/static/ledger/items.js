/*
 * The ledger's item form: show only the deadline inputs of the chosen way (a date, or N workdays
 * after a date), and the feedback N only for “交办后N个工作日内反馈”. Without JavaScript every input
 * stays visible and the server still decides which ones count.
 */
(function () {
  "use strict";

  function syncDeadlineMode(form) {
    var checked = form.querySelector("input[name=deadline_mode]:checked");
    var mode = checked ? checked.value : "date";
    form.querySelectorAll("[data-deadline-mode-for]").forEach(function (block) {
      block.hidden = block.getAttribute("data-deadline-mode-for") !== mode;
    });
  }

  function syncFeedback(form) {
    var rule = form.querySelector("select[name=feedback_rule]");
    var block = form.querySelector("[data-feedback-workdays]");
    if (rule && block) {
      block.hidden = rule.value !== "workdays";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.ledger-item-form").forEach(function (form) {
      syncDeadlineMode(form);
      syncFeedback(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "deadline_mode") {
          syncDeadlineMode(form);
        } else if (event.target.name === "feedback_rule") {
          syncFeedback(form);
        }
      });
    });
  });
})();
