/*
 * The ledger import form: check the chosen file's type and size before it is sent (the server
 * checks again), and keep the button from being pressed twice while a large file uploads.
 *
 *   <form data-import-form data-max-bytes="5242880">
 *     <input type="file">  <div data-import-file-notice hidden></div>  <button data-import-submit>
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-import-form]");
  if (!form) {
    return;
  }
  var input = form.querySelector('input[type="file"]');
  var notice = form.querySelector("[data-import-file-notice]");
  var button = form.querySelector("[data-import-submit]");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;

  function problem(file) {
    if (!/\.xlsx$/i.test(file.name)) {
      return "只支持 .xlsx 格式的Excel文件（旧版 .xls 请先另存为 .xlsx）。";
    }
    if (maxBytes && file.size > maxBytes) {
      return (
        "文件大小为" + (file.size / 1048576).toFixed(1) + "MB，超过了" +
        Math.round(maxBytes / 1048576) + "MB的上限，请拆分后分批导入。"
      );
    }
    return "";
  }

  function check() {
    var file = input && input.files && input.files[0];
    var message = file ? problem(file) : "";
    if (notice) {
      notice.textContent = message;
      notice.hidden = !message;
    }
    if (input) {
      input.classList.toggle("is-invalid", Boolean(message));
    }
    return !message;
  }

  if (input) {
    input.addEventListener("change", check);
  }
  form.addEventListener("submit", function (event) {
    if (!check()) {
      event.preventDefault();
      return;
    }
    if (button) {
      // Disabled after the submit event has started, so the form is still sent.
      window.setTimeout(function () {
        button.disabled = true;
        button.textContent = "正在上传……";
      }, 0);
    }
  });
})();
