/* helpdex help center: progressive enhancement of server-rendered pages.
 * Without this file every page still works (forms post, links are links).
 * - /search: results update while you type (debounced, stale requests
 *   aborted), the URL follows (?q=).
 * - other pages: title suggestions under the search box.
 * - article pages: feedback sent with fetch, escalation panel revealed on
 *   "No"; articles viewed this session are added to the contact link;
 *   the table of contents starts collapsed on a phone-sized screen.
 * - the contact page: suggestions while typing (GET /api/deflect), the
 *   session's searches and articles viewed in its hidden fields.
 * - analytics, when the server records: result clicks reported with
 *   navigator.sendBeacon(). */
(function () {
  'use strict';
  var DEBOUNCE_MS = 150;
  var VIEWED_KEY = 'hdx-viewed';
  var SEARCHED_KEY = 'hdx-searched';
  /* Under --base-path the page names the prefix ("/help"); every URL
   * below starts with it.  No tag: the site is at the root. */
  var baseMeta = document.querySelector('meta[name="hdx-base"]');
  var BASE = (baseMeta && baseMeta.getAttribute('content')) || '';

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function productLabel(p) {
    if (!p) return '';
    if (/^(api|sso|ios|sdk|cli|vpn|2fa)$/i.test(p)) return p.toUpperCase();
    return p.charAt(0).toUpperCase() + p.slice(1);
  }
  function viewed() {
    try { return JSON.parse(sessionStorage.getItem(VIEWED_KEY) || '[]'); }
    catch (e) { return []; }
  }
  function remember(id) {
    var v = viewed().filter(function (x) { return x !== id; });
    v.push(id);
    try { sessionStorage.setItem(VIEWED_KEY, JSON.stringify(v.slice(-10))); }
    catch (e) { /* private mode: fine */ }
  }

  /* The searches of this session (newest last), for the contact form. */
  function searched() {
    try { return JSON.parse(sessionStorage.getItem(SEARCHED_KEY) || '[]'); }
    catch (e) { return []; }
  }
  function rememberSearch(q) {
    if (!q) return;
    var v = searched().filter(function (x) { return x !== q; });
    v.push(q);
    try { sessionStorage.setItem(SEARCHED_KEY, JSON.stringify(v.slice(-5))); }
    catch (e) { /* private mode: fine */ }
  }

  /* Analytics (docs/analytics.md): when the server records, a meta tag
   * names the events endpoint; clicks and escalations are reported with
   * sendBeacon, and counted result links (/go?...) get their direct URL
   * back so a click is never counted twice. */
  var eventsMeta = document.querySelector('meta[name="hdx-events"]');
  var eventsUrl = eventsMeta && eventsMeta.getAttribute('content');
  function report(ev) {
    if (!eventsUrl || !navigator.sendBeacon) return false;
    ev.eventName = ev.eventName || 'help-center';
    var blob = new Blob([JSON.stringify({ events: [ev] })], { type: 'application/json' });
    return navigator.sendBeacon(eventsUrl, blob);
  }
  function resultClicked(e) {
    var a = e.target.closest && e.target.closest('a[data-hdx-id]');
    if (!a) return;
    var ev = { eventType: 'click', objectIDs: [a.getAttribute('data-hdx-id')],
      positions: [parseInt(a.getAttribute('data-hdx-pos'), 10) || 1] };
    var q = a.getAttribute('data-hdx-q') || new URL(location.href).searchParams.get('q');
    if (q) ev.query = q;
    report(ev);
  }
  if (eventsUrl && navigator.sendBeacon) {
    Array.prototype.forEach.call(document.querySelectorAll('a[data-hdx-href]'), function (a) {
      a.setAttribute('href', a.getAttribute('data-hdx-href'));
    });
    document.addEventListener('click', resultClicked);
  }

  /* The contact page link, pre-filled with the query and the articles
   * viewed (the contact form hands them to support). */
  function updateEscalation(query) {
    var a = document.getElementById('escalate-link');
    if (!a) return;
    var ids = viewed(), p = new URLSearchParams();
    if (query) p.set('q', query);
    if (ids.length) p.set('articles', ids.join(','));
    a.href = BASE + '/contact' + (p.toString() ? '?' + p : '');
  }

  var input = document.getElementById('q');
  var form = input && input.form;
  var results = document.getElementById('results');
  var timer = 0, inflight = null;

  function articleHref(hit, q) {
    var parts = (hit.url || '').split('#');
    return parts[0] + (q ? '?q=' + encodeURIComponent(q) : '') +
      (parts[1] ? '#' + parts[1] : '');
  }

  function renderResults(q, data) {
    var count = document.getElementById('result-count');
    var h1 = document.getElementById('results-h');
    var esc = document.getElementById('escalate');
    var dym = document.getElementById('did-you-mean');
    if (dym) dym.remove();
    if (h1) {
      h1.textContent = '';
      if (q) {
        h1.appendChild(document.createTextNode('Results for \u201c'));
        h1.appendChild(el('span', { 'class': 'q' }, q));
        h1.appendChild(document.createTextNode('\u201d'));
      } else {
        h1.textContent = 'All articles';
      }
    }
    document.title = (q ? 'Results for \u201c' + q + '\u201d \u00b7 ' : '') +
      document.title.replace(/^.* \u00b7 /, '');
    if (count) count.textContent = data.total ?
      data.total + (data.total === 1 ? ' article' : ' articles') : 'No articles found';
    var suggestion = data.corrected_query || data.did_you_mean;
    if (suggestion && h1) {
      var p = el('p', { 'class': 'notice', id: 'did-you-mean' });
      p.appendChild(document.createTextNode(data.corrected_query ?
        'No results for \u201c' + q + '\u201d. Showing results for ' : 'Did you mean '));
      p.appendChild(el('a', { href: BASE + '/search?q=' + encodeURIComponent(suggestion) }, suggestion));
      p.appendChild(document.createTextNode(data.corrected_query ? ' instead.' : '?'));
      (count || h1).after(p);
    }
    results.textContent = '';
    if (!data.hits.length) {
      var empty = el('div', { 'class': 'empty', id: 'no-results' });
      empty.appendChild(el('h2', null, 'We couldn\u2019t find a matching article'));
      var ul = el('ul');
      ul.appendChild(el('li', null, 'Check the spelling, or use fewer or more general words.'));
      ul.appendChild(el('li', null, 'Search for the exact error message you see.'));
      empty.appendChild(ul);
      results.appendChild(empty);
      if (esc) { esc.hidden = false; updateEscalation(q); }
      return;
    }
    if (esc) esc.hidden = true;
    var ol = el('ol', { 'class': 'results' });
    data.hits.forEach(function (h, i) {
      var li = el('li', { 'class': 'hit' });
      var h2 = el('h2');
      h2.appendChild(el('a', { href: articleHref(h, q), 'data-hdx-id': h.id,
        'data-hdx-pos': String(i + 1), 'data-hdx-q': q }, h.title));
      li.appendChild(h2);
      var meta = productLabel(h.product) + (h.type === 'faq' ? ' \u00b7 FAQ' : '') +
        (h.section ? ' \u203a ' + h.section.heading : '');
      li.appendChild(el('p', { 'class': 'meta' }, meta));
      var sn = el('p', { 'class': 'snippet' });
      sn.innerHTML = h.snippet; /* escaped by the server, <mark> only */
      li.appendChild(sn);
      ol.appendChild(li);
    });
    results.appendChild(ol);
  }

  function liveSearch() {
    var q = input.value.trim();
    var url = new URL(location.href);
    var params = new URLSearchParams({ q: q, per_page: '10', facets: '0', typeahead: '1' });
    ['product', 'tag'].forEach(function (k) {
      var v = url.searchParams.get(k);
      if (v) params.set(k, v);
    });
    if (!q && !params.get('product') && !params.get('tag')) return;
    if (inflight) inflight.abort();
    var ctl = inflight = new AbortController();
    fetch(BASE + '/api/search?' + params, { signal: ctl.signal, headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (data) {
        if (ctl !== inflight) return;
        inflight = null;
        renderResults(q, data);
        rememberSearch(q);
        if (q) url.searchParams.set('q', q); else url.searchParams.delete('q');
        url.searchParams.delete('page');
        history.replaceState(null, '', url.pathname + url.search);
      })
      .catch(function (e) { if (e.name !== 'AbortError') inflight = null; });
  }

  /* Title suggestions for pages without a result list. */
  var box = null;
  function closeSuggest() { if (box) { box.remove(); box = null; input.setAttribute('aria-expanded', 'false'); } }
  function suggest() {
    var q = input.value.trim();
    if (q.length < 2) { closeSuggest(); return; }
    if (inflight) inflight.abort();
    var ctl = inflight = new AbortController();
    fetch(BASE + '/api/suggest?q=' + encodeURIComponent(q), { signal: ctl.signal })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (data) {
        if (ctl !== inflight) return;
        inflight = null;
        closeSuggest();
        if (!data.titles.length) return;
        box = el('ul', { 'class': 'suggest', id: 'suggest', 'aria-label': 'Suggested articles' });
        data.titles.forEach(function (t) {
          var li = el('li');
          li.appendChild(el('a', { href: t.url + '?q=' + encodeURIComponent(q) }, t.title));
          box.appendChild(li);
        });
        form.appendChild(box);
        input.setAttribute('aria-expanded', 'true');
      })
      .catch(function (e) { if (e.name !== 'AbortError') inflight = null; });
  }

  if (input && form) {
    input.setAttribute('aria-controls', results ? 'results' : 'suggest');
    if (!results) {
      // aria-expanded is allowed on a combobox, not on a plain search box
      // (axe-core: aria-allowed-attr).
      input.setAttribute('role', 'combobox');
      input.setAttribute('aria-autocomplete', 'list');
      input.setAttribute('aria-expanded', 'false');
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(results ? liveSearch : suggest, DEBOUNCE_MS);
    });
    form.addEventListener('keydown', function (e) {
      if (!box) return;
      var links = Array.prototype.slice.call(box.querySelectorAll('a'));
      var i = links.indexOf(document.activeElement);
      if (e.key === 'ArrowDown') { e.preventDefault(); (links[i + 1] || links[0]).focus(); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); if (i <= 0) input.focus(); else links[i - 1].focus(); }
      else if (e.key === 'Escape') { closeSuggest(); input.focus(); }
    });
    document.addEventListener('click', function (e) { if (box && !form.contains(e.target)) closeSuggest(); });
  }

  /* Article pages. */
  var article = document.querySelector('article[data-id]');
  var pageQuery = new URL(location.href).searchParams.get('q') || '';
  if (article) remember(article.getAttribute('data-id'));
  if (results || article) rememberSearch(pageQuery);
  updateEscalation(pageQuery || (input && input.value.trim()));

  var toc = document.querySelector('nav.toc details');
  if (toc && window.matchMedia && window.matchMedia('(max-width: 56rem)').matches)
    toc.open = false;

  var fb = document.getElementById('feedback-form');
  if (fb) {
    fb.addEventListener('submit', function (e) {
      e.preventDefault();
      var helpful = !!(e.submitter && e.submitter.value === 'yes');
      var status = document.getElementById('feedback-status');
      var payload = { article: fb.elements.article.value, helpful: helpful };
      var c = fb.elements.comment && fb.elements.comment.value.trim();
      if (c) payload.comment = c;
      if (fb.elements.query) payload.query = fb.elements.query.value;
      Array.prototype.forEach.call(fb.querySelectorAll('button'), function (b) { b.disabled = true; });
      fetch(BASE + '/api/feedback', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload)
      }).then(function (r) {
        status.textContent = r.ok ? (helpful ? 'Thanks for letting us know!' :
          'Thanks for your feedback. We\u2019ll use it to improve this article.') :
          'Sorry, your feedback could not be saved.';
      }).catch(function () {
        status.textContent = 'Sorry, your feedback could not be saved.';
      }).then(function () {
        fb.hidden = true;
        status.hidden = false;
        if (!helpful) {
          var esc = document.getElementById('escalate');
          if (esc) { esc.hidden = false; updateEscalation(pageQuery); }
        }
        status.setAttribute('tabindex', '-1');
        status.focus();
      });
    });
  }

  /* The contact page (docs/help-center.md): the hidden fields carry the
   * session's searches and articles viewed; suggestions follow the
   * subject and description as they are typed. */
  var cf = document.getElementById('contact-form');
  if (cf) {
    var searches = searched(), seen = viewed();
    if (searches.length) cf.elements.q.value = searches.join('\n');
    if (seen.length) cf.elements.articles.value = seen.join(',');
    var ctimer = 0, cinflight = null;
    var refresh = function () {
      var subj = cf.elements.subject.value.trim();
      var desc = cf.elements.description.value.trim();
      var sec = document.getElementById('deflect'), ul = document.getElementById('deflect-list');
      if (!subj && !desc) { sec.hidden = true; return; }
      if (cinflight) cinflight.abort();
      var ctl = cinflight = new AbortController();
      var params = new URLSearchParams({ subject: subj, description: desc.slice(0, 8000) });
      fetch(BASE + '/api/deflect?' + params, { signal: ctl.signal, headers: { Accept: 'application/json' } })
        .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
        .then(function (data) {
          if (ctl !== cinflight) return;
          cinflight = null;
          ul.textContent = '';
          data.hits.forEach(function (h, i) {
            var go = new URLSearchParams({ a: h.id, p: String(i + 1), src: 'contact' });
            if (subj) go.set('q', subj);
            var li = el('li');
            li.appendChild(el('a', { href: BASE + '/go?' + go }, h.title));
            ul.appendChild(li);
          });
          sec.hidden = !data.hits.length;
        })
        .catch(function (e) { if (e.name !== 'AbortError') cinflight = null; });
    };
    cf.addEventListener('input', function () {
      clearTimeout(ctimer);
      ctimer = setTimeout(refresh, 300);
    });
  }
})();
