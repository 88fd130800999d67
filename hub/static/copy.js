// Copy buttons next to read-only links and tokens: one click puts the text on the clipboard
// and says so (for screen readers too, through the button's live text).
(function () {
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.hidden = false;
    var label = button.textContent;
    button.addEventListener('click', function () {
      var field = document.getElementById(button.getAttribute('data-copy'));
      if (!field) { return; }
      function done() {
        button.textContent = button.getAttribute('data-copied') || label;
        setTimeout(function () { button.textContent = label; }, 2500);
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
      } else {
        field.select();
        try { document.execCommand('copy'); done(); } catch (e) { /* selected: Ctrl+C works */ }
      }
    });
  });
})();
