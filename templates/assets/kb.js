/*
 * kb.js: the only script of the help site. No frameworks, no build step,
 * no network requests (the site must work from file://, so all data is in
 * the page or in script files that assign a global).
 *
 * Three independent parts, each a no-op on pages that lack its elements:
 *   1. Code search on the index page (#code-search, window.KB_SEARCH).
 *   2. Variant picker on code pages (#variant-picker + section.variant).
 *   3. Showfor on article pages (#variant-picker + .for[data-for]), a port of
 *      Kitsune's showfor.js matchesCriteria as implemented by the project in
 *      kb/conditions/predicate.py.
 *
 * The picker state is stored the way Kitsune stores it, so a link copied from
 * one page works on another: in the URL hash as "product:platform:versionslug"
 * (#firefox:mac:fx65) and in sessionStorage["showfor::persist"].
 */
(function () {
  'use strict';

  var PERSIST_KEY = 'showfor::persist';

  // Lets the stylesheet tell "script is running" from "no script".
  document.documentElement.classList.add('js');

  /* ---------------------------------------------------------------- utils */

  function byId(id) {
    return document.getElementById(id);
  }

  /** Parse an embedded <script type="application/json"> block, or null. */
  function readJSON(id) {
    var el = byId(id);
    if (!el) return null;
    try {
      return JSON.parse(el.textContent);
    } catch (e) {
      return null;
    }
  }

  // sessionStorage throws in some privacy modes and sandboxed frames.
  function storageGet() {
    try {
      return window.sessionStorage ? window.sessionStorage.getItem(PERSIST_KEY) : null;
    } catch (e) {
      return null;
    }
  }

  function storageSet(value) {
    try {
      if (window.sessionStorage) window.sessionStorage.setItem(PERSIST_KEY, value);
    } catch (e) { /* not available: the hash still carries the choice */ }
  }

  function isNumber(v) {
    return typeof v === 'number' && isFinite(v);
  }

  /* A version to look up: a number, or Infinity for "the newest". */
  function isVersion(v) {
    return typeof v === 'number' && !isNaN(v);
  }

  /** Python's format_version: 60 -> "60", 3.6 -> "3.6". */
  function formatVersion(v) {
    return String(v);
  }

  /** Python's parse_version: "60" -> 60, "3.6" -> 3.6, else null. */
  function parseVersion(text) {
    if (!/^\d+(?:\.\d+)?$/.test(text)) return null;
    return parseFloat(text);
  }

  /* ===================================================== 1. code search */

  function initSearch() {
    var input = byId('code-search');
    var list = byId('search-results');
    if (!input || !list) return;
    var area = byId('code-search-area');
    var form = byId('code-search-form');
    var status = byId('search-status');
    var empty = byId('search-empty');
    var emptyQuery = byId('search-empty-query');
    var root = document.body.getAttribute('data-root') || '';
    var MAX_RESULTS = 25;

    var entries = (Array.isArray(window.KB_SEARCH) ? window.KB_SEARCH : tableEntries())
      .filter(function (e) { return e && typeof e.code === 'string'; })
      .map(prepare);

    if (area) area.hidden = false;

    // The table is the fallback when search-index.js did not load.
    function tableEntries() {
      var rows = document.querySelectorAll('#codes-table tbody tr[data-code]');
      return Array.prototype.map.call(rows, function (row) {
        var link = row.querySelector('a');
        var cells = row.querySelectorAll('td');
        return {
          code: row.getAttribute('data-code'),
          value: parseInt(row.getAttribute('data-value'), 10),
          title: cells.length > 1 ? cells[1].textContent.trim() : '',
          summary: row.getAttribute('data-summary') || '',
          aliases: (row.getAttribute('data-aliases') || '').split(/\s+/).filter(Boolean),
          url: link ? link.getAttribute('href').slice(root.length) : ''
        };
      });
    }

    function words(text) {
      return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
    }

    function prepare(e) {
      var names = [e.code].concat(Array.isArray(e.aliases) ? e.aliases : [])
        .map(function (n) { return String(n).toUpperCase(); });
      return {
        entry: e,
        names: names,
        value: isNumber(e.value) ? e.value : null,
        titleWords: words(e.title || ''),
        summaryWords: words(e.summary || '')
      };
    }

    /* What in the query can name a code: a pasted "Error code: SEC_ERROR_X"
     * is reduced to its code-like token; "unknown issuer" becomes
     * "UNKNOWN_ISSUER" so it matches inside the code. */
    function codeQuery(q) {
      var tokens = q.match(/[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]*)+/g);
      if (tokens) {
        tokens.sort(function (a, b) { return b.length - a.length; });
        return tokens[0].toUpperCase();
      }
      return q.trim().toUpperCase().replace(/[\s\-]+/g, '_');
    }

    function hasWordPrefix(wordsList, w) {
      for (var i = 0; i < wordsList.length; i++) {
        if (wordsList[i].indexOf(w) === 0) return true;
      }
      return false;
    }

    /* Rank of one entry for the query: lower is better; null = no match.
     * Tiers: 0 exact code/alias, 1 code prefix, 2 code substring,
     * 3 value, 4 title/summary words. The fraction orders within a tier. */
    function rank(p, q) {
      var cq = codeQuery(q);
      var i, pos;
      if (cq) {
        if (p.names.indexOf(cq) >= 0) return 0;
        for (i = 0; i < p.names.length; i++) {
          if (p.names[i].indexOf(cq) === 0) return 1 + Math.min(p.names[i].length, 99) / 100;
        }
        var best = null;
        for (i = 0; i < p.names.length; i++) {
          pos = p.names[i].indexOf(cq);
          if (pos > 0) {
            // A match at the start of a segment (after "_") beats one inside a word.
            var score = (p.names[i].charAt(pos - 1) === '_' ? 0 : 0.5) + Math.min(pos, 49) / 100;
            if (best === null || score < best) best = score;
          }
        }
        if (best !== null) return 2 + best;
      }
      var num = q.replace(/\s+/g, '').replace(/^[\u2212\u2013]/, '-');
      if (p.value !== null && /^[-+]?\d+$/.test(num)) {
        var digits = num.replace(/^[-+]/, '');
        var abs = String(Math.abs(p.value));
        if (abs === digits) return 3;
        if (abs.indexOf(digits) === 0) return 3.5;
      }
      var qw = words(q);
      if (qw.length) {
        var inTitle = 0;
        for (i = 0; i < qw.length; i++) {
          var t = hasWordPrefix(p.titleWords, qw[i]);
          if (!t && !hasWordPrefix(p.summaryWords, qw[i])) return null;
          if (t) inTitle++;
        }
        return 4 + (qw.length - inTitle) / (qw.length + 1);
      }
      return null;
    }

    function search(q) {
      var found = [];
      entries.forEach(function (p, index) {
        var r = rank(p, q);
        if (r !== null) found.push({ p: p, r: r, index: index });
      });
      // Stable: equal ranks keep the registry's order.
      found.sort(function (a, b) { return a.r - b.r || a.index - b.index; });
      return found.map(function (f) { return f.p.entry; });
    }

    // Long codes wrap after underscores (<wbr>), as in the table.
    function appendBreakable(el, text) {
      text.split('_').forEach(function (part, i, parts) {
        el.appendChild(document.createTextNode(part + (i + 1 < parts.length ? '_' : '')));
        if (i + 1 < parts.length) el.appendChild(document.createElement('wbr'));
      });
    }

    function resultItem(e) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + (e.url || '');
      var code = document.createElement('code');
      code.className = 'result-code';
      appendBreakable(code, e.code);
      var title = document.createElement('span');
      title.className = 'result-title';
      title.textContent = e.title || '';
      a.appendChild(code);
      a.appendChild(title);
      li.appendChild(a);
      if (isNumber(e.value)) {
        var value = document.createElement('span');
        value.className = 'result-value num';
        value.textContent = String(e.value);
        li.appendChild(value);
      }
      return li;
    }

    function update() {
      var q = input.value.trim();
      list.textContent = '';
      if (!q) {
        list.hidden = true;
        if (empty) empty.hidden = true;
        if (status) status.textContent = '';
        return;
      }
      var found = search(q);
      found.slice(0, MAX_RESULTS).forEach(function (e) { list.appendChild(resultItem(e)); });
      list.hidden = found.length === 0;
      if (empty) {
        empty.hidden = found.length !== 0;
        if (emptyQuery) emptyQuery.textContent = q;
      }
      if (status) {
        status.textContent = found.length === 0 ? 'No code matches.'
          : found.length === 1 ? '1 code matches.' : found.length + ' codes match.';
      }
    }

    input.addEventListener('input', update);
    input.addEventListener('search', update);

    // Enter opens the best match; arrow keys move between results.
    if (form) {
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        update();
        var first = list.querySelector('a');
        if (first) window.location.href = first.href;
      });
    }
    function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowDown') {
        var all = links();
        if (all.length) { ev.preventDefault(); all[0].focus(); }
      }
    });
    list.addEventListener('keydown', function (ev) {
      var all = links();
      var i = all.indexOf(document.activeElement);
      if (i < 0) return;
      if (ev.key === 'ArrowDown' && i + 1 < all.length) { ev.preventDefault(); all[i + 1].focus(); }
      if (ev.key === 'ArrowUp') { ev.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
    });

    // ?q=… (a shared link, or the form submitted before the script ran).
    var m = /[?&]q=([^&#]*)/.exec(window.location.search);
    if (m) {
      try {
        input.value = decodeURIComponent(m[1].replace(/\+/g, ' '));
      } catch (e) { /* malformed escape: ignore */ }
    }
    if (input.value) update();
  }

  /* ============================================ shared: the picker state */

  /* Reader detection from the user agent, as Kitsune's BrowserDetect is used
   * by showfor: Firefox's major version, and the desktop OS. */
  function detectReader(ua) {
    var out = { firefox: false, version: null, platform: null };
    var mobile = /Android|iPhone|iPad|iPod|Mobile/.test(ua);
    var fx = /Firefox\/(\d+)/.exec(ua);
    if (fx && !mobile) {
      out.firefox = true;
      out.version = parseInt(fx[1], 10);
    }
    var win = /Windows NT (\d+\.\d+)/.exec(ua);
    if (win) {
      out.platform = {
        '10.0': 'win10', '6.3': 'win8', '6.2': 'win8', '6.1': 'win7',
        '6.0': 'win7', '5.2': 'winxp', '5.1': 'winxp'
      }[win[1]] || 'win10';
    } else if (/iPhone|iPad|iPod/.test(ua)) {
      out.platform = 'ios';
    } else if (/Android/.test(ua)) {
      out.platform = 'android';
    } else if (/Macintosh|Mac OS X/.test(ua)) {
      out.platform = 'mac';
    } else if (/Linux/.test(ua)) {
      out.platform = 'linux';
    }
    return out;
  }

  /**
   * The Version + OS form shared by code and article pages.
   * data: {product: {slug, short, name}, versions: [{label, low, high}]
   * (newest first), platforms: [{slug, name}], last_version, initial:
   * {version, platform}}. onChange(reader) is called with
   * {product, version, platform, label} whenever the choice changes.
   */
  function Picker(form, data, onChange) {
    this.form = form;
    this.data = data;
    this.onChange = onChange;
    this.versionSelect = byId('pick-version');
    this.osSelect = byId('pick-os');
    this.versions = Array.isArray(data.versions) ? data.versions : [];
    this.platforms = Array.isArray(data.platforms) ? data.platforms : [];
    this.product = data.product || { slug: 'firefox', short: 'fx', name: 'Firefox' };
    this.state = { range: this.versions.length ? 0 : -1, platform: null };
  }

  /* The range a version falls in. Outside every range: above → the newest
   * (as Kitsune's ensureSelect picks the highest option), below → the
   * oldest, in a gap → the range just below. */
  Picker.prototype.rangeFor = function (v) {
    var vs = this.versions;
    if (!vs.length) return -1;
    if (!isVersion(v)) return 0;
    var i, best = -1, bestLow = -Infinity, newest = 0, oldest = 0;
    for (i = 0; i < vs.length; i++) {
      var low = isNumber(vs[i].low) ? vs[i].low : -Infinity;
      var high = isNumber(vs[i].high) ? vs[i].high : Infinity;
      if (low <= v && v <= high) return i;
      if (low <= v && low > bestLow) { best = i; bestLow = low; }
      if (high > (isNumber(vs[newest].high) ? vs[newest].high : Infinity)) newest = i;
      if (low < (isNumber(vs[oldest].low) ? vs[oldest].low : -Infinity)) oldest = i;
    }
    var top = isNumber(vs[newest].high) ? vs[newest].high : Infinity;
    if (v > top) return newest;
    return best >= 0 ? best : oldest;
  };

  Picker.prototype.hasPlatform = function (slug) {
    return this.platforms.some(function (p) { return p.slug === slug; });
  };

  Picker.prototype.platformName = function (slug) {
    for (var i = 0; i < this.platforms.length; i++) {
      if (this.platforms[i].slug === slug) return this.platforms[i].name;
    }
    return slug || '';
  };

  /* Read "firefox:mac:fx60" (several products joined by "&", as Kitsune
   * writes them). Returns {platform, version} for this page's product, or
   * null when the text says nothing about it. */
  Picker.prototype.parsePersisted = function (text) {
    if (!text || text.indexOf(':') < 0) return null;
    var parts = text.split('&');
    for (var i = 0; i < parts.length; i++) {
      var bits = parts[i].split(':');
      var product;
      try {
        product = decodeURIComponent(bits[0] || '');
      } catch (e) {
        continue;
      }
      if (product !== this.product.slug) continue;
      var version = null;
      var slug = bits[2] || '';
      var short = this.product.short || '';
      if (slug && slug.indexOf(short) === 0) version = parseVersion(slug.slice(short.length));
      return { platform: bits[1] || null, version: version };
    }
    return null;
  };

  Picker.prototype.applyChoice = function (choice) {
    if (choice.platform && this.hasPlatform(choice.platform)) this.state.platform = choice.platform;
    if (isVersion(choice.version)) this.state.range = this.rangeFor(choice.version);
  };

  Picker.prototype.persistedText = function () {
    var range = this.versions[this.state.range];
    var ver = range && isNumber(range.high) ? (this.product.short || '') + formatVersion(range.high) : '';
    return this.product.slug + ':' + (this.state.platform || '') + ':' + ver;
  };

  /* Initial choice: URL hash, then sessionStorage, then the user agent
   * (over the page's default), as Kitsune's updateUI. */
  Picker.prototype.restore = function () {
    var initial = this.data.initial || {};
    this.state.platform = initial.platform && this.hasPlatform(initial.platform)
      ? initial.platform : (this.platforms[0] ? this.platforms[0].slug : null);
    this.state.range = this.rangeFor(isNumber(initial.version) ? initial.version : Infinity);

    var fromHash = this.parsePersisted(window.location.hash.slice(1));
    if (fromHash) {
      this.applyChoice(fromHash);
      // An explicit choice: keep it for the reader's next pages too.
      storageSet(this.persistedText());
      return 'hash';
    }
    var fromStorage = this.parsePersisted(storageGet());
    if (fromStorage) {
      this.applyChoice(fromStorage);
      return 'storage';
    }
    var ua = detectReader(navigator.userAgent || '');
    // Not (desktop) Firefox, or a page about another product: the newest
    // version, which is what the article's current layout describes.
    var ownVersion = ua.firefox && this.product.slug === 'firefox';
    this.applyChoice({
      platform: ua.platform,
      version: ownVersion ? ua.version : Infinity
    });
    return 'agent';
  };

  Picker.prototype.syncForm = function () {
    if (this.versionSelect && this.state.range >= 0) this.versionSelect.value = String(this.state.range);
    if (this.osSelect && this.state.platform) this.osSelect.value = this.state.platform;
  };

  Picker.prototype.readForm = function () {
    if (this.versionSelect) {
      var i = parseInt(this.versionSelect.value, 10);
      if (i >= 0 && i < this.versions.length) this.state.range = i;
    }
    if (this.osSelect && this.hasPlatform(this.osSelect.value)) this.state.platform = this.osSelect.value;
  };

  Picker.prototype.reader = function () {
    var range = this.versions[this.state.range];
    var label = range ? range.label : (this.product.name || '');
    if (this.state.platform) label += ' on ' + this.platformName(this.state.platform);
    return {
      product: this.product.slug,
      version: range && isNumber(range.high) ? range.high : null,
      platform: this.state.platform,
      label: label
    };
  };

  Picker.prototype.persist = function () {
    var text = this.persistedText();
    var hash = window.location.hash;
    // A plain "#section" anchor is the reader's, not ours: leave it.
    if (hash === '' || hash === '#' || hash.indexOf(':') >= 0) {
      try {
        // replaceState: no new history entry, no scroll jump, no hashchange.
        history.replaceState(history.state, '', '#' + text);
      } catch (e) {
        try { window.location.replace('#' + text); } catch (e2) { /* give up */ }
      }
    }
    storageSet(text);
  };

  Picker.prototype.start = function () {
    var self = this;
    this.restore();
    this.syncForm();
    this.form.hidden = false;
    this.onChange(this.reader());
    this.form.addEventListener('change', function () {
      self.readForm();
      self.onChange(self.reader());
      self.persist();
    });
    // The form never submits: changes apply instantly.
    this.form.addEventListener('submit', function (ev) { ev.preventDefault(); });
    // Back/forward or an edited address bar with a showfor hash.
    window.addEventListener('hashchange', function () {
      var choice = self.parsePersisted(window.location.hash.slice(1));
      if (!choice) return;
      self.applyChoice(choice);
      self.syncForm();
      self.onChange(self.reader());
      storageSet(self.persistedText());
    });
  };

  /* ================================================ 2. code-page variants */

  /* Whether a variant's spans contain the reader: low <= v <= high (null
   * bounds are open) and the platform is listed. */
  function spanContains(span, version, platform) {
    if (!span) return false;
    var platforms = Array.isArray(span.platforms) ? span.platforms : [];
    if (platforms.indexOf(platform) < 0) return false;
    if (!isNumber(version)) return true;
    if (isNumber(span.low) && version < span.low) return false;
    if (isNumber(span.high) && version > span.high) return false;
    return true;
  }

  function initCodePage(form, data) {
    var sections = Array.prototype.slice.call(document.querySelectorAll('section.variant[data-variant]'));
    if (!sections.length) return;
    var variants = Array.isArray(data.variants) ? data.variants : [];
    var label = byId('variant-label');

    function pick(reader) {
      for (var i = 0; i < variants.length; i++) {
        var spans = Array.isArray(variants[i].spans) ? variants[i].spans : [];
        for (var j = 0; j < spans.length; j++) {
          if (spanContains(spans[j], reader.version, reader.platform)) return variants[i];
        }
      }
      return null;
    }

    function show(reader) {
      var v = pick(reader);
      var slug = v ? v.slug : data.default_variant;
      var shown = null;
      sections.forEach(function (s) {
        var on = s.getAttribute('data-variant') === slug;
        s.hidden = !on;
        if (on) shown = s;
      });
      if (!shown) { // an unknown default: keep one section visible
        sections[0].hidden = false;
        shown = sections[0];
      }
      if (label) {
        var text = v ? v.label : (shown.getAttribute('data-label') || '');
        label.textContent = 'Showing: ' + text;
      }
    }

    var defaultVariant = null;
    variants.forEach(function (v) { if (v.slug === data.default_variant) defaultVariant = v; });
    data.initial = defaultVariant && defaultVariant.representative ? defaultVariant.representative : {};
    new Picker(form, data, show).start();
  }

  /* ========================================== 3. article-page showfor */

  /**
   * Kitsune's matchesCriteria, ported from kb/conditions/predicate.py.
   * cfg: {products: [{slug, short, name}], platforms: [{slug, name}],
   * groups: {name: [platform slugs]}, versions: {product slug: {first,
   * last, list}}} (list is null for the integers first..last).
   */
  function ShowFor(cfg) {
    var self = this;
    this.bySlug = {};
    this.byShort = {};
    (cfg.products || []).forEach(function (p) {
      self.bySlug[p.slug] = p;
      self.byShort[p.short || p.slug] = p;
    });
    this.platforms = {};
    (cfg.platforms || []).forEach(function (p) { self.platforms[p.slug || p] = true; });
    this.groups = cfg.groups || {};
    this.versions = cfg.versions || {};
    this.cache = {};
  }

  /* The product's versions as an object with contains/nextAfter/bounds. */
  ShowFor.prototype.versionLine = function (productSlug) {
    var v = this.versions[productSlug];
    if (!v) return null;
    var list = Array.isArray(v.list) ? v.list.slice().sort(function (a, b) { return a - b; }) : null;
    if (list) {
      return {
        first: list.length ? list[0] : null,
        last: list.length ? list[list.length - 1] : null,
        contains: function (x) { return list.indexOf(x) >= 0; },
        nextAfter: function (x) {
          for (var i = 0; i < list.length; i++) if (list[i] > x) return list[i];
          return null;
        },
        bounds: function (x) {
          var i = list.indexOf(x);
          return [list[i], i + 1 < list.length ? list[i + 1] : list[i] + 1];
        }
      };
    }
    var lo = v.first, hi = v.last;
    if (!isNumber(lo) || !isNumber(hi)) return null;
    return {
      first: lo,
      last: hi,
      contains: function (x) { return isNumber(x) && lo <= x && x <= hi && Math.floor(x) === x; },
      nextAfter: function (x) {
        var n = x < lo ? lo : Math.floor(x) + 1;
        return n <= hi ? n : null;
      },
      bounds: function (x) { return [x, x + 1]; }
    };
  };

  /* "fx66" -> {product, version} when 66 is a configured version of the
   * product whose short slug is "fx"; only the canonical spelling counts. */
  ShowFor.prototype.versionSlug = function (name) {
    var m = /^(.*[^\d.])(\d[\d.]*)$/.exec(name);
    if (!m) return null;
    var product = this.byShort[m[1]];
    var version = parseVersion(m[2]);
    if (!product || version === null || formatVersion(version) !== m[2]) return null;
    var line = this.versionLine(product.slug);
    return line && line.contains(version) ? { product: product.slug, version: version } : null;
  };

  /* One term, as predicate.Term.parse + resolve_term. */
  ShowFor.prototype.resolveTerm = function (text) {
    var negated = text.indexOf('not') === 0;
    var body = text;
    if (negated) {
      body = body.slice(3);
      if (body.charAt(0) === ' ') body = body.slice(1); // /^not ?/: one space only
    }
    var exact = body.charAt(0) === '=';
    var name = exact ? body.slice(1) : body;
    if (!exact && this.byShort[name]) name = this.byShort[name].slug;
    var t = { negated: negated, exact: exact, kind: 'unknown' };
    if (Object.prototype.hasOwnProperty.call(this.bySlug, name)) {
      t.kind = 'product';
      t.product = name;
      return t;
    }
    var ver = this.versionSlug(name);
    if (ver) {
      t.kind = 'version';
      t.product = ver.product;
      t.version = ver.version;
      return t;
    }
    if (Object.prototype.hasOwnProperty.call(this.platforms, name)) {
      t.kind = 'platform';
      t.platforms = [name];
      return t;
    }
    if (Object.prototype.hasOwnProperty.call(this.groups, name) && Array.isArray(this.groups[name])) {
      t.kind = 'group';
      t.platforms = this.groups[name];
    }
    return t;
  };

  /* Split on commas (/\s*,\s*\/), trim, drop empty terms; cached. */
  ShowFor.prototype.parse = function (text) {
    if (!Object.prototype.hasOwnProperty.call(this.cache, text)) {
      var self = this;
      this.cache[text] = text.split(/\s*,\s*/)
        .map(function (s) { return s.trim(); })
        .filter(Boolean)
        .map(function (s) { return self.resolveTerm(s); });
    }
    return this.cache[text];
  };

  /* The reader's [min, max) version range (Versions.span). */
  ShowFor.prototype.readerSpan = function (reader) {
    if (!this.bySlug[reader.product]) return [null, null];
    var line = this.versionLine(reader.product);
    if (!line) return [null, null];
    var v = isNumber(reader.version) ? reader.version : line.last;
    if (!isNumber(v)) return [null, null];
    if (line.contains(v)) return line.bounds(v);
    var following = line.nextAfter(v);
    return [v, following !== null ? following : v + 1];
  };

  /* (no product terms, or one matched) and (no platform terms, or one matched). */
  ShowFor.prototype.matches = function (text, reader) {
    var terms = this.parse(text || '');
    var hasProduct = false, matchProduct = false, hasPlatform = false, matchPlatform = false;
    var span = null;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      if (t.kind === 'product') {
        hasProduct = true;
        if ((reader.product === t.product) !== t.negated) matchProduct = true;
      } else if (t.kind === 'version') {
        hasProduct = true;
        var right = false;
        if (reader.product === t.product) { // showfor's "enabled"
          if (span === null) span = this.readerSpan(reader);
          var low = span[0], high = span[1];
          if (high !== null) right = t.exact ? (low <= t.version && t.version < high) : t.version < high;
        }
        if (right !== t.negated) matchProduct = true;
      } else if (t.kind === 'platform' || t.kind === 'group') {
        hasPlatform = true;
        if ((t.platforms.indexOf(reader.platform) >= 0) !== t.negated) matchPlatform = true;
      }
    }
    return (!hasProduct || matchProduct) && (!hasPlatform || matchPlatform);
  };

  function initArticlePage(form, data) {
    var body = byId('article-body') || document.body;
    var showfor = new ShowFor(data.showfor || {});
    var label = byId('variant-label');
    var fors = Array.prototype.slice.call(body.querySelectorAll('.for'));

    /* TOC entries whose heading sits inside {for} blocks carry those
     * predicates (Kitsune wraps them in span.for; recording them on the
     * entry does the same without invalid <span> children of <ul>). */
    var tocEntries = [];
    Array.prototype.forEach.call(document.querySelectorAll('#toc a[href^="#"]'), function (a) {
      var id;
      try {
        id = decodeURIComponent(a.getAttribute('href').slice(1));
      } catch (e) {
        return;
      }
      var target = id ? document.getElementById(id) : null;
      var preds = [];
      for (var el = target; el && el !== document.body; el = el.parentElement) {
        if (el.classList && el.classList.contains('for')) preds.push(el.getAttribute('data-for') || '');
      }
      if (preds.length && a.parentNode) tocEntries.push({ el: a.parentNode, preds: preds });
    });

    function show(reader) {
      fors.forEach(function (el) {
        var text = el.getAttribute('data-for');
        el.hidden = text ? !showfor.matches(text, reader) : false;
      });
      tocEntries.forEach(function (entry) {
        entry.el.hidden = !entry.preds.every(function (p) { return showfor.matches(p, reader); });
      });
      if (label) label.textContent = 'Showing: ' + reader.label;
    }

    var picker = data.picker || {};
    picker.initial = picker.initial || {};
    new Picker(form, picker, show).start();
  }

  function initPicker() {
    var form = byId('variant-picker');
    if (!form) return;
    var data = readJSON('kb-page-data');
    if (!data) return;
    if (data.kind === 'article') initArticlePage(form, data);
    else initCodePage(form, data);
  }

  /* ------------------------------------------------------------ videos */

  // A video is a poster linking to its player on the privacy-enhanced
  // host; nothing is loaded from there until the reader clicks it. Then the
  // player takes the poster's place (without a script, the link opens it).
  function initVideos() {
    var posters = document.querySelectorAll('a.video-poster');
    Array.prototype.forEach.call(posters, function (poster) {
      poster.addEventListener('click', function (ev) {
        if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
        ev.preventDefault();
        var frame = document.createElement('iframe');
        frame.src = poster.href + '?autoplay=1';
        frame.title = poster.textContent;
        frame.setAttribute('allow', 'autoplay; fullscreen; picture-in-picture');
        frame.setAttribute('allowfullscreen', '');
        poster.parentNode.replaceChild(frame, poster);
        frame.focus();
      });
    });
  }

  /* ------------------------------------------------------------- start */

  function start() {
    // Each part guards itself; one failing must not stop the others.
    [initSearch, initPicker, initVideos].forEach(function (fn) {
      try {
        fn();
      } catch (e) {
        if (window.console && console.warn) console.warn('kb.js:', e);
      }
    });
  }

  // Expose the pure pieces for tests and debugging.
  window.KB = { ShowFor: ShowFor, detectReader: detectReader, spanContains: spanContains };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
