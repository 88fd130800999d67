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

// The repeat choice: show only the fields that apply (weekly days, n times or a last date).
(function () {
  var repeat = document.getElementById('repeat');
  if (!repeat) { return; }
  var ends = document.getElementById('ends');
  function field(id) { var el = document.getElementById(id); return el ? el.closest('.field') : null; }
  function show(el, yes) { if (el) { el.hidden = !yes; } }
  function sync() {
    var on = repeat.value !== '';
    document.querySelectorAll('.repeat-details').forEach(function (el) { el.hidden = !on; });
    show(field('weekdays-0') || document.querySelector('.repeat-details fieldset'), repeat.value === 'weekly');
    var untilChosen = ends && ends.value === 'until';
    show(field('times'), !untilChosen);
    show(field('until'), untilChosen);
  }
  repeat.addEventListener('change', sync);
  if (ends) { ends.addEventListener('change', sync); }
  sync();
})();

// Booking for a colleague: suggest people by name as one types (the field takes the e-mail).
(function () {
  var list = document.getElementById('colleagues');
  if (!list) { return; }
  var input = document.querySelector('input[list="colleagues"]');
  if (!input) { return; }
  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2 || text.indexOf('@') > 0 && text.indexOf('.') > text.indexOf('@')) { return; }
    timer = setTimeout(function () {
      fetch('/book/colleagues?q=' + encodeURIComponent(text), {credentials: 'same-origin'})
        .then(function (r) { return r.ok ? r.json() : {items: []}; })
        .then(function (data) {
          list.innerHTML = '';
          data.items.forEach(function (p) {
            var option = document.createElement('option');
            option.value = p.email;
            option.label = p.name + ' · ' + p.organisation;
            list.appendChild(option);
          });
        });
    }, 150);
  });
})();

// The desk plan: choosing a desk on the plan opens its booking buttons next to the plan.
(function () {
  var panel = document.getElementById('plan-choice');
  if (!panel) { return; }
  document.querySelectorAll('a.pin').forEach(function (pin) {
    pin.addEventListener('click', function (event) {
      var desk = document.querySelector(pin.getAttribute('href'));
      if (!desk) { return; }
      event.preventDefault();
      panel.innerHTML = '';
      panel.appendChild(desk.cloneNode(true)).removeAttribute('id');
      panel.hidden = false;
      document.querySelectorAll('a.pin[aria-current]').forEach(function (p) { p.removeAttribute('aria-current'); });
      pin.setAttribute('aria-current', 'true');
      var heading = panel.querySelector('h2');
      if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
    });
  });
})();
