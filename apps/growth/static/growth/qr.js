/*
 * The host's QR page reloads itself before the signed sign-in link expires
 * (data-qr-refresh="seconds" on the card), so the code on the screen always works.
 */
(function () {
  "use strict";
  var card = document.querySelector("[data-qr-refresh]");
  if (!card) {
    return;
  }
  var seconds = parseInt(card.getAttribute("data-qr-refresh"), 10) || 120;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000);
})();
