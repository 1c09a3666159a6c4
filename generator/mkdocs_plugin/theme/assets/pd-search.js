/* Search in Material's header, answered by the site's own static index (generator/publish/search_index.py, format
   version 2). Chinese text is indexed as overlapping two-character terms and the query is split the same way, so
   any run of two or more characters is found wherever it stands inside a word.

   Ranking, as generator/publish/search_query.py does it in Python (the tests compare the two):
   - the results are the pages holding every required term of the query (queryTerms); ranking orders them and
     never drops one;
   - a page's score adds, for each query term it holds, the term's level on that page (the index stores it: field
     weights — project name, organisations and indicator names above the other text — and how often) times the
     term's rarity (idf);
   - the texts of the first results (those shown and LOOKAHEAD more) are fetched: a page holding the exact
     phrase moves ahead of one holding only its pieces, and each result shows an excerpt around its best match
     with the query marked. 更多结果 shows SHOWN more, checking LOOKAHEAD further pages; shown results stay put.
   - the results can be filtered by year, department and grade (the index's "facets", counted over the results).
   A query loads the manifest, one shard per term and the pages of the first results — nothing else.
   The editor guide has an index of its own (search/help/), searched only when the visitor ticks
   "包括编辑帮助页面"; its results follow the public ones.

   Links to results carry the query (?h=…): on the target page the query is marked in the article and the page
   scrolls to the first mark. While the search is open the address holds it (?search=…&year=…&dept=…&grade=…, by
   history.replaceState), so that the link can be shared and a reload shows the same results; closing the search
   puts the address back. Starts on Material's document$ (which also reports navigation.instant's page swaps,
   where the header and this box stay) when present, otherwise when the page has loaded. */
