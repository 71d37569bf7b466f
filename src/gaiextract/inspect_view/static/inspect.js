// gaiextract inspect: link every value in the canonical tables with its box on the page.
// Elements that share a data-key (a mapped cell) or a data-ref (a heading) are one thing
// shown twice: hovering one lights up all, clicking one selects them and scrolls the other
// pane to it.
(function () {
  'use strict';
  var ATTRS = ['data-key', 'data-ref'];
  var index = {};
  ATTRS.forEach(function (a) {
    document.querySelectorAll('[' + a + ']').forEach(function (el) {
      var k = a + '=' + el.getAttribute(a);
      (index[k] = index[k] || []).push(el);
    });
  });
  function linkOf(el) {
    for (var i = 0; i < ATTRS.length; i++) {
      if (el.hasAttribute(ATTRS[i])) { return ATTRS[i] + '=' + el.getAttribute(ATTRS[i]); }
    }
    return null;
  }
  function find(t) { return t && t.closest ? t.closest('[data-key],[data-ref]') : null; }
  function mark(k, cls, on) { (index[k] || []).forEach(function (el) { el.classList.toggle(cls, on); }); }
  var selected = null;
  document.addEventListener('mouseover', function (e) { var el = find(e.target); if (el) { mark(linkOf(el), 'hl', true); } });
  document.addEventListener('mouseout', function (e) { var el = find(e.target); if (el) { mark(linkOf(el), 'hl', false); } });
  document.addEventListener('click', function (e) {
    var el = find(e.target);
    if (!el) { return; }
    var k = linkOf(el);
    if (selected) { mark(selected, 'sel', false); }
    selected = k;
    mark(k, 'sel', true);
    var other = el.closest('#doc') ? '#canon' : '#doc';
    var targets = (index[k] || []).filter(function (x) { return x.closest(other); });
    if (targets.length) { targets[0].scrollIntoView({block: 'center', inline: 'nearest'}); }
  });
  var toggle = document.getElementById('show-labels');
  if (toggle) {
    toggle.addEventListener('change', function () { document.body.classList.toggle('labels', toggle.checked); });
  }
})();
