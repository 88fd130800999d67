// Booking pages, progressive enhancement only: every form works without this file.
(function () {
  // After a search, move focus to the results (or the refusal) so keyboard and screen-reader
  // users land on what changed; the form stays above for another try.
  var refusal = document.getElementById('refusal');
  var results = location.search ? document.getElementById('results-title') : null;
  var target = refusal || results;
  if (target) { target.setAttribute('tabindex', '-1'); target.focus(); }

  // Rooms are booked by start time and duration, desks and landing spots by part of the day:
  // show only the fields that apply to the chosen kind.
  var kind = document.getElementById('kind');
  if (!kind || kind.tagName !== 'SELECT') { return; }
  function sync() {
    var slots = kind.value !== 'room';
    document.querySelectorAll('.for-rooms').forEach(function (el) { el.hidden = slots; });
    document.querySelectorAll('.for-slots').forEach(function (el) { el.hidden = !slots; });
  }
  kind.addEventListener('change', sync);
  sync();
})();
