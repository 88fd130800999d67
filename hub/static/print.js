// A "Print" button (data-print) without an inline onclick: the CSP allows no inline script.
(function () {
  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () { window.print(); });
  });
})();
