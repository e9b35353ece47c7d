/* Site search over the index under /search/: the rules and file formats are generator/src/search/'s
   (text.rs, query.rs, index.rs); tests/e2e/search.rs checks both rank alike. */
(function () {
  'use strict';

  var pairs = null; // t2s.txt, when a Han query finds nothing
  function fold(c) {
    var u = c.codePointAt(0);
    if (u >= 0xFF01 && u <= 0xFF5E) return fold(String.fromCharCode(u - 0xFEE0));
    if (u === 0x3000) return ' ';
    if ((u >= 0x41 && u <= 0x5A) || (u >= 0xC0 && u <= 0xDE && u !== 0xD7)) return String.fromCharCode(u + 0x20);
    return (pairs && pairs.get(c)) || c;
  }
  function kind(c) { // 1 Han, 2 word character, 0 separator
    var u = c.codePointAt(0);
    if (u === 0x3007 || (u >= 0x3400 && u <= 0x4DBF) || (u >= 0x4E00 && u <= 0x9FFF) ||
      (u >= 0xF900 && u <= 0xFAFF) || (u >= 0x20000 && u <= 0x3134F)) return 1;
    if ((u >= 0x30 && u <= 0x39) || (u >= 0x61 && u <= 0x7A) || (u >= 0xC0 && u <= 0x24F && u !== 0xD7 && u !== 0xF7)) return 2;
    return 0;
  }
  // Units of `text` from `pos`: {p, t, h, g, s, e}: position, folded text, Han, gap after, span.
  function units(text, pos) {
    var out = [], prev = -1, i = 0;
    for (var c of text) {
      var f = fold(c), k = kind(f), last = out[out.length - 1];
      if (k === 1) out.push({ p: pos++, t: f, h: true, s: i, e: i + c.length });
      else if (k === 2) {
        if (prev === 2) { if ([...last.t].length < 32) last.t += f; last.e = i + c.length; }
        else out.push({ p: pos++, t: f, h: false, s: i, e: i + c.length });
      } else if (prev !== 0) { pos++; if (last) last.g = true; }
      prev = k;
      i += c.length;
    }
    return { units: out, next: pos };
  }

  // query.rs's SYLLABLES, as `initial:final,final;…`.
  var SYL = [];
  ':a,ai,an,ang,ao,e,ei,en,eng,er,o,ou;b:a,ai,an,ang,ao,ei,en,eng,i,ian,iao,ie,in,ing,o,u;c:a,ai,an,ang,ao,e,en,eng,i,ong,ou,u,uan,ui,un,uo;ch:a,ai,an,ang,ao,e,en,eng,i,ong,ou,u,ua,uai,uan,uang,ui,un,uo;d:a,ai,an,ang,ao,e,ei,en,eng,i,ia,ian,iao,ie,ing,iu,ong,ou,u,uan,ui,un,uo;f:a,an,ang,ei,en,eng,iao,o,ou,u;g:a,ai,an,ang,ao,e,ei,en,eng,ong,ou,u,ua,uai,uan,uang,ui,un,uo;h:a,ai,an,ang,ao,e,ei,en,eng,ong,ou,u,ua,uai,uan,uang,ui,un,uo;j:i,ia,ian,iang,iao,ie,in,ing,iong,iu,u,uan,ue,un;k:a,ai,an,ang,ao,e,ei,en,eng,ong,ou,u,ua,uai,uan,uang,ui,un,uo;l:a,ai,an,ang,ao,e,ei,en,eng,i,ia,ian,iang,iao,ie,in,ing,iu,o,ong,ou,u,uan,un,uo,v,ve;m:a,ai,an,ang,ao,e,ei,en,eng,i,ian,iao,ie,in,ing,iu,o,ou,u;n:a,ai,an,ang,ao,e,ei,en,eng,i,ia,ian,iang,iao,ie,in,ing,iu,ong,ou,u,uan,un,uo,v,ve;p:a,ai,an,ang,ao,ei,en,eng,i,ian,iao,ie,in,ing,o,ou,u;q:i,ia,ian,iang,iao,ie,in,ing,iong,iu,u,uan,ue,un;r:an,ang,ao,e,en,eng,i,ong,ou,u,ua,uan,ui,un,uo;s:a,ai,an,ang,ao,e,en,eng,i,ong,ou,u,uan,ui,un,uo;sh:a,ai,an,ang,ao,e,ei,en,eng,i,ou,u,ua,uai,uan,uang,ui,un,uo;t:a,ai,an,ang,ao,e,ei,eng,i,ian,iao,ie,ing,ong,ou,u,uan,ui,un,uo;w:a,ai,an,ang,ei,en,eng,o,u;x:i,ia,ian,iang,iao,ie,in,ing,iong,iu,u,uan,ue,un;y:a,an,ang,ao,e,i,in,ing,o,ong,ou,u,uan,ue,un;z:a,ai,an,ang,ao,e,ei,en,eng,i,ong,ou,u,uan,ui,un,uo;zh:a,ai,an,ang,ao,e,ei,en,eng,i,ong,ou,u,ua,uai,uan,uang,ui,un,uo'.split(';').forEach(function (g) {
    g = g.split(':');
    g[1].split(',').forEach(function (f) { SYL.push(g[0] + f); });
  });
  var SYLS = new Set(SYL);
  function syllables(s) {
    var out = [], rest = s;
    while (rest) {
      var n = Math.min(6, rest.length);
      while (n > 0 && !SYLS.has(rest.slice(0, n))) n--;
      if (n) { out.push(rest.slice(0, n)); rest = rest.slice(n); continue; }
      return SYL.some(function (x) { return x.indexOf(rest) === 0; }) ? [out, rest] : null;
    }
    return [out, null];
  }
  function term(key, o, end, first, last, gap) { return { key: key, o: o, end: end, first: first, last: last, gap: gap }; }
  function planPart(part) {
    var us = units(part, 0).units;
    if (!us.length) return null;
    var base = us[0].p, lastPos = us[us.length - 1].p - base, alts = [], terms = [];
    var gapAt = function (o) { return o < lastPos && us.some(function (u) { return u.p - base === o && u.g; }); };
    if (us.length === 1 && us[0].h) return [{ terms: [term('^' + us[0].t, 0, 1, true, true)] }];
    for (var i = 0; i < us.length;) {
      var u = us[i], off = u.p - base;
      if (!u.h) { terms.push(term(u.t, off, off + 1, off === 0, off === lastPos, gapAt(off))); i++; continue; }
      var j = i + 1;
      while (j < us.length && us[j].h && us[j].p === us[j - 1].p + 1) j++;
      var run = us.slice(i, j).map(function (x) { return x.t; }), n = run.length;
      if (n === 1) terms.push(term(run[0], off, off + 1, off === 0, off === lastPos, gapAt(off)));
      else {
        var ks = [];
        for (var k = 0; k < n - 1; k += 2) ks.push(k);
        if (n % 2) ks.push(n - 2);
        ks.forEach(function (k) { var o = off + k; terms.push(term(run[k] + run[k + 1], o, o + 2, o === 0, o + 1 === lastPos, gapAt(o + 1))); });
      }
      i = j;
    }
    alts.push({ terms: terms });
    if (part.length >= 2 && /^[a-z]+$/.test(part)) {
      var sy = syllables(part);
      if (sy && sy[0].length) {
        var ts = sy[0].map(function (s, k) { return term('~' + s, k, k + 1, k === 0, false); }), m = sy[0].length - 1;
        if (sy[1]) ts.push(term('=' + sy[0][m][0] + sy[1][0], m, m + 2, false, false));
        alts.push({ terms: ts, pinyin: true });
      }
      // Initials only for what is not pinyin (df, not dangfei).
      if (sy || part.length > 8) return alts;
      var it = [];
      for (var q = 0; q < part.length - 1; q++) it.push(term('=' + part[q] + part[q + 1], q, q + 2, false, false));
      alts.push({ terms: it, pinyin: true, initials: true });
    }
    return alts;
  }
  function plan(query) {
    return Array.from(query, fold).join('').split(/\s+/).map(planPart).filter(Boolean);
  }

  function fnv1a(key) {
    var h = 0x811c9dc5, bytes = new TextEncoder().encode(key);
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 16777619);
    return h >>> 0;
  }
  function varint(b, at) {
    var v = 0, mul = 1, x;
    do { x = b[at.i++]; v += (x & 127) * mul; mul *= 128; } while (x >= 128);
    return v;
  }
  function Index(get) {
    var self = this;
    this.get = get;
    this.shards = new Map();
    this.meta = get('meta.json').then(JSON.parse).then(function (m) { self.r = m.r; return m; });
  }
  Index.prototype.shard = function (n) {
    var self = this;
    if (!this.shards.has(n)) this.shards.set(n, this.get('k/' + n + '.bin', true, true).then(function (b) {
      var at = { i: 0 }, keys = new Map(), dec = new TextDecoder(), count = varint(b, at);
      for (var k = 0; k < count; k++) {
        var len = varint(b, at), key = dec.decode(b.subarray(at.i, at.i + len));
        at.i += len;
        len = varint(b, at);
        keys.set(key, { s: n, i: k, b: b.subarray(at.i, at.i + len) });
        at.i += len;
      }
      return keys;
    }).catch(function (e) { self.shards.delete(n); throw e; }));
    return this.shards.get(n);
  };
  // A key: {n: chunks, got: loaded, docs: Map doc → [pos << 5 | flags], f: lowest [rank, doc] of
  // the last chunk, null once all are loaded}.
  Index.prototype.key = function (key) {
    var self = this;
    return this.meta.then(function (meta) {
      return self.shard(fnv1a(key) % meta.s);
    }).then(function (keys) {
      var e = keys.get(key), at = { i: 0 };
      if (e && !e.docs) { e.n = varint(e.b, at); e.got = 0; e.docs = new Map(); self.load(e, e.b.subarray(at.i)); }
      return e || null;
    });
  };
  var W = [0, 8, 20];
  Index.prototype.load = function (e, b) { // a chunk; u: rank (index.rs)
    var at = { i: 0 }, count = varint(b, at), doc = 0, low = null;
    for (var d = 0; d < count; d++) {
      doc += varint(b, at);
      var n = varint(b, at), pos = 0, list = [], best = 0, fl = 0;
      for (var k = 0; k < n; k++) { var v = varint(b, at); pos += Math.floor(v / 32); list.push(pos * 32 + (v & 31)); best = Math.max(best, v & 3); fl |= v; }
      e.docs.set(doc, list);
      list.w = fl & 12;
      var u = list.u = W[best] + 2 + Math.log2(1 + n) + (doc < this.r ? 0.5 : 0);
      if (!low || u < low[0] || (u === low[0] && doc > low[1])) low = [u, doc];
    }
    e.f = ++e.got < e.n ? low : null;
  };
  Index.prototype.more = function (e) { // the key's next chunk
    var self = this;
    return e.p || (e.p = this.get('k/' + e.s + '-' + e.i + '-' + e.got + '.bin', true, true)
      .then(function (b) { e.p = null; self.load(e, b); }, function (x) { e.p = null; throw x; }));
  };
  function find(list, want) { // binary search of a position
    var lo = 0, hi = list.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, p = list[mid] >>> 5;
      if (p === want) return list[mid];
      if (p < want) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }
  function above(score, doc, b) { return score > b[0] || (score === b[0] && doc < b[1]); }
  function low(a, b) { return !a ? b : !b ? a : above(a[0], a[1], b) ? b : a; }
  // {m: Map doc → [[base, field, whole, end]…] per page seen with all keys, b: best [score, doc] of others}.
  function matches(alt, es) {
    var m = new Map(), b = null, anchor = 0, span = 0, seen = new Set();
    if (es.indexOf(null) >= 0) return { m: m, b: b };
    es.forEach(function (e, i) {
      if (e.docs.size < es[anchor].docs.size) anchor = i;
      e.docs.forEach(function (l, doc) { seen.add(doc); });
    });
    alt.terms.forEach(function (t) { span = Math.max(span, t.end); });
    if (es.every(function (e) { return e.f; })) b = es.reduce(function (x, e) { return low(x, e.f); }, null);
    seen.forEach(function (doc) {
      var found = [], lists = es.map(function (e) { return e.docs.get(doc); }), x = null, i;
      if (lists.indexOf(undefined) >= 0) {
        for (i = 0; i < es.length; i++) {
          var l = lists[i], t = alt.terms[i]; // no whole word if the key never starts (ends) one
          x = low(x, l ? [l.u - ((t.first && !(l.w & 4)) || (t.last && !(l.w & 8)) ? 2 : 0), doc] : es[i].f || [-Infinity, 0]);
        }
        if (x[0] > -Infinity && (!b || above(x[0], x[1], b))) b = x;
        return;
      }
      lists[anchor].forEach(function (v) {
        var base = (v >>> 5) - alt.terms[anchor].o, field = 3, ws = false, we = false;
        if (base < 0) return;
        for (i = 0; i < lists.length; i++) {
          var t = alt.terms[i], x = find(lists[i], base + t.o);
          if (x < 0 || (t.gap && !(x & 16))) return;
          field = Math.min(field, x & 3);
          if (t.first) ws = (x & 4) !== 0;
          if (t.last) we = (x & 8) !== 0;
        }
        found.push([base, field, ws && we, base + span]);
      });
      m.set(doc, found);
    });
    return { m: m, b: b };
  }
  function proximity(a, b) {
    var i = 0, j = 0, best = Infinity;
    while (i < a.length && j < b.length) { best = Math.min(best, Math.abs(a[i] - b[j])); if (a[i] < b[j]) i++; else j++; }
    return best === Infinity ? 0 : 3 * 8 / (8 + best);
  }
  var numeric = function (a, b) { return a - b; };
  // Hits [{doc, score, pos, spans}], best first; with `want`, the first ones sure (`more` set).
  Index.prototype.search = async function (query, want) {
    var meta = await this.meta, parts = plan(query), self = this, keys = function (alt) {
      return Promise.all(alt.terms.map(function (t) { return self.key(t.key); }));
    };
    if (!parts.length) return [];
    for (;;) {
      var scored = [], open = [], bounds = [];
      for (var part of parts) {
        var perDoc = new Map(), wordFound = false, rs = [], bound = null;
        var loaded = await Promise.all(part.map(function (alt) { return alt.initials ? null : keys(alt); }));
        for (var a = 0; a < part.length; a++) {
          var alt = part[a], es = loaded[a];
          if (alt.initials) { if (wordFound) continue; es = await keys(alt); }
          var r = matches(alt, es);
          rs.push(r);
          if (r.b) { open.push(es); if (!bound || above(r.b[0], r.b[1], bound)) bound = r.b; }
          r.m.forEach(function (occ, doc) {
            if (!occ.length) return;
            if (!alt.pinyin) wordFound = true;
            var best = 0, whole = 0;
            occ.forEach(function (o) { best = Math.max(best, o[1]); if (o[2]) whole = 2; });
            var score = W[Math.min(best, 2)] * (alt.pinyin ? 0.5 : 1) + whole + Math.log2(1 + occ.length);
            var e = perDoc.get(doc);
            if (!e) perDoc.set(doc, e = { score: -Infinity, pos: [], spans: [], at: Infinity });
            if (score > e.score) e.score = score;
            occ.forEach(function (o) {
              e.pos.push(o[0]);
              e.spans.push([o[0], o[3]]);
              if (o[1] < 2) e.at = Math.min(e.at, o[0]);
            });
          });
        }
        perDoc.forEach(function (e) { e.pos = Array.from(new Set(e.pos)).sort(numeric); });
        scored.push(perDoc);
        bounds.push({ b: bound, rs: rs });
      }
      var hits = [];
      scored[0].forEach(function (e, doc) {
        var total = e.score, prev = e.pos, spans = e.spans.slice();
        for (var k = 1; k < scored.length; k++) {
          var o = scored[k].get(doc);
          if (!o) return;
          total += o.score + proximity(prev, o.pos);
          prev = o.pos;
          spans = spans.concat(o.spans);
        }
        if (doc < meta.r) total += 0.5;
        hits.push({ doc: doc, score: total, pos: e.at < Infinity ? e.at : e.pos[0], spans: spans });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      if (open.length) {
        var unsure = function (doc) { // per part, the most undecided alternatives could give doc
          return bounds.map(function (p) {
            return p.rs.reduce(function (b, r) { return r.b && !r.m.has(doc) ? Math.max(b, r.b[0]) : b; }, -Infinity);
          });
        }, x = bounds[0].b, extra = 3 * (parts.length - 1) + 0.5;
        if (parts.length > 1) {
          x = [bounds.reduce(function (s, p) { return s + (p.b ? p.b[0] : -Infinity); }, extra), -1];
          new Set(scored.flatMap(function (p) { return Array.from(p.keys()); })).forEach(function (doc) {
            var u = unsure(doc), ub = extra;
            if (u.every(function (b) { return b === -Infinity; })) return;
            scored.forEach(function (p, k) { var o = p.get(doc); ub += Math.max(o ? o.score : -Infinity, u[k]); });
            if (ub > x[0]) x[0] = ub;
          });
        }
        var sure = hits.filter(function (h) {
          return above(h.score, h.doc, x) && unsure(h.doc).every(function (b) {
            return b === -Infinity || (parts.length === 1 && above(h.score, h.doc, [b, x[1]]));
          });
        });
        if (sure.length < (want || Infinity)) { await Promise.all(open.flat().filter(function (e) { return e.f; }).map(function (e) { return self.more(e); })); continue; }
        sure.more = true;
        return sure;
      }
      // Nothing for Han characters: fold traditional ones (t2s.txt) and retry.
      if (!hits.length && !pairs && /[\u3400-\u9fff]/.test(query)) {
        var before = Array.from(query, fold).join(''), f = Array.from(await this.get('t2s.txt'));
        pairs = new Map();
        for (var i = 0; i + 1 < f.length; i += 2) pairs.set(f[i], f[i + 1]);
        if (Array.from(query, fold).join('') !== before) return this.search(query, want);
      }
      return hits;
    }
  };
  Index.prototype.chunk = function (hit) {
    var self = this;
    return this.meta.then(function (meta) {
      return self.get('t/' + hit.doc + '-' + Math.floor(hit.pos / meta.k) + '.json').then(JSON.parse);
    });
  };

  function esc(s) { return s.replace(/[&<>"]/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  // `text` from `from` to `to` as HTML, matches in <mark>.
  function marked(text, us, spans, from, to) {
    var ranges = [], out = '', at = from;
    spans.forEach(function (sp) {
      var inside = us.filter(function (u) { return u.p >= sp[0] && u.p < sp[1] && u.s >= from && u.e <= to; });
      if (inside.length) ranges.push([inside[0].s, inside[inside.length - 1].e]);
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; }).forEach(function (r) {
      if (r[0] < at) { if (r[1] <= at) return; r[0] = at; }
      out += esc(text.slice(at, r[0])) + '<mark>' + esc(text.slice(r[0], r[1])) + '</mark>';
      at = r[1];
    });
    return out + esc(text.slice(at, to));
  }
  // {title, excerpt} of a chunk, as HTML.
  function excerpt(chunk, spans) {
    var segs = (chunk.p === 0 ? [[2, chunk.t]] : []).concat(chunk.b), pos = chunk.p, title = esc(chunk.t), best = null;
    segs.forEach(function (seg, i) {
      if (i > 0) pos++;
      var r = units(seg[1], pos);
      pos = r.next;
      if (i === 0 && chunk.p === 0) { title = marked(seg[1], r.units, spans, 0, seg[1].length); return; }
      var hit = r.units.find(function (u) { return spans.some(function (s) { return u.p >= s[0] && u.p < s[1]; }); });
      if (!best || (hit && !best.hit)) best = { seg: seg[1], us: r.units, hit: hit };
    });
    if (!best) return { title: title, excerpt: '' };
    var text = best.seg, from = best.hit ? Math.max(0, best.hit.s - 30) : 0, to = Math.min(text.length, from + 110);
    return { title: title, excerpt: (from > 0 ? '…' : '') + marked(text, best.us, spans, from, to) + (to < text.length ? '…' : '') };
  }

  async function suggest(index, query) {
    var out = [];
    for (var part of plan(query)) {
      var t = part[0].terms.filter(function (x) { return x.key.length === 2 && kind(x.key[0]) === 1; });
      for (var x of t) if ((await index.key(x.key)) && out.indexOf(x.key) < 0) out.push(x.key);
    }
    var han = Array.from(query).filter(function (c) { return kind(fold(c)) === 1; });
    if (han.length >= 2 && han.length <= 8) {
      if (!index.py) index.py = index.get('py.txt').then(function (t) {
        var m = new Map(), re = /([a-z]+)([^a-z]+)/g, x;
        while ((x = re.exec(t))) for (var c of x[2]) m.set(c, x[1]);
        return m;
      });
      var py = await index.py, syl = han.map(function (c) { return py.get(fold(c)); });
      if (syl.every(Boolean)) {
        var hits = await index.search(syl.join(''), 3);
        for (var h of hits.slice(0, 3)) {
          var c = await index.chunk({ doc: h.doc, pos: 0 }), us = units(c.t, 0).units, s = h.spans[0];
          var word = us.filter(function (u) { return u.p >= s[0] && u.p < s[1]; }).map(function (u) { return u.t; }).join('');
          if (word.length === han.length && out.indexOf(word) < 0) out.unshift(word);
        }
      }
    }
    return out.slice(0, 5);
  }

  var api = { fold: fold, units: units, plan: plan, syllables: syllables, fnv1a: fnv1a, Index: Index, excerpt: excerpt, suggest: suggest, SYL: SYL };
  if (typeof module === 'object' && module.exports) { module.exports = api; return; }

  var root = new URL('../search/', document.currentScript.src);
  var gz = typeof DecompressionStream === 'function';
  // Shards come gzipped where the browser can inflate them (unless the server did: magic bytes).
  function get(path, binary, packed) {
    packed = packed && gz;
    return fetch(new URL(path + (packed ? '.gz' : ''), root)).then(function (r) {
      if (!r.ok) throw new Error(r.status + ' ' + path);
      if (!binary) return r.text();
      return r.arrayBuffer().then(function (b) {
        var u = new Uint8Array(b);
        if (!packed || u[0] !== 0x1f || u[1] !== 0x8b) return u;
        return new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()
          .then(function (x) { return new Uint8Array(x); });
      });
    });
  }
  var el = function (id) { return document.getElementById('search-' + id); }, list = el('results');
  if (!list) return;
  var index = new Index(get), input = el('q'), status = el('status'), more = el('more'), seq = 0, timer = 0, PAGE = 5;
  function say(html) { status.innerHTML = html; }
  async function run(q, push) {
    var n = ++seq;
    q = q.trim();
    if (push) history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : location.pathname);
    list.innerHTML = '';
    more.innerHTML = '';
    list.removeAttribute('data-q');
    if (!q) { say(''); return; }
    say('正在搜索…');
    try {
      var hits = await index.search(q, PAGE);
      if (n !== seq) return;
      if (!hits.length) {
        say('没有找到包含“' + esc(q) + '”的内容。');
        var s = await suggest(index, q);
        if (n === seq && s.length) say(status.innerHTML + ' 试试：' + s.map(function (w) {
          return '<a href="?q=' + encodeURIComponent(w) + '" data-q="' + esc(w) + '">' + esc(w) + '</a>';
        }).join('、'));
        if (n === seq) list.setAttribute('data-q', q);
        return;
      }
      say('找到 ' + hits.length + (hits.more ? ' 个以上' : ' 个') + '页面。');
      await show(hits, 0, q, n);
      if (n === seq) list.setAttribute('data-q', q);
    } catch (e) {
      if (n === seq) say('搜索暂时不可用，请检查网络后重试。');
    }
  }
  async function show(hits, from, q, n) {
    if (hits.more && hits.length < from + PAGE) hits = await index.search(q, from + PAGE);
    var page = hits.slice(from, from + PAGE), chunks = await Promise.all(page.map(function (h) { return index.chunk(h); }));
    if (n !== seq) return;
    chunks.forEach(function (c, i) {
      var x = excerpt(c, page[i].spans), li = document.createElement('li');
      li.innerHTML = '<a href="' + esc(c.u) + '?highlight=' + encodeURIComponent(q) + '">' + x.title + '</a>' +
        '<p class="search-meta">' + esc([c.s, c.d].filter(Boolean).join(' · ')) + '</p>' +
        (x.excerpt ? '<p class="search-excerpt">' + x.excerpt + '</p>' : '');
      list.appendChild(li);
    });
    more.innerHTML = '';
    if (from + PAGE < hits.length || hits.more) {
      var b = document.createElement('button'), next = function () {
        if (b.parentNode) { more.innerHTML = ''; show(hits, from + PAGE, q, n); }
      };
      b.type = 'button';
      b.textContent = '显示更多结果';
      b.onclick = next;
      more.appendChild(b);
      if (window.IntersectionObserver) new IntersectionObserver(function (e, o) {
        if (e[0].isIntersecting) { o.disconnect(); next(); }
      }, { rootMargin: '200px' }).observe(b);
    }
  }
  input.value = new URLSearchParams(location.search).get('q') || '';
  input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { run(input.value, true); }, 150); });
  input.form.addEventListener('submit', function (e) { e.preventDefault(); clearTimeout(timer); run(input.value, true); });
  status.addEventListener('click', function (e) {
    var q = e.target.getAttribute && e.target.getAttribute('data-q');
    if (q) { e.preventDefault(); input.value = q; run(q, true); }
  });
  if (input.value) run(input.value, false);
})();