(function () {
  "use strict";
  var SHOWN = 10;  // search_query.SHOWN
  var LOOKAHEAD = 10;  // search_query.LOOKAHEAD
  var FACETS = ["year", "department", "grade"];
  var FACET_PARAMS = { year: "year", department: "dept", grade: "grade" };  // in the address
  var FACET_LABELS = { year: "年度", department: "主管部门", grade: "等级" };
  var CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var TOKENS = new RegExp("[" + CJK + "]+|[A-Za-z0-9]+(?:\\.[0-9]+)?", "g");
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  // ---------------------------------------------------------------- pure functions (window.pdSearch, for the tests)

  // FNV-1a over the UTF-8 bytes, as in search_index.fnv1a.
  function fnv1a(term) {
    var bytes = new TextEncoder().encode(term);
    var h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  function unique(list) { return list.filter(function (t, i) { return list.indexOf(t) === i; }); }

  /* search_text.query_terms: Chinese runs as pairs; a single character or a Latin word at the query's start or end
     may be cut off from a longer run or word in the text, so it is not required (Latin ones are optional: they
     raise the rank of the pages that have them). */
  function queryTerms(query) {
    var q = query.trim();
    var required = [], optional = [], singles = false, m;
    TOKENS.lastIndex = 0;
    while ((m = TOKENS.exec(q)) !== null) {
      var tok = m[0], start = m.index, end = start + tok.length;
      var latin = tok.charCodeAt(0) < 0x80;
      var openStart = start === 0 || (latin && start === 1 && q.charAt(0) === ".");
      var openEnd = end === q.length || (latin && end === q.length - 1 && q.charAt(end) === ".");
      if (latin) (openStart || openEnd ? optional : required).push(tok.toLowerCase());
      else if (tok.length === 1) { if (openStart || openEnd) singles = true; else required.push(tok); }
      else for (var i = 0; i + 1 < tok.length; i++) required.push(tok.slice(i, i + 2));
    }
    required = unique(required);
    optional = unique(optional).filter(function (t) { return required.indexOf(t) < 0; });
    if (!required.length && optional.length) { required = optional; optional = []; }
    return { required: required, optional: optional, tooShort: !required.length && singles };
  }

  function normalize(text) { return text.toLowerCase().split(/\s+/).filter(Boolean).join(" "); }

  // search_text.phrase_level: 2 the exact phrase, 1 each of its words, 0 only scattered pieces.
  function phraseLevel(query, text) {
    var q = normalize(query), t = normalize(text);
    if (q && t.indexOf(q) >= 0) return 2;
    var words = q.split(" ");
    return words.length > 1 && words.every(function (w) { return t.indexOf(w) >= 0; }) ? 1 : 0;
  }

  // search_query.idf: 1, plus one for each halving from the document count down to df.
  function idf(df, docs) { var out = 1, x = df; while (x * 2 <= docs) { x *= 2; out++; } return out; }

  // search_index.decode_set: base-36 deltas, "*" and a bitmap, or "" for all of the universe.
  function decodeSet(text, universe) {
    var out = [], i, acc = 0;
    if (!text) { for (i = 0; i < universe; i++) out.push(i); return out; }
    if (text.charAt(0) === "*") {
      for (i = 1; i < text.length; i++) {
        var v = B64.indexOf(text.charAt(i));
        for (var bit = 0; bit < 6; bit++) if ((v >> bit) & 1) { var p = (i - 1) * 6 + bit; if (p < universe) out.push(p); }
      }
      return out;
    }
    text.split(",").forEach(function (part) { if (part) { acc += parseInt(part, 36); out.push(acc); } });
    return out;
  }

  // search_index.decode_postings: {ids, levels} of a term's line (after the tab).
  function decodePostings(text, docs) {
    var parts = text.split(";");
    var ids = decodeSet(parts[0], docs);
    var levels = new Uint8Array(ids.length).fill(1);
    var members = ids.map(function (_, i) { return i; });
    for (var k = 1; k < parts.length; k++) {
      var within = decodeSet(parts[k], members.length);
      members = within.map(function (i) { return members[i]; });
      for (var j = 0; j < members.length; j++) levels[members[j]] = k + 1;
    }
    return { ids: ids, levels: levels };
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  /* search_query.ranked: [{id, score}] of the pages holding every required term, best first (equal scores in the
     index's order). `lists` are decoded postings, the required terms' first. */
  function rank(lists, requiredCount, docs) {
    if (!requiredCount) return [];
    var found = lists.slice(0, requiredCount).map(function (l) { return l.ids; })
      .sort(function (a, b) { return a.length - b.length; }).reduce(intersect);
    var scores = found.map(function () { return 0; });
    lists.forEach(function (l) {
      if (!l.ids.length) return;
      var w = idf(l.ids.length, docs), i = 0, j = 0;
      while (i < found.length && j < l.ids.length) {
        if (found[i] === l.ids[j]) { scores[i] += w * l.levels[j]; i++; j++; } else if (found[i] < l.ids[j]) i++; else j++;
      }
    });
    return found.map(function (id, i) { return { id: id, score: scores[i] }; })
      .sort(function (a, b) { return b.score - a.score || a.id - b.id; });
  }

  /* The filter values of every document, from the manifest's runs: {year: Int16Array of codes, …}. */
  function facetCodes(manifest) {
    var f = manifest.facets || { runs: [] }, out = {}, at = 0;
    FACETS.forEach(function (name) { out[name] = new Int16Array(manifest.docs).fill(-1); });
    for (var r = 0; r + 3 < f.runs.length; r += 4) {
      for (var k = 0; k < f.runs[r]; k++, at++) {
        FACETS.forEach(function (name, i) { out[name][at] = f.runs[r + 1 + i]; });
      }
    }
    return out;
  }

  /* One index (search/ or search/help/) over `get(path) → Promise of text`: its manifest, postings and pages. */
  function Index(get) {
    var cache = {};
    function text(path) { if (!cache[path]) cache[path] = get(path); return cache[path]; }
    var manifest = null, codes = null;
    function loadManifest() { if (!manifest) manifest = text("manifest.json").then(JSON.parse); return manifest; }
    function postings(term, m) {
      return text("t/" + (fnv1a(term) % m.shards) + ".txt").then(function (shard) {
        var start = shard.indexOf(term + "\t");
        while (start > 0 && shard.charAt(start - 1) !== "\n") start = shard.indexOf(term + "\t", start + 1);
        if (start < 0) return { ids: [], levels: [] };
        var end = shard.indexOf("\n", start);
        return decodePostings(shard.slice(start + term.length + 1, end < 0 ? undefined : end), m.docs);
      });
    }
    // The ranked results of the query's terms, with the manifest and the documents' filter values.
    function query(terms) {
      return loadManifest().then(function (m) {
        var all = terms.required.concat(terms.optional);
        return Promise.all(all.map(function (t) { return postings(t, m); })).then(function (lists) {
          if (!codes) codes = facetCodes(m);
          return { ranked: rank(lists, terms.required.length, m.docs), manifest: m, codes: codes };
        });
      });
    }
    function page(id) { return text("p/" + id + ".json").then(JSON.parse); }
    return { manifest: loadManifest, query: query, page: page };
  }

  /* search_query.Session: the results of one query as the visitor pages through them. `order` is rank()'s list
     (filtered); more(n) gives the next n as [{id, score, phrase, page}]. */
  function Session(index, query, order) {
    var shown = 0, checked = 0, pool = [];
    function more(n) {
      var until = Math.min(order.length, shown + n + LOOKAHEAD);
      var fresh = order.slice(checked, until);
      checked = Math.max(checked, until);
      return Promise.all(fresh.map(function (r) {
        return index.page(r.id).then(function (page) {
          var text = page.f.map(function (f) { return f[1]; }).filter(Boolean).join(" ");
          return { id: r.id, score: r.score, phrase: phraseLevel(query, text), page: page };
        });
      })).then(function (checkedNow) {
        pool = pool.concat(checkedNow).sort(function (a, b) {
          return b.phrase - a.phrase || b.score - a.score || a.id - b.id;
        });
        var taken = pool.slice(0, n);
        pool = pool.slice(n);
        shown += taken.length;
        return taken;
      });
    }
    return { more: more, total: order.length, remaining: function () { return order.length - shown; } };
  }

  /* What to mark for a query in a text: the exact phrase if the text has it, else the query's words it has, else
     the query's two-character terms (lowercased patterns, longest first). */
  function patterns(query, terms, text, wholeOnly) {
    var lower = normalize(text), q = normalize(query);
    if (q && lower.indexOf(q) >= 0) return [q];
    var words = q.split(" ").filter(function (w) { return w && lower.indexOf(w) >= 0; });
    if (words.length) return words.sort(function (a, b) { return b.length - a.length; });
    if (wholeOnly) return [];
    return terms.required.concat(terms.optional).filter(function (t) { return lower.indexOf(t) >= 0; });
  }

  // [[start, end], …] of the patterns' occurrences in `text`, left to right, not overlapping.
  function matches(text, pats) {
    var lower = text.toLowerCase(), out = [], at = 0;
    while (pats.length) {
      var best = -1, len = 0;
      pats.forEach(function (p) {
        var i = lower.indexOf(p, at);
        if (i >= 0 && (best < 0 || i < best || (i === best && p.length > len))) { best = i; len = p.length; }
      });
      if (best < 0) break;
      out.push([best, best + len]);
      at = best + len;
    }
    return out;
  }

  /* The excerpt of a result: up to ~130 characters around its best match — in the narrative and other text when
     that holds the match, else in the indicator names or organisations (not the title, shown above it). */
  function excerpt(fields, query, terms) {
    var join = function (names) {
      return fields.filter(function (f) { return names.indexOf(f[0]) >= 0; }).map(function (f) { return f[1]; })
        .filter(Boolean).join(" ");
    };
    var all = join(["org", "indicator", "text"]);
    var pats = patterns(query, terms, all);
    var text = join(["text"]);
    var found = matches(text, pats);
    if (!found.length) { text = all; found = matches(text, pats); }
    if (!found.length) return null;
    // The best match: the window of text holding the most marks, starting a little before a match.
    var best = 0, bestCount = 0;
    found.forEach(function (m, i) {
      var count = 0;
      for (var j = i; j < found.length && found[j][1] <= m[0] + 100; j++) count++;
      if (count > bestCount) { best = i; bestCount = count; }
    });
    // Start at the beginning of the match's sentence (or clause) when it is near, else 30 characters before it.
    var at = found[best][0], start = Math.max(0, at - 30);
    for (var k = at - 1; k >= Math.max(0, at - 40); k--) {
      if (/[。！？；;!?]/.test(text.charAt(k))) { start = k + 1; break; }
    }
    while (start < at && text.charAt(start) === " ") start++;
    var end = Math.min(text.length, start + 130);
    var piece = text.slice(start, end);
    return { text: (start > 0 ? "…" : "") + piece + (end < text.length ? "…" : ""), marks: matches(piece, pats).map(
      function (m) { var shift = start > 0 ? 1 : 0; return [m[0] + shift, m[1] + shift]; }) };
  }

  // Text with <mark>s, as DOM nodes appended to el (never as HTML: the text is the records').
  function fillMarked(el, text, marks) {
    var at = 0;
    marks.forEach(function (m) {
      if (m[0] > at) el.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      el.appendChild(mark);
      at = m[1];
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
    return el;
  }

  window.pdSearch = {
    queryTerms: queryTerms, phraseLevel: phraseLevel, idf: idf, decodePostings: decodePostings, rank: rank,
    Index: Index, Session: Session, excerpt: excerpt, facetCodes: facetCodes
  };

  // ---------------------------------------------------------------- the search box

  function fetcher(base, folder) {
    return function (path) {
      return fetch(base + folder + path).then(function (r) {
        if (!r.ok) throw new Error(folder + path + " " + r.status);
        return r.text();
      });
    };
  }

  function setup(root) {
    var input = root.querySelector("[data-pd-search-input]");
    var list = root.querySelector("[data-pd-search-results]");
    var meta = root.querySelector("[data-pd-search-meta]");
    var helpOption = root.querySelector("[data-pd-search-help-option]");
    var helpBox = root.querySelector("[data-pd-search-help]");
    var facetBox = root.querySelector("[data-pd-search-facets]");
    var moreButton = root.querySelector("[data-pd-search-more]");
    var toggle = document.getElementById("__search");
    var base = new URL(root.getAttribute("data-pd-base") || ".", document.baseURI).href.replace(/\/?$/, "/");
    var pages = Index(fetcher(base, "search/"));
    var help = Index(fetcher(base, "search/help/"));
    var timer = null;
    var seq = 0;
    var chosen = {};  // the filters: facet name → value
    var state = null;  // the current query's results: {query, terms, found, sessions, …}
    var savedAddress = null;  // the address before the search wrote its own (put back when it closes)
    // On the guide's own pages its help pages are searched from the start.
    if (helpBox && window.location.href.indexOf(base + "guide/") === 0) helpBox.checked = true;

    function loadManifest() {
      return pages.manifest().then(function (m) {
        if (helpOption && m.help > 0) helpOption.hidden = false;
        return m;
      });
    }

    function open() { if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); } }
    function close() { if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); } }
    function text(el, value) { el.textContent = value; return el; }

    // ---- the address: ?search=…&year=…&dept=…&grade=… while the search shows results
    function writeAddress(query) {
      if (savedAddress === null) savedAddress = { path: location.pathname, search: location.search };
      var params = new URLSearchParams();
      if (query) {
        params.set("search", query);
        FACETS.forEach(function (f) { if (chosen[f]) params.set(FACET_PARAMS[f], chosen[f]); });
      }
      var qs = params.toString();
      history.replaceState(history.state, "", location.pathname + (qs ? "?" + qs : savedAddress.search) + location.hash);
    }
    function restoreAddress() {
      if (savedAddress && savedAddress.path === location.pathname) {
        history.replaceState(history.state, "", location.pathname + savedAddress.search + location.hash);
      }
      savedAddress = null;
    }
    if (toggle) toggle.addEventListener("change", function () { if (!toggle.checked) restoreAddress(); });

    // ---- results
    function resultItem(r, query, terms) {
      var li = document.createElement("li");
      li.className = "md-search-result__item";
      var a = document.createElement("a");
      a.className = "md-search-result__link";
      a.href = base + r.page.u + "?h=" + encodeURIComponent(query);
      var article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      var h = document.createElement("h1");
      fillMarked(h, r.page.t, matches(r.page.t, patterns(query, terms, r.page.t, true)));  // the phrase or words only
      if (r.help) text(h.appendChild(document.createElement("span")), "编辑帮助").className = "pd-search-help-tag";
      var summary = text(document.createElement("p"), r.page.s);
      summary.className = "pd-search-summary";
      article.appendChild(h);
      article.appendChild(summary);
      var ex = excerpt(r.page.f, query, terms);
      if (ex) {
        var p = fillMarked(document.createElement("p"), ex.text, ex.marks);
        p.className = "pd-search-excerpt";
        article.appendChild(p);
      }
      a.appendChild(article); li.appendChild(a);
      return li;
    }

    function showMeta() {
      var shown = list.children.length, total = state.total;
      text(meta, "找到 " + total + " 个结果" + (total > shown ? "，显示前 " + shown + " 个" : ""));
      moreButton.hidden = shown >= total;
    }

    // The next SHOWN results: from the public pages' session, then the help pages'.
    function showMore(mine) {
      var s = state, want = SHOWN, got = [];
      function step(i) {
        if (i >= s.sessions.length || want <= 0) return Promise.resolve();
        if (s.sessions[i].remaining() <= 0) return step(i + 1);
        return s.sessions[i].more(want).then(function (rows) {
          rows.forEach(function (r) { r.help = s.sessions[i].help; });
          got = got.concat(rows); want -= rows.length;
          return step(i + 1);
        });
      }
      return step(0).then(function () {
        if (mine !== seq) return;
        got.forEach(function (r) { list.appendChild(resultItem(r, s.query, s.terms)); });
        showMeta();
      });
    }

    // Counts of each filter's values among the results (with the other filters applied), as <select>s.
    function showFacets() {
      var s = state, codes = s.found.codes, f = s.found.manifest.facets;
      facetBox.innerHTML = "";
      var any = s.found.ranked.some(function (r) { return codes.year[r.id] >= 0; });
      facetBox.hidden = !any;
      if (!any) return;
      FACETS.forEach(function (name) {
        var counts = {}, total = 0;
        s.found.ranked.forEach(function (r) {
          var ok = FACETS.every(function (o) {
            return o === name || !chosen[o] || f[o][codes[o][r.id]] === chosen[o];
          });
          var c = codes[name][r.id];
          if (ok && c >= 0) { counts[c] = (counts[c] || 0) + 1; total++; }
        });
        var label = document.createElement("label");
        label.appendChild(document.createTextNode(FACET_LABELS[name] + " "));
        var select = document.createElement("select");
        select.setAttribute("data-pd-facet", name);
        var all = text(document.createElement("option"), "全部（" + total + "）");
        all.value = "";
        select.appendChild(all);
        f[name].forEach(function (value, code) {
          if (!counts[code] && value !== chosen[name]) return;
          var o = text(document.createElement("option"), value + "（" + (counts[code] || 0) + "）");
          o.value = value;
          select.appendChild(o);
        });
        select.value = chosen[name] || "";
        select.addEventListener("change", function () {
          if (select.value) chosen[name] = select.value; else delete chosen[name];
          show(++seq);
        });
        label.appendChild(select);
        facetBox.appendChild(label);
      });
    }

    // Show the current query's results with the current filters, from the first.
    function show(mine) {
      var s = state, f = s.found.manifest.facets, codes = s.found.codes;
      var filtered = s.found.ranked.filter(function (r) {
        return FACETS.every(function (name) { return !chosen[name] || f[name][codes[name][r.id]] === chosen[name]; });
      });
      var filtering = FACETS.some(function (name) { return chosen[name]; });
      var helpRanked = s.help && !filtering ? s.help.ranked : [];
      s.sessions = [Session(pages, s.query, filtered)];
      s.sessions[0].help = false;
      if (helpRanked.length) { s.sessions.push(Session(help, s.query, helpRanked)); s.sessions[1].help = true; }
      s.total = filtered.length + helpRanked.length;
      list.innerHTML = "";
      showFacets();
      writeAddress(s.query);
      if (!s.total) {
        text(meta, "没有找到与“" + s.query + "”相关的内容" + (filtering ? "（已按所选条件筛选）" : ""));
        moreButton.hidden = true;
        list.setAttribute("data-pd-query", s.query);
        return Promise.resolve();
      }
      return showMore(mine).then(function () { if (mine === seq) list.setAttribute("data-pd-query", s.query); });
    }

    function clear(message) {
      list.innerHTML = ""; facetBox.innerHTML = ""; facetBox.hidden = true; moreButton.hidden = true;
      state = null; text(meta, message);
    }

    // The list says which query, with or without help pages, it answers (the browser tests wait for that).
    function search(keepFilters) {
      var query = input.value.trim();
      var mine = ++seq;
      list.removeAttribute("data-pd-query");
      if (!keepFilters) chosen = {};
      if (!query) { clear("输入关键词开始搜索"); if (savedAddress) writeAddress(""); return; }
      var terms = queryTerms(query);
      if (terms.tooShort) { clear("请至少输入两个汉字"); return; }
      if (!terms.required.length) { clear("请输入中文、字母或数字"); return; }
      text(meta, "正在搜索……");
      var withHelp = false;
      loadManifest().then(function (m) {
        withHelp = !!(helpBox && helpBox.checked && m.help > 0);
        return Promise.all([pages.query(terms), withHelp ? help.query(terms) : null]);
      }).then(function (found) {
        if (mine !== seq) return;
        state = { query: query, terms: terms, found: found[0], help: found[1] };
        list.toggleAttribute("data-pd-with-help", withHelp);
        return show(mine);
      }).catch(function () { if (mine === seq) { moreButton.hidden = true; text(meta, "搜索暂不可用"); } });
    }

    moreButton.addEventListener("click", function () {
      if (!state) return;
      var first = list.children.length;
      moreButton.disabled = true;
      showMore(seq).then(function () {
        moreButton.disabled = false;
        var next = list.children[first] && list.children[first].querySelector("a");
        if (next) next.focus();  // the keyboard goes on from the first new result
      });
    });
    input.addEventListener("focus", function () { open(); loadManifest().catch(function () {}); });
    // The filters chosen stay while the query is edited (the clear button drops them).
    input.addEventListener("input", function () {
      open(); clearTimeout(timer); timer = setTimeout(function () { search(true); }, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { input.blur(); close(); }
      if (e.key === "Enter" && !e.isComposing && e.keyCode !== 229) {  // not while an IME is composing
        var first = list.querySelector("a"); if (first) window.location.href = first.href;
      }
    });
    if (helpBox) helpBox.addEventListener("change", function () { if (input.value.trim()) search(true); });
    root.querySelector("form").addEventListener("reset", function () { setTimeout(function () { search(false); }, 0); });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;  // leave the browser's own shortcuts alone
      if (!typing && (e.key === "/" || e.key === "s" || e.key === "f")) { e.preventDefault(); input.focus(); }
    });

    // A shared address (?search=…): open the search with its query and filters.
    function restore() {
      var params = new URLSearchParams(location.search);
      var query = params.get("search");
      if (!query) return;
      savedAddress = { path: location.pathname, search: "" };
      chosen = {};
      FACETS.forEach(function (f) { var v = params.get(FACET_PARAMS[f]); if (v) chosen[f] = v; });
      input.value = query;
      open();
      search(true);
    }
    return { close: close, restore: restore };
  }

  // ---------------------------------------------------------------- the target page: ?h=… marked and scrolled to

  var SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEXTAREA|SVG|svg|MARK|BUTTON|SELECT|OPTION)$/;

  function highlight() {
    var query = new URLSearchParams(location.search).get("h");
    var article = document.querySelector(".md-content article, .md-content");
    if (!query || !article || article.querySelector("mark.pd-hl")) return null;
    var terms = queryTerms(query);
    var nodes = [];
    var walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        for (var p = n.parentNode; p && p !== article; p = p.parentNode) {
          if (SKIP.test(p.nodeName) || p.namespaceURI === "http://www.w3.org/2000/svg") return NodeFilter.FILTER_REJECT;
        }
        return n.nodeValue.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      }
    });
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var pats = patterns(query, terms, nodes.map(function (n) { return n.nodeValue; }).join(" "));
    // The whole phrase may be split across elements (<strong>预算</strong>执行率): then its words or terms.
    var tries = [pats, normalize(query).split(" "), terms.required.concat(terms.optional)];
    var first = null;
    for (var t = 0; t < tries.length && !first; t++) {
      var ps = tries[t].filter(Boolean);
      nodes.forEach(function (node) {
        var found = matches(node.nodeValue, ps);
        if (!found.length || !node.parentNode) return;
        var frag = fillMarked(document.createDocumentFragment(), node.nodeValue, found);
        Array.prototype.forEach.call(frag.querySelectorAll("mark"), function (m) {
          m.className = "pd-hl";
          if (!first) first = m;
        });
        node.parentNode.replaceChild(frag, node);
      });
    }
    if (first) {
      var details = first.closest("details");
      if (details) details.open = true;
      // After Material has laid out the new page — and, on an instant page swap, scrolled it to the top, which may
      // come a moment after this runs: the mark is brought back into view while it is out of it.
      var bring = function () {
        var r = first.getBoundingClientRect();
        if (r.bottom <= 0 || r.top >= window.innerHeight) first.scrollIntoView({ block: "center" });
      };
      requestAnimationFrame(function () { setTimeout(bring, 0); });
      setTimeout(bring, 150);
      setTimeout(bring, 500);
    }
    return first;
  }

  var boxes = [];
  var pagesSeen = 0;
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-pd-search]"), function (root) {
      if (root.hasAttribute("data-pd-search-ready")) return;
      root.setAttribute("data-pd-search-ready", "");
      boxes.push(setup(root));
    });
    // A result opened by navigation.instant: the new page shows without the search laid over it.
    if (++pagesSeen > 1) boxes.forEach(function (box) { box.close(); });
    highlight();
    boxes.forEach(function (box) { box.restore(); });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
