/* On a page opened from a search result (?highlight=…), marks the query in the main text (folded
   as search.js folds: full-width forms, case). session.js imports it only when the address has
   ?highlight=, so other pages never fetch it; search.js itself only the search page loads. */
(function () {
  var q = new URLSearchParams(location.search).get('highlight'), main = document.querySelector('main') || document.body;
  if (!q || !main) return;
  function fold(c) {
    var u = c.codePointAt(0);
    if (u >= 0xFF01 && u <= 0xFF5E) return fold(String.fromCharCode(u - 0xFEE0));
    if (u === 0x3000) return ' ';
    if ((u >= 0x41 && u <= 0x5A) || (u >= 0xC0 && u <= 0xDE && u !== 0xD7)) return String.fromCharCode(u + 0x20);
    return c;
  }
  var words = [], walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT), nodes = [], node, first = null;
  q.split(/\s+/).forEach(function (w) { w = Array.from(w, fold).join(''); if (w) words.push(w); });
  while ((node = walker.nextNode())) if (!node.parentNode.closest('script,style,mark')) nodes.push(node);
  nodes.forEach(function (node) {
    var text = node.nodeValue, flat = Array.from(text, fold).join(''), marks = [];
    words.forEach(function (w) {
      for (var at = flat.indexOf(w); at >= 0; at = flat.indexOf(w, at + w.length)) marks.push([at, at + w.length]);
    });
    if (!marks.length || flat.length !== text.length) return;
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var frag = document.createDocumentFragment(), at = 0;
    marks.forEach(function (m) {
      if (m[0] < at) return;
      frag.appendChild(document.createTextNode(text.slice(at, m[0])));
      var mark = document.createElement('mark');
      mark.className = 'search-highlight';
      mark.textContent = text.slice(m[0], m[1]);
      frag.appendChild(mark);
      first = first || mark;
      at = m[1];
    });
    frag.appendChild(document.createTextNode(text.slice(at)));
    node.parentNode.replaceChild(frag, node);
  });
  if (first) first.scrollIntoView({ block: 'center' });
})();
