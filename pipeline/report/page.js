(function () {
  'use strict';
  // The report page, and with data.review the producer's review desk: every text from outside
  // goes into the page as textContent or an attribute value, never as markup.
  var data = JSON.parse(document.getElementById('page-data').textContent);
  var review = data.review;
  var words = data.words;
  var player = document.getElementById('player');
  var svg = document.querySelector('figure svg');
  var COLOURS = data.colours;
  var WIDTH = 1000, MARGIN = 12, NUDGE_S = 0.5;
  var chapters = data.chapters.map(function (c) { return Object.assign({}, c); });
  var selected = -1, picked = -1, nowWord = -1, undo = [], dirty = false;

  if (review) { document.body.classList.add('review'); }

  function $(selector) { return document.querySelector(selector); }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function clock(seconds) {
    var ms = Math.round(seconds * 1000), h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, s = (ms % 60000) / 1000;
    return h + ':' + String(m).padStart(2, '0') + ':' + s.toFixed(3).padStart(6, '0');
  }
  function status(text, isError) {
    var line = $('#status-line');
    line.textContent = text;
    line.classList.toggle('error', !!isError);
  }

  // --- the transcript: words with times; the one playing is highlighted, a click plays from it
  var spans = [];
  function buildTranscript() {
    var box = $('#transcript-words');
    if (!box) { return; }
    var fragment = document.createDocumentFragment();
    words.forEach(function (w, i) {
      var span = el('span', {'class': 'w', 'data-i': i}, w[0]);
      spans.push(span);
      fragment.appendChild(span);
      fragment.appendChild(document.createTextNode(' '));
    });
    box.appendChild(fragment);
    box.addEventListener('click', function (event) {
      var i = event.target.dataset ? event.target.dataset.i : undefined;
      if (i === undefined) { return; }
      pick(Number(i));
      playFrom(words[Number(i)][1]);
    });
  }
  function wordAt(seconds) {  // the last word starting at or before `seconds`
    var lo = 0, hi = words.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid][1] <= seconds) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }
  function pauseBefore(i) {  // as the alignment places a start: inside the pause, shortly before the word
    var previousEnd = i > 0 ? words[i - 1][2] : 0;
    var start = words[i][1];
    return Math.max(0, Math.round((start - Math.min(0.25, Math.max(0, start - previousEnd) / 2)) * 1000) / 1000);
  }
  function pick(i) {
    if (picked >= 0 && spans[picked]) { spans[picked].classList.remove('picked'); }
    picked = i;
    if (i >= 0 && spans[i]) { spans[i].classList.add('picked'); }
    var here = document.querySelectorAll('button[data-act="here"]');
    here.forEach(function (b) { b.disabled = picked < 0; });
  }
  function highlight() {
    if (!player || !spans.length) { return; }
    var i = wordAt(player.currentTime);
    if (i >= 0 && player.currentTime > words[i][2] + 0.3) { i = -1; }  // between words
    if (i === nowWord) { return; }
    if (nowWord >= 0) { spans[nowWord].classList.remove('now'); }
    nowWord = i;
    if (i >= 0) {
      spans[i].classList.add('now');
      var box = $('#transcript');
      var top = spans[i].offsetTop - box.offsetTop;
      if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 30) { box.scrollTop = top - box.clientHeight / 3; }
    }
    var playing = -1;
    order().forEach(function (k) { if (chapters[k].start <= player.currentTime + 0.05) { playing = k; } });
    document.querySelectorAll('tr.chapter').forEach(function (row) { row.classList.toggle('playing', Number(row.dataset.index) === playing); });
  }
  function markChapterStarts() {
    spans.forEach(function (s) { if (s.classList.contains('starts')) { s.classList.remove('starts'); s.removeAttribute('data-chapter'); } });
    chapters.forEach(function (c) {
      var i = wordAt(c.start);  // the word being said at the start, or else the next one
      if (i < 0 || words[i][2] <= c.start) { i += 1; }
      if (i >= 0 && i < spans.length) { spans[i].classList.add('starts'); spans[i].setAttribute('data-chapter', c.title); }
    });
  }

  // --- playing
  function playFrom(seconds) {
    if (!player) { return; }
    player.currentTime = seconds;
    var started = player.play();
    if (started && started.catch) { started.catch(function () {}); }
  }
  function togglePlay() {
    if (!player) { return; }
    if (player.paused) { playFrom(player.currentTime); } else { player.pause(); }
  }

  // --- the chapters: table and timeline marks, rendered from `chapters`
  function order() {
    return chapters.map(function (c, k) { return k; }).sort(function (a, b) { return chapters[a].start - chapters[b].start; });
  }
  function x(seconds) { return MARGIN + Math.min(Math.max(seconds / data.duration, 0), 1) * (WIDTH - 2 * MARGIN); }
  // placed: of titles listed without a time, those placed were at the right question 42 times in 43
  // on episodes the alignment never met (h61–h66), those flagged missing 29 times in 36 (README):
  // each one is for the producer to confirm
  function needsLook(c) {
    return !c.start_set && !c.title_set && c.status !== 'confirmed' && c.status !== 'unverifiable' &&
      (c.status === 'missing' || c.status === 'corrected' || c.status === 'proposed' || c.status === 'placed' || c.confidence < 0.6);
  }
  function shownoteTime(c) {
    if (c.claimed === null) {  // added in review, proposed from the speech, or listed without a time
      return c.source === null ? 'added' : c.aligned_status === 'proposed' ? 'proposed from the speech' : 'no time in the shownotes';
    }
    var delta = c.start - c.claimed;
    return 'shownotes ' + clock(c.claimed) + (Math.abs(delta) < 0.05 ? '' : ' (' + (delta > 0 ? '+' : '') + delta.toFixed(1) + ' s)');
  }
  function button(label, act, k, title) {
    var b = el('button', {'type': 'button', 'data-act': act, 'data-k': k, 'title': title}, label);
    if (act === 'here') { b.disabled = picked < 0; }
    return b;
  }
  function renderRows() {
    var body = $('#chapters tbody');
    body.textContent = '';
    order().forEach(function (k, n) {
      var c = chapters[k];
      var shown = c.start_set || c.title_set ? 'confirmed' : c.status;
      var row = el('tr', {'class': 'chapter ' + shown, 'data-index': k, 'tabindex': '0'});
      row.classList.toggle('selected', k === selected);
      row.appendChild(el('td', {'class': 'num'}, String(n + 1)));
      var title = el('td', {'class': 'title', 'data-label': 'Chapter'});
      if (review) {
        var input = el('textarea', {'rows': '2', 'aria-label': 'title of chapter ' + (n + 1), 'maxlength': '500'});
        input.value = c.title;
        input.addEventListener('keydown', function (event) {  // a title is one line: Enter takes it
          if (event.key === 'Enter') { event.preventDefault(); input.blur(); }
        });
        input.addEventListener('change', function () {
          var text = input.value.trim();
          if (!text) { input.value = c.title; return; }
          change(function () { chapters[k].title = text; chapters[k].title_set = text !== chapters[k].shownote_title; });
        });
        title.appendChild(input);
      } else {
        title.textContent = c.title;
      }
      row.appendChild(title);
      var badge = el('td', {'data-label': 'Status'});
      badge.appendChild(el('span', {'class': 'badge ' + shown}, shown));
      badge.appendChild(el('div', {'class': 'was'}, c.confidence.toFixed(2)));
      if (shown !== c.status && c.aligned_status) { badge.appendChild(el('div', {'class': 'was'}, 'alignment: ' + c.aligned_status)); }
      row.appendChild(badge);
      var time = el('td', {'class': 'time', 'data-label': 'Published'});
      time.appendChild(el('span', {'class': 'published'}, clock(c.start)));
      time.appendChild(el('div', {'class': 'was'}, shownoteTime(c)));
      row.appendChild(time);
      var evidence = el('td', {'class': 'evidence', 'data-label': 'Evidence'}, c.evidence);
      if (c.decided_by) { evidence.appendChild(el('div', {'class': 'signals'}, c.decided_by)); }
      if (review) {
        var actions = el('div', {'class': 'actions'});
        actions.appendChild(button('▶ Play', 'play', k, 'play from its start (p)'));
        actions.appendChild(button('−0.5 s', 'earlier', k, 'nudge earlier ([)'));
        actions.appendChild(button('+0.5 s', 'later', k, 'nudge later (])'));
        actions.appendChild(button('Start here', 'here', k, 'start this chapter in the pause before the picked word (h)'));
        if ((c.aligned_status === 'proposed' || c.aligned_status === 'placed') && !c.start_set) {
          actions.appendChild(button('Accept', 'keep', k, 'keep this chapter at ' + clock(c.start)));
        }
        if (c.aligned_status === 'corrected' && !c.start_set) {
          actions.appendChild(button('Accept', 'accept', k, 'publish the corrected time ' + clock(c.aligned_start)));
          actions.appendChild(button('Reject', 'reject', k, 'keep the shownote time ' + clock(c.claimed)));
        }
        actions.appendChild(button('Delete', 'delete', k, 'delete this chapter'));
        evidence.appendChild(actions);
      }
      row.appendChild(evidence);
      body.appendChild(row);
    });
  }
  function renderMarks() {
    if (!svg) { return; }
    var group = svg.querySelector('#marks');
    group.textContent = '';
    var NS = 'http://www.w3.org/2000/svg';
    chapters.forEach(function (c, k) {
      var shown = c.start_set || c.title_set ? 'confirmed' : c.status;
      var colour = COLOURS[shown];
      if (c.claimed !== null) {
        if (Math.abs(c.start - c.claimed) > 0.05) {
          var line = document.createElementNS(NS, 'line');
          [['x1', x(c.claimed)], ['y1', 28], ['x2', x(c.start)], ['y2', 122], ['stroke', colour], ['stroke-width', 2]].forEach(function (a) { line.setAttribute(a[0], a[1]); });
          group.appendChild(line);
        }
        var hollow = document.createElementNS(NS, 'circle');
        [['class', 'claimed'], ['cx', x(c.claimed)], ['cy', 20], ['r', 6], ['fill', 'none'], ['stroke', colour], ['stroke-width', 2]].forEach(function (a) { hollow.setAttribute(a[0], a[1]); });
        group.appendChild(hollow);
      }
      var mark = document.createElementNS(NS, 'circle');
      [['class', 'mark'], ['data-index', k], ['cx', x(c.start)], ['cy', 130], ['r', k === selected ? 9 : 7], ['fill', colour]].forEach(function (a) { mark.setAttribute(a[0], a[1]); });
      var tip = document.createElementNS(NS, 'title');
      tip.textContent = c.title + ' (' + shown + ', ' + clock(c.start) + ')';
      mark.appendChild(tip);
      group.appendChild(mark);
    });
  }
  function renderAttention() {
    var box = $('#attention');
    box.textContent = '';
    var look = order().filter(function (k) { return needsLook(chapters[k]); });
    if (!look.length) { return; }
    box.appendChild(document.createTextNode(look.length + (look.length === 1 ? ' chapter needs' : ' chapters need') + ' a look: '));
    look.forEach(function (k) {
      var link = el('a', {'data-k': k, 'tabindex': '0'}, chapters[k].title + ' (' + chapters[k].status + ')');
      link.addEventListener('click', function () { select(k, true); });
      box.appendChild(link);
    });
  }
  function render() {
    renderRows();
    renderMarks();
    renderAttention();
    markChapterStarts();
    var undoButton = $('#undo');
    if (undoButton) { undoButton.disabled = !undo.length; }
    var saveButton = $('#save');
    if (saveButton) { saveButton.disabled = !dirty; }
  }
  function select(k, play) {
    selected = k;
    render();
    var row = document.querySelector('tr.chapter[data-index="' + k + '"]');
    if (row && row.scrollIntoView) { row.scrollIntoView({block: 'nearest'}); }
    if (play) { playFrom(chapters[k].start); }
  }

  // --- editing (review only): every change can be undone until it is saved
  function change(edit) {
    undo.push(JSON.stringify(chapters));
    if (undo.length > 200) { undo.shift(); }
    edit();
    dirty = true;
    status('Unsaved changes');
    render();
  }
  function setStart(k, seconds) {
    change(function () {
      chapters[k].start = Math.min(Math.max(0, Math.round(seconds * 1000) / 1000), Math.max(0, data.duration - 0.5));
      chapters[k].start_set = true;
    });
  }
  function act(name, k) {
    var c = chapters[k];
    if (name === 'play') { select(k, true); return; }
    if (!review) { return; }
    if (name === 'earlier') { setStart(k, c.start - NUDGE_S); }
    if (name === 'later') { setStart(k, c.start + NUDGE_S); }
    if (name === 'here' && picked >= 0) { setStart(k, pauseBefore(picked)); }
    if (name === 'accept') { setStart(k, c.aligned_start); }
    if (name === 'keep') { setStart(k, c.start); }
    if (name === 'reject') { setStart(k, c.claimed); }
    if (name === 'delete') {
      change(function () { chapters.splice(k, 1); });
      selected = -1;
      render();
    }
  }
  function addChapter() {
    var at = picked >= 0 ? pauseBefore(picked) : (player ? player.currentTime : 0);
    change(function () {
      chapters.push({title: 'New chapter', start: Math.round(at * 1000) / 1000, claimed: null, status: 'confirmed', confidence: 1, evidence: '',
                     decided_by: '', source: null, shownote_title: null, start_set: true, title_set: true});
    });
    select(chapters.length - 1, false);
    var input = document.querySelector('tr.selected td.title textarea');
    if (input) { input.focus(); input.select(); }
  }
  function undoLast() {
    if (!undo.length) { return; }
    chapters = JSON.parse(undo.pop());
    dirty = undo.length > 0;
    if (selected >= chapters.length) { selected = -1; }
    status(undo.length ? 'Undone' : 'Undone: as last saved');
    render();
  }
  function save() {
    if (!review || !dirty) { return; }
    status('Saving…');
    var body = {chapters: chapters.map(function (c) {
      return {title: c.title, start: c.start, source: c.source, start_set: !!c.start_set, title_set: !!c.title_set};
    })};
    fetch(review.save, {method: 'POST', headers: {'Content-Type': 'application/json', 'X-Review-Token': review.token}, body: JSON.stringify(body)})
      .then(function (response) { return response.json().then(function (answer) { return {ok: response.ok, answer: answer}; }); })
      .then(function (result) {
        if (!result.ok) { throw new Error(result.answer.error || 'refused'); }
        chapters = result.answer.chapters;
        undo = [];
        dirty = false;
        selected = Math.min(selected, chapters.length - 1);
        render();
        document.body.dataset.saved = String(Number(document.body.dataset.saved || 0) + 1);
        status('Saved: ' + result.answer.written.join(', '));
      })
      .catch(function (error) { status('Not saved: ' + error.message, true); });
  }
  function exportChapters() {
    var list = order().map(function (k) { return {startTime: chapters[k].start, title: chapters[k].title}; });
    var blob = new Blob([JSON.stringify({version: '1.2.0', chapters: list}, null, 1) + '\n'], {type: 'application/json+chapters'});
    var link = el('a', {'href': URL.createObjectURL(blob), 'download': data.export_name});
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // --- dragging a mark along the timeline (review only)
  var dragging = -1;
  function secondsAt(event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX; point.y = event.clientY;
    var inside = point.matrixTransform(svg.getScreenCTM().inverse());
    return (inside.x - MARGIN) / (WIDTH - 2 * MARGIN) * data.duration;
  }
  if (svg) {
    svg.addEventListener('pointerdown', function (event) {
      var index = event.target.dataset ? event.target.dataset.index : undefined;
      if (index === undefined) { return; }
      select(Number(index), false);
      if (!review) { playFrom(chapters[Number(index)].start); return; }
      dragging = Number(index);
      undo.push(JSON.stringify(chapters));
      svg.setPointerCapture(event.pointerId);
    });
    svg.addEventListener('pointermove', function (event) {
      if (dragging < 0) { return; }
      chapters[dragging].start = Math.min(Math.max(0, Math.round(secondsAt(event) * 1000) / 1000), Math.max(0, data.duration - 0.5));
      chapters[dragging].start_set = true;
      renderMarks();
    });
    svg.addEventListener('pointerup', function () {
      if (dragging < 0) { return; }
      dragging = -1;
      dirty = true;
      status('Unsaved changes');
      render();
    });
  }

  // --- wiring
  document.addEventListener('click', function (event) {
    var target = event.target.closest ? event.target.closest('button[data-act]') : null;
    if (target) { act(target.dataset.act, Number(target.dataset.k)); event.stopPropagation(); return; }
    var row = event.target.closest ? event.target.closest('tr.chapter') : null;
    if (row && event.target.tagName !== 'TEXTAREA') { select(Number(row.dataset.index), !review); }
  });
  [['#save', save], ['#undo', undoLast], ['#add', addChapter], ['#export', exportChapters]].forEach(function (pair) {
    var node = $(pair[0]);
    if (node) { node.addEventListener('click', pair[1]); }
  });
  document.addEventListener('keydown', function (event) {
    var typing = event.target.tagName === 'INPUT' || event.target.tagName === 'TEXTAREA';
    var mod = event.ctrlKey || event.metaKey;
    if (mod && event.key.toLowerCase() === 's') { event.preventDefault(); save(); return; }
    if (mod && event.key.toLowerCase() === 'z' && !typing) { event.preventDefault(); undoLast(); return; }
    if (typing || mod || event.altKey) { return; }
    var sorted = order(), position = sorted.indexOf(selected);
    var keys = {
      ' ': togglePlay,
      'ArrowDown': function () { if (sorted.length) { select(sorted[Math.min(position + 1, sorted.length - 1)], true); } },
      'j': function () { keys.ArrowDown(); },
      'ArrowUp': function () { if (sorted.length) { select(sorted[Math.max(position - 1, 0)], true); } },
      'k': function () { keys.ArrowUp(); },
      'p': function () { if (selected >= 0) { act('play', selected); } },
      '[': function () { if (selected >= 0) { act('earlier', selected); } },
      ']': function () { if (selected >= 0) { act('later', selected); } },
      'h': function () { if (selected >= 0) { act('here', selected); } },
      'a': function () { if (review) { addChapter(); } },
      'Enter': function () { var row = event.target.closest ? event.target.closest('tr.chapter') : null; if (row) { select(Number(row.dataset.index), true); } }
    };
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); }
  });
  window.addEventListener('beforeunload', function (event) { if (dirty) { event.preventDefault(); event.returnValue = ''; } });
  if (player) {
    player.addEventListener('timeupdate', highlight);
    player.addEventListener('seeked', highlight);
    (function frame() { if (!player.paused) { highlight(); } window.requestAnimationFrame(frame); })();
  }

  buildTranscript();
  render();
  document.body.dataset.ready = 'yes';
})();
