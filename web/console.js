/* helpdex agents' known-issue console (/agent/console): progressive
 * enhancement of the plain form (docs/agents.md).  Without this file the
 * console still works: the form posts, and each answer is in a read-only
 * box to select and copy.
 * - "Copy answer" / "Copy internal notes" put that box's text on the
 *   clipboard (navigator.clipboard), and say so.
 * - Ctrl+Enter (or Cmd+Enter) in the paste box looks it up.
 * - After a lookup the first result is focused; j / k (or the arrow keys)
 *   move between results, c copies the focused result's answer. */
(function () {
  'use strict';
  var paste = document.getElementById('paste');
  var cards = Array.prototype.slice.call(document.querySelectorAll('.ki-card'));

  function say(btn, text) {
    var old = btn.getAttribute('data-label') || btn.textContent;
    btn.setAttribute('data-label', old);
    btn.textContent = text;
    setTimeout(function () { btn.textContent = old; }, 2000);
  }
  function copyFrom(btn) {
    var src = document.getElementById(btn.getAttribute('data-copy'));
    if (!src) return;
    var text = src.value;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { say(btn, 'Copied'); },
        function () { src.select(); say(btn, 'Press Ctrl+C'); });
    } else {
      src.select();
      say(btn, 'Press Ctrl+C');
    }
  }
  document.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('.copy-btn');
    if (btn) copyFrom(btn);
  });
  if (paste) {
    paste.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        paste.form.requestSubmit ? paste.form.requestSubmit() : paste.form.submit();
      }
    });
  }
  function move(from, step) {
    var i = cards.indexOf(from) + step;
    if (i >= 0 && i < cards.length) cards[i].focus();
  }
  document.addEventListener('keydown', function (e) {
    var card = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest('.ki-card');
    if (!card || document.activeElement !== card || e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.key === 'j' || e.key === 'ArrowDown') { e.preventDefault(); move(card, 1); }
    else if (e.key === 'k' || e.key === 'ArrowUp') { e.preventDefault(); move(card, -1); }
    else if (e.key === 'c') {
      var btn = card.querySelector('.copy-btn:not(.copy-internal)');
      if (btn) { e.preventDefault(); copyFrom(btn); }
    }
  });
  if (cards.length) cards[0].focus();
})();
