// The layout's script (every page; the CSP allows no inline script). Progressive enhancement:
// without it the menu stays open and every form still works.
(function () {
  document.documentElement.classList.add('js');

  // --- the menus: the phone's menu button and the disclosure menus ("Beheer", the person) ----
  var button = document.querySelector('.hub-menu-button');
  var menu = document.getElementById('hub-menu');
  if (button && menu) {
    button.hidden = false;
    button.addEventListener('click', function () {
      button.setAttribute('aria-expanded', String(button.getAttribute('aria-expanded') !== 'true'));
    });
  }
  var disclosures = Array.prototype.slice.call(document.querySelectorAll('details.hub-disclosure'));
  disclosures.forEach(function (details) {
    details.addEventListener('toggle', function () {
      if (!details.open) { return; }
      disclosures.forEach(function (other) { if (other !== details) { other.open = false; } });
    });
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') { return; }
    var open = disclosures.filter(function (d) { return d.open; })[0];
    if (open) {
      open.open = false;
      open.querySelector('summary').focus();
    } else if (button && button.getAttribute('aria-expanded') === 'true' &&
               menu.contains(document.activeElement)) {
      button.setAttribute('aria-expanded', 'false');
      button.focus();
    }
  });
  // A click or focus elsewhere closes an open menu, as a menu does.
  function closeOutside(event) {
    disclosures.forEach(function (d) { if (d.open && !d.contains(event.target)) { d.open = false; } });
  }
  document.addEventListener('click', closeOutside);
  document.addEventListener('focusin', closeOutside);

  // --- focus to the result of the last action ------------------------------------------------
  // A form post redirects to a page with a message: the message takes focus, so keyboard and
  // screen-reader users hear what happened. A page marks another result with data-hub-focus.
  // A search or filter (a GET form, or a link with a query: the next day) lands on its result.
  var target = document.querySelector('[data-hub-focus]') ||
               document.querySelector('#main .hub-flash') ||
               (location.search ? document.querySelector('[data-hub-result]') : null);
  if (target) {
    if (!target.hasAttribute('tabindex')) { target.setAttribute('tabindex', '-1'); }
    target.focus();
  }
})();
