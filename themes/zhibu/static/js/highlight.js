/* On a page opened from a search result (?highlight=…), loads search.js to mark the match; on
   any other page it does nothing. base.html loads this on every page (a few hundred bytes),
   search.js itself only where it is needed. */
(function () {
  if (!/[?&]highlight=/.test(location.search)) return;
  var s = document.createElement('script');
  s.src = new URL('search.js', document.currentScript.src).href;
  document.head.appendChild(s);
})();
