// The label sheet's print button (the browser prints the page, or saves it as a PDF).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
