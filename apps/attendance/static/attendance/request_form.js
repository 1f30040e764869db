// Shows only the fields that apply to the chosen kind of request.
(function () {
  "use strict";
  var FIELDS = {
    leave: ["leave_type", "end_date", "day_part"],
    trip: ["destination", "end_date", "day_part"],
    outing: ["destination", "end_date", "day_part"],
    correction: ["correction_kind", "correction_time"]
  };
  var OPTIONAL = ["leave_type", "end_date", "day_part", "destination", "correction_kind", "correction_time"];
  function wrapper(name) {
    var input = document.querySelector('[data-attendance-request-form] [name="' + name + '"]');
    return input ? input.closest(".mb-3") : null;
  }
  function update() {
    var kind = document.querySelector('[data-attendance-request-form] [name="kind"]');
    if (!kind) { return; }
    var shown = FIELDS[kind.value] || [];
    OPTIONAL.forEach(function (name) {
      var box = wrapper(name);
      if (box) { box.classList.toggle("d-none", shown.indexOf(name) === -1); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var kind = document.querySelector('[data-attendance-request-form] [name="kind"]');
    if (kind) { kind.addEventListener("change", update); update(); }
  });
})();
