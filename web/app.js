// storyline web page: renders the JSON API (/api/...) as a story list, story,
// article, storyline and search pages. Plain JS, no dependencies; routing by
// location.hash (#/story/ID ...). All text goes through textContent: nothing
// from the store is ever parsed as HTML.
'use strict';

const app = document.getElementById('app');
const SVG = 'http://www.w3.org/2000/svg';
const REMOVED = new Set(['boilerplate', 'byline', 'caption', 'duplicate']);

// h('a', {href: '#/'}, 'text', child...) builds an element.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

async function api(path) {
  const res = await fetch(path, {headers: {Accept: 'application/json'}});
  const body = await res.json().catch(() => ({error: 'invalid answer from server'}));
  if (!res.ok) throw new Error(body.error || ('HTTP ' + res.status));
  return body;
}

const day = (t) => (t ? String(t).slice(0, 10) : '');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?/;
// "8 Jan 2022" for an ISO date or time, read as written (no conversion to
// the browser's zone: the day is the one the source gave).
function dayText(t) {
  const m = TIME_RE.exec(String(t || ''));
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : String(t || '');
}
// A publication time as the input gave it: the day, then the time and its
// zone when it has them ("8 Jan 2022 10:05 UTC", "8 Jan 2022 10:05 +01:00").
function timeText(t) {
  const m = TIME_RE.exec(String(t || ''));
  if (!m || m[4] === undefined) return dayText(t);
  const zone = m[6] === 'Z' ? ' UTC' : m[6] ? ' ' + m[6] : '';
  return `${dayText(t)} ${m[4]}:${m[5]}${zone}`;
}
// A date the pipeline inferred from the article's text (a dateline, a date
// in the text) rather than read from the input is marked "≈ … (from the text)".
function dated(text, inferred) {
  if (!text) return null;
  return inferred
    ? h('span', {class: 'inferred', title: 'inferred from the article text, not given by the source'},
        '≈ ' + text + ' (from the text)')
    : h('span', {}, text);
}
// A story's or storyline's span: one day, or first → last.
function span(first, last, firstInferred, lastInferred) {
  if (!first && !last) return null;
  if (day(first) === day(last) || !first || !last) {
    return h('span', {class: 'span'}, dated(dayText(last || first), lastInferred || firstInferred));
  }
  return h('span', {class: 'span'}, dated(dayText(first), firstInferred), ' → ',
           dated(dayText(last), lastInferred));
}
// The width SVG charts are drawn at: the page's own, so that 12 px text
// stays 12 px on a phone instead of being scaled down with the picture.
const chartWidth = () => Math.max(300, Math.min(1200, app.clientWidth - 32));
// "1 article", "3 articles": a count and its noun, singular for exactly one.
const count = (n, singular, plural = singular + 's') => `${n} ${n === 1 ? singular : plural}`;
// "an exact copy", "a near copy": the indefinite article a phrase takes
// (by its first letter, which is right for the words the page uses).
const withArticle = (phrase) => (/^[aeiou]/i.test(phrase) ? 'an ' : 'a ') + phrase;
const link = (route, text, cls) => h('a', {href: '#' + route, class: cls}, text);
const storyHref = (id) => '/story/' + encodeURIComponent(id);
const articleHref = (id) => '/article/' + encodeURIComponent(id);

function show(...nodes) {
  app.replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
  window.scrollTo(0, 0);
}

function fail(err) {
  show(h('p', {class: 'error', role: 'alert'}, 'Error: ' + err.message),
       h('p', {}, link('/', '← all stories')));
}

function snippet(segments) {
  return h('p', {class: 'snippet'},
           (segments || []).map((p) => (p.match ? h('mark', {}, p.text) : p.text)));
}

function storyCard(st) {
  const sources = st.sources || [];
  const shown = sources.slice(0, 4).join(', ') + (sources.length > 4 ? ` +${sources.length - 4}` : '');
  return h('article', {class: 'card story-card', 'data-story': st.id},
    h('h2', {}, link(storyHref(st.id), st.title || st.id, 'story-link')),
    h('div', {class: 'meta'},
      h('span', {class: 'badge size', title: 'articles'}, count(st.size, 'article')),
      (st.langs || []).map((l) => h('span', {class: 'badge lang'}, l)),
      typeof st.gained === 'number'
        ? h('span', {class: 'badge rising', title: 'articles published in the last 24 h of the stream'},
            `+${st.gained} in 24 h`) : null,
      h('span', {class: 'sources', title: 'sources'}, shown || 'no source'),
      span(st.first_published, st.last_published, st.first_published_inferred, st.last_published_inferred)),
    st.lead ? h('p', {class: 'lead'}, st.lead) : null);
}

// --- Exports ------------------------------------------------------------------
// Files made in the page from the API's answers (so bounded as they are):
// JSONL with one object per line, and Markdown laid out as the CLI's
// `storyline export --format md` lays out a story. The whole store's export
// stays with the CLI.

// Offers `text` as a download named `name`.
function saveFile(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], {type}));
  const a = h('a', {href: url, download: name, hidden: true});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// A button-like link that builds its file when clicked (`make` may be async).
function exportLink(label, name, type, make, id) {
  return h('a', {href: '#', class: 'export', id, onclick: async (e) => {
    e.preventDefault();
    try {
      saveFile(name, type, await make());
    } catch (err) {
      alert('Export failed: ' + err.message);
    }
  }}, label);
}

const oneLine = (t) => String(t || '').replace(/[\r\n]+/g, ' ');
const jsonl = (items) => items.map((x) => JSON.stringify(x)).join('\n') + (items.length ? '\n' : '');
function dateRange(first, last) {
  if (!first) return 'undated';
  return day(first) === day(last || first) ? day(first) : `${day(first)} to ${day(last)}`;
}

// "Reuters story, carried by 4 outlets; 2 cut versions", from the digest's
// wire attribution (the agency its articles' datelines credit).
function wireLine(w) {
  const outlets = (w.outlets || []).length;
  const cut = w.cut_versions || 0;
  return `${w.agency} story` + (outlets ? `, carried by ${count(outlets, 'outlet')}` : '') +
         (cut ? `; ${count(cut, 'cut version')}` : '');
}

// One story as Markdown, from its digest (the API's story object).
function storyMarkdown(st) {
  const out = [`## ${oneLine(st.title || st.id)}`, '',
    `*${count(st.size, 'article')}, ${dateRange(st.first_published, st.last_published)} · story \`${st.id}\`` +
      (st.storyline ? `, storyline \`${st.storyline}\`` : '') + '*', ''];
  if (st.wire && st.wire.agency) out.push(`**Wire**: ${wireLine(st.wire)}`, '');
  if ((st.summary || []).length) out.push(st.summary.map(oneLine).join(' '), '');
  else if (st.lead) out.push(oneLine(st.lead), '');
  if ((st.timeline || []).length) {
    out.push('**Timeline**', '');
    for (const t of st.timeline) {
      out.push(`- **${t.date}**${t.inferred ? ' (inferred)' : ''}: ${oneLine(t.text)}` +
               ((t.sources || []).length ? ` (${t.sources.join(', ')})` : ''));
    }
    out.push('');
  }
  if ((st.quotes || []).length) {
    out.push('**Quotes**', '');
    for (const q of st.quotes) out.push(`> “${oneLine(q.text)}” — ${q.speaker || 'unattributed'}`, '>');
    out.push('');
  }
  if ((st.entities || []).length) {
    out.push('**Who and where**: ' + st.entities.slice(0, 12).map((e) => `${e.name} (${e.type})`).join(', '), '');
  }
  const sources = (st.sources || []).map((x) => (typeof x === 'string' ? x : x.source)).filter(Boolean);
  if (sources.length) out.push('**Sources**: ' + sources.join(', '), '');
  return out.join('\n') + '\n';
}

// --- Story list -------------------------------------------------------------

let facets = null;

async function listPage(params) {
  if (!facets) facets = await api('/api/facets').catch(() => ({languages: [], sources: []}));
  const q = params.get('q') || '';
  const form = h('form', {class: 'filters', id: 'filters'},
    h('label', {}, 'Words', h('input', {name: 'q', type: 'search', value: q})),
    h('label', {}, 'Language', h('select', {name: 'lang'}, h('option', {value: ''}, 'any'),
      facets.languages.map((l) => h('option', {value: l.value, selected: params.get('lang') === l.value},
                                    `${l.value} (${l.count})`)))),
    h('label', {}, 'Source', h('select', {name: 'source'}, h('option', {value: ''}, 'any'),
      facets.sources.map((l) => h('option', {value: l.value, selected: params.get('source') === l.value},
                                  `${l.value} (${l.count})`)))),
    h('label', {}, 'Since', h('input', {name: 'since', type: 'date', value: params.get('since') || ''})),
    h('label', {}, 'Until', h('input', {name: 'until', type: 'date', value: params.get('until') || ''})),
    h('label', {}, 'Order', h('select', {name: 'order'},
      h('option', {value: 'recent', selected: !['largest', 'rising'].includes(params.get('order'))}, 'newest'),
      h('option', {value: 'largest', selected: params.get('order') === 'largest'}, 'largest'),
      h('option', {value: 'rising', selected: params.get('order') === 'rising'}, 'rising (last 24 h)'))),
    h('button', {type: 'submit'}, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) p.set(k, v);
    location.hash = '#/?' + p.toString();
  });
  const limit = 30;
  const offset = Number(params.get('offset') || 0);
  const query = new URLSearchParams(params);
  query.set('limit', limit);
  query.set('offset', offset);
  const data = await api('/api/stories?' + query.toString());
  const pager = h('div', {class: 'pager'},
    offset > 0 ? h('button', {type: 'button', onclick: () => go(params, Math.max(0, offset - limit))}, '← newer') : null,
    h('span', {class: 'muted'}, data.total === 0 ? 'no story' :
      `${offset + 1}–${offset + data.stories.length} of ${data.total}${data.total_exact ? '' : '+'} ` +
        (data.total === 1 && data.total_exact ? 'story' : 'stories')),
    offset + limit < data.total ? h('button', {type: 'button', onclick: () => go(params, offset + limit)}, 'more →') : null);
  // The same list as files: the API's JSON for these filters, or its
  // stories (up to 200) as JSONL or a Markdown briefing.
  const listQuery = new URLSearchParams(params);
  listQuery.delete('offset');
  listQuery.set('limit', 200);
  const listed = async () => (await api('/api/stories?' + listQuery.toString())).stories;
  const exports = h('p', {class: 'exports', id: 'list-exports'}, 'Export up to 200 stories: ',
    h('a', {href: '/api/stories?' + listQuery.toString(), download: 'stories.json'}, 'JSON'), ' · ',
    exportLink('JSONL', 'stories.jsonl', 'application/x-ndjson', async () => jsonl(await listed()), 'export-list-jsonl'),
    ' · ',
    exportLink('Markdown', 'stories.md', 'text/markdown', async () => {
      const stories = await listed();
      return `# News briefing\n\n${count(stories.length, 'story', 'stories')}, as listed.\n\n` +
             stories.map(storyMarkdown).join('');
    }, 'export-list-md'));
  const window_ = data.window
    ? h('p', {class: 'muted', id: 'rising-window'},
        `Stories that gained articles from ${timeText(data.window.since)} to ${timeText(data.window.until)} ` +
        '(the last 24 h of the stream), most gained first.') : null;
  show(h('h1', {}, 'Stories'), form, window_,
       h('div', {id: 'stories'}, data.stories.map(storyCard)), pager, exports);
}

function go(params, offset) {
  const p = new URLSearchParams(params);
  p.set('offset', offset);
  location.hash = '#/?' + p.toString();
}

// --- Story page ---------------------------------------------------------------

function timelineSvg(entries) {
  const dated = entries.filter((e) => /^\d{4}-\d{2}-\d{2}/.test(e.date || ''));
  if (dated.length === 0) return null;
  const times = dated.map((e) => Date.parse(e.date.slice(0, 10)));
  const min = Math.min(...times), max = Math.max(...times);
  const W = chartWidth(), H = 90, pad = 50;
  const x = (t) => (max === min ? W / 2 : pad + ((t - min) / (max - min)) * (W - 2 * pad));
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'timeline'},
    s('line', {x1: pad - 20, y1: 45, x2: W - pad + 20, y2: 45, stroke: '#98a2b3', 'stroke-width': 2}));
  // One dot per date; labels alternate above and below, and a label too
  // close to the previous one on its side is left to the dot's tooltip.
  const seen = new Set();
  const lastLabel = [-1e9, -1e9];
  let n = 0;
  dated.forEach((e, i) => {
    const t = times[i];
    if (seen.has(t)) return;
    seen.add(t);
    const cx = x(t);
    const side = n++ % 2;
    svg.append(s('circle', {cx, cy: 45, r: 7, fill: e.inferred ? '#98a2b3' : '#2f5fd0'},
                 s('title', {}, `${e.date}${e.inferred ? ' (inferred)' : ''}: ${e.text}`)));
    if (cx - lastLabel[side] < 80) return;
    lastLabel[side] = cx;
    svg.append(s('text', {x: cx, y: side ? 78 : 24, 'text-anchor': 'middle', 'font-size': 12,
                          fill: '#344054'}, e.date.slice(0, 10)));
  });
  return svg;
}

// Articles over time: one bar per bucket of the API's volume (hours for a
// story spanning under two days, else days), empty buckets included, so the
// bars read as a time axis. Labels at the ends and a few between.
function volumeSvg(volume) {
  const buckets = (volume && volume.buckets) || [];
  if (buckets.length === 0) return null;
  const W = chartWidth(), H = 160, padL = 34, padR = 10, top = 18, bottom = 40;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const step = (W - padL - padR) / buckets.length;
  const barH = (n) => (n / max) * (H - top - bottom);
  const hourly = volume.bucket === 'hour';
  const label = (b) => (hourly ? `${b.start.slice(11, 16)}` : dayText(b.start).replace(/ \d{4}$/, ''));
  const svg = s('svg', {viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img',
                        'aria-label': `articles per ${volume.bucket}`},
    s('line', {x1: padL, y1: H - bottom, x2: W - padR, y2: H - bottom, stroke: '#98a2b3'}),
    s('text', {x: padL - 6, y: top + 4, 'text-anchor': 'end', 'font-size': 12, fill: '#667085'}, max),
    s('text', {x: padL - 6, y: H - bottom, 'text-anchor': 'end', 'font-size': 12, fill: '#667085'}, 0));
  buckets.forEach((b, i) => {
    const bh = barH(b.count);
    svg.append(s('rect', {class: 'bar', x: padL + i * step + step * 0.1, y: H - bottom - bh,
                          width: Math.max(1, step * 0.8), height: bh, fill: '#2f5fd0'},
      s('title', {}, `${hourly ? timeText(b.start) : dayText(b.start)}: ${count(b.count, 'article')}`)));
  });
  // At most one label per 70 px: the first bucket, then every few; the last
  // one too when it has room.
  const every = Math.max(1, Math.ceil(70 / step));
  buckets.forEach((b, i) => {
    const last = i === buckets.length - 1;
    if (i % every !== 0 && !(last && (i % every) * step >= 70)) return;
    // A label near the right edge ends at its bar instead of centring on it.
    const x = padL + (i + 0.5) * step;
    const nearEnd = x > W - padR - 30;
    svg.append(s('text', {x: nearEnd ? Math.min(x + step / 2, W - 2) : x, y: H - bottom + 16,
                          'text-anchor': nearEnd ? 'end' : 'middle', 'font-size': 12, fill: '#344054'},
                 label(b)));
  });
  if (hourly) {
    svg.append(s('text', {x: padL, y: H - 2, 'font-size': 12, fill: '#667085'},
                 dayText(buckets[0].start) + ', UTC'));
  }
  return svg;
}

function volumeSection(volume) {
  const svg = volumeSvg(volume);
  if (!svg) return null;
  const total = volume.buckets.reduce((n, b) => n + b.count, 0);
  return h('section', {class: 'volume', id: 'volume'}, h('h2', {}, 'Articles over time'),
    h('p', {class: 'muted'}, `${count(total, 'dated article')} per ${volume.bucket}` +
      (volume.undated ? `; ${count(volume.undated, 'article')} without a date` : '')),
    h('div', {class: 'chart'}, svg));
}

// Articles as nodes; copy relations as arrows from the copy to its original.
function copyGraphSvg(articles, copies) {
  if (articles.length === 0) return null;
  const shown = articles.slice(0, 40);
  const index = new Map(shown.map((a, i) => [a.id, i]));
  const W = chartWidth(), rowH = 34;
  const left = Math.round(W * 0.25), right = Math.round(W * 0.75);
  const maxLabel = Math.max(8, Math.floor((W / 4 - 20) / 7));
  const originals = shown.filter((a) => !a.copy_of || !index.has(a.copy_of));
  const copiesOnly = shown.filter((a) => a.copy_of && index.has(a.copy_of));
  const pos = new Map();
  originals.forEach((a, i) => pos.set(a.id, {x: left, y: 25 + i * rowH}));
  copiesOnly.forEach((a, i) => pos.set(a.id, {x: right, y: 25 + i * rowH}));
  const height = Math.max(originals.length, copiesOnly.length) * rowH + 20;
  const svg = s('svg', {viewBox: `0 0 ${W} ${Math.max(height, 60)}`, role: 'img',
                        'aria-label': 'copy relations between articles'},
    s('defs', {}, s('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5,
                               markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse'},
      s('path', {d: 'M 0 0 L 10 5 L 0 10 z', fill: '#c2410c'}))));
  for (const c of copies) {
    const a = pos.get(c.article), b = pos.get(c.copy_of);
    if (!a || !b) continue;
    svg.append(s('line', {x1: a.x - 8, y1: a.y, x2: b.x + 8, y2: b.y, stroke: '#c2410c',
                          'stroke-width': 1.5, 'marker-end': 'url(#arrow)'},
                 s('title', {}, `${c.article} ${c.relation} copy of ${c.copy_of} (jaccard ${c.jaccard.toFixed(2)})`)));
    svg.append(s('text', {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 4, 'text-anchor': 'middle',
                          'font-size': 11, fill: '#c2410c'}, c.relation));
  }
  for (const a of shown) {
    const p = pos.get(a.id);
    const isCopy = p.x > W / 2;
    const label = `${a.source || a.id}`;
    const g = s('a', {href: '#' + articleHref(a.id)},
      s('circle', {cx: p.x, cy: p.y, r: 7, fill: isCopy ? '#c2410c' : '#2f5fd0'}),
      s('text', {x: isCopy ? p.x + 14 : p.x - 14, y: p.y + 4, 'text-anchor': isCopy ? 'start' : 'end',
                 'font-size': 12, fill: '#1d2430'}, label.length > maxLabel ? label.slice(0, maxLabel - 1) + '…' : label),
      s('title', {}, a.title || a.id));
    svg.append(g);
  }
  return svg;
}

async function storyPage(id) {
  const data = await api('/api/stories/' + encodeURIComponent(id));
  const st = data.story;
  const sources = Array.isArray(st.sources) ? st.sources : [];
  // An article's badge reads its own copy_of, the one source of copy
  // direction (the API orients the copies by it too); the pair behind the
  // link, when listed, gives the relation.
  const relationOf = new Map(data.copies.map((c) => [c.article + '\n' + c.copy_of, c.relation]));
  const copyBadge = (a) => {
    if (!a.copy_of) return null;
    const relation = relationOf.get(a.id + '\n' + a.copy_of);
    return h('span', {class: 'badge copy'}, (relation ? relation + ' ' : '') + 'copy of ' + a.copy_of);
  };
  show(
    h('p', {class: 'muted'}, link('/', '← all stories'),
      data.storyline && data.storyline.id
        ? [' · storyline: ', link('/storyline/' + encodeURIComponent(data.storyline.id),
                                  data.storyline.title || data.storyline.id)] : null),
    h('h1', {id: 'story-title'}, st.title || st.id),
    h('div', {class: 'meta'},
      h('span', {class: 'badge size'}, count(st.size, 'article')),
      (st.langs || []).map((l) => h('span', {class: 'badge lang'}, l)),
      span(st.first_published, st.last_published, st.first_published_inferred, st.last_published_inferred),
      st.first_source ? h('span', {}, 'first reported by ' + st.first_source) : null,
      st.wire && st.wire.agency ? h('span', {class: 'wire', id: 'story-wire'}, wireLine(st.wire)) : null),
    h('p', {class: 'exports', id: 'story-exports'}, 'Export: ',
      h('a', {href: '/api/stories/' + encodeURIComponent(st.id), download: `story-${st.id}.json`}, 'JSON'), ' · ',
      exportLink('articles (JSONL)', `story-${st.id}-articles.jsonl`, 'application/x-ndjson',
                 () => jsonl(data.articles), 'export-story-jsonl'), ' · ',
      exportLink('Markdown', `story-${st.id}.md`, 'text/markdown', () => storyMarkdown(st), 'export-story-md'),
      ' · Follow: ', h('a', {href: '/api/stories/' + encodeURIComponent(st.id) + '/feed.atom', id: 'story-feed',
                             type: 'application/atom+xml'}, 'Atom feed')),
    volumeSection(data.volume),
    (st.summary || []).length ? h('section', {class: 'summary'}, h('h2', {}, 'Summary'),
      h('ul', {}, st.summary.map((x) => h('li', {}, x)))) : null,
    (st.timeline || []).length ? h('section', {class: 'timeline', id: 'timeline'}, h('h2', {}, 'Timeline'),
      timelineSvg(st.timeline),
      h('ol', {}, st.timeline.map((e) => h('li', {},
        h('time', {class: e.inferred ? 'inferred' : null,
                   title: e.inferred ? 'inferred from the article text' : null},
          (e.inferred ? '≈ ' : '') + e.date), e.text,
        e.article ? [' ', link(articleHref(e.article), '↗', 'muted')] : null)))) : null,
    (st.quotes || []).length ? h('section', {class: 'quotes'}, h('h2', {}, 'Quotes'),
      st.quotes.map((q) => h('blockquote', {}, '“' + q.text + '”',
        h('cite', {}, '— ' + (q.speaker || 'unattributed'),
          q.article ? [' · ', link(articleHref(q.article), q.article)] : null)))) : null,
    (st.entities || []).length ? h('section', {}, h('h2', {}, 'Entities'),
      h('div', {class: 'entities'}, st.entities.map((e) =>
        h('span', {class: 'entity ' + (e.type || ''), title: e.type || ''},
          e.name, e.mentions ? h('span', {class: 'muted'}, ' ×' + e.mentions) : null)))) : null,
    sources.length ? h('section', {}, h('h2', {}, 'Sources'),
      h('table', {}, h('tr', {}, h('th', {}, 'source'), h('th', {}, 'first published'), h('th', {}, 'articles')),
        sources.map((x) => typeof x === 'string' ? h('tr', {}, h('td', {}, x), h('td', {}), h('td', {}))
          : h('tr', {}, h('td', {}, x.source), h('td', {}, day(x.first_published)),
              h('td', {}, Array.isArray(x.articles) ? x.articles.length : (x.articles ?? '')))))) : null,
    h('section', {class: 'graph', id: 'copy-graph'}, h('h2', {}, 'Articles and copies'),
      data.copies.length ? copyGraphSvg(data.articles, data.copies)
                         : h('p', {class: 'muted'}, 'No article here copies another.'),
      h('div', {id: 'articles'}, data.articles.map((a) => h('div', {class: 'card article-card'},
        h('h3', {}, link(articleHref(a.id), a.title || a.id, 'article-link')),
        h('div', {class: 'meta'},
          h('span', {}, a.source || 'unknown source'),
          dated(timeText(a.published), a.published_inferred),
          a.lang ? h('span', {class: 'badge lang'}, a.lang) : null,
          copyBadge(a))))),
      data.articles_total > data.articles.length
        ? h('p', {class: 'muted'}, `${count(data.articles_total - data.articles.length, 'more article', 'more articles')} not shown`) : null));
  document.title = (st.title || st.id) + ' — storyline';
}

// --- Article page -------------------------------------------------------------

async function articlePage(id) {
  const data = await api('/api/articles/' + encodeURIComponent(id));
  const a = data.article;
  const body = h('div', {class: 'body', id: 'body'},
    (a.body || '').split('\n').filter((p) => p.trim()).map((p) => h('p', {}, p)));
  const lines = h('div', {class: 'lines', id: 'lines', hidden: true},
    a.lines.map((l) => h('div', {class: 'line' + (REMOVED.has(l.role) ? ' removed' : ''), 'data-role': l.role},
      h('span', {class: 'n'}, l.n), h('span', {class: 'role'}, l.role),
      h('span', {}, h('span', {class: 'text'}, l.text || '\u00a0'),
        REMOVED.has(l.role) ? h('span', {class: 'why'}, l.reason) : null))));
  const removedCount = a.lines.filter((l) => REMOVED.has(l.role)).length;
  const toggle = h('input', {type: 'checkbox', id: 'show-removed'});
  toggle.addEventListener('change', () => {
    lines.hidden = !toggle.checked;
    body.hidden = toggle.checked;
  });
  show(
    h('p', {class: 'muted'}, link('/', '← all stories'),
      data.story && data.story.id ? [' · story: ', link(storyHref(data.story.id), data.story.title || data.story.id)] : null),
    h('h1', {id: 'article-title'}, a.title || a.id),
    h('div', {class: 'meta'},
      h('span', {}, a.source || 'unknown source'),
      dated(timeText(a.published), a.published_inferred),
      a.lang ? h('span', {class: 'badge lang'}, a.lang) : null,
      a.url ? h('a', {href: a.url, rel: 'noopener noreferrer'}, 'original') : null,
      a.copy_of ? h('span', {class: 'badge copy'}, 'copy of ', link(articleHref(a.copy_of), a.copy_of)) : null),
    h('label', {class: 'toggle'}, toggle, `Show all ${count(a.lines.length, 'line')} (${removedCount} removed, with why)`),
    body, lines,
    data.duplicates.length ? h('section', {id: 'duplicates'}, h('h2', {}, 'Copies and duplicates'),
      data.duplicates.map((d) => {
        const other = d.article === a.id ? d.copy_of : d.article;
        const dir = d.article === a.id ? 'this is ' + withArticle(d.relation + ' copy') + ' of'
                                       : withArticle(d.relation + ' copy') + ' of this:';
        return h('div', {class: 'card'},
          h('div', {}, dir, ' ', link(articleHref(other), other)),
          h('div', {class: 'meta'}, `jaccard ${d.jaccard.toFixed(2)}`, ` · containment ${d.containment.toFixed(2)}`),
          d.evidence.length ? h('ul', {class: 'evidence'}, d.evidence.map((e) => h('li', {}, '“' + e + '”'))) : null);
      })) : null);
  document.title = (a.title || a.id) + ' — storyline';
}

// --- Storyline and search -----------------------------------------------------

async function storylinePage(id) {
  const data = await api('/api/storylines/' + encodeURIComponent(id));
  const line = data.storyline;
  show(h('p', {class: 'muted'}, link('/', '← all stories'), ' · ', link('/storylines', 'all storylines')),
       h('h1', {id: 'storyline-title'}, line.title || line.id),
       h('div', {class: 'meta'}, h('span', {class: 'badge size'}, count(line.size, 'story', 'stories')),
         span(line.first_published, line.last_published)),
       volumeSection(data.volume),
       h('section', {}, h('h2', {}, 'Stories'),
         h('div', {id: 'stories'}, data.stories.map(storyCard))));
  document.title = (line.title || line.id) + ' — storyline';
}

async function storylinesPage(params) {
  const limit = 30;
  const offset = Math.max(0, Number(params.get('offset') || 0));
  const data = await api('/api/storylines?' + new URLSearchParams({limit, offset}).toString());
  const page = (o) => { location.hash = '#/storylines?' + new URLSearchParams({offset: o}).toString(); };
  show(h('h1', {}, 'Storylines'),
    h('p', {class: 'muted'}, 'Stories that follow one another on the same subject, latest first.'),
    h('div', {id: 'storylines'}, data.storylines.map((l) => h('article', {class: 'card storyline-card'},
      h('h2', {}, link('/storyline/' + encodeURIComponent(l.id), l.title || l.id, 'storyline-link')),
      h('div', {class: 'meta'}, h('span', {class: 'badge size'}, count(l.size, 'story', 'stories')),
        span(l.first_published, l.last_published))))),
    h('div', {class: 'pager'},
      offset > 0 ? h('button', {type: 'button', onclick: () => page(Math.max(0, offset - limit))}, '← previous') : null,
      h('span', {class: 'muted'}, data.total === 0 ? 'no storyline'
        : `${offset + 1}–${offset + data.storylines.length} of ${count(data.total, 'storyline')}`),
      offset + limit < data.total ? h('button', {type: 'button', onclick: () => page(offset + limit)}, 'next →') : null));
}

async function searchPage(params) {
  const q = params.get('q') || '';
  // 20 a page unless the address says otherwise (the API takes 1 to 100).
  const limit = Math.min(100, Math.max(1, Number(params.get('limit')) || 20));
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  document.getElementById('q').value = q;
  const data = await api('/api/search?' + new URLSearchParams({q, limit, offset}).toString());
  // Stories and articles page together: page n shows the n-th `limit` of each.
  const total = Math.max(data.total_stories, data.total_articles);
  const page = (o) => {
    const p = new URLSearchParams({q, offset: o});
    if (params.has('limit')) p.set('limit', limit);
    location.hash = '#/search?' + p.toString();
  };
  // A total that is not exact counts the hits among the newest matches the
  // search ranks: more match.
  const range = (n, exact, shown) => {
    const of = exact ? `${n}` : `${n}+`;
    return shown === 0 ? of : `${offset + 1}–${offset + shown} of ${of}`;
  };
  show(h('h1', {}, `Search: ${q}`),
    h('p', {class: 'exports'}, 'Follow this search: ',
      h('a', {href: '/feed.atom?' + new URLSearchParams({q}).toString(), id: 'search-feed',
              type: 'application/atom+xml'}, 'Atom feed')),
    h('section', {id: 'search-stories'}, h('h2', {}, `Stories (${range(data.total_stories, data.total_stories_exact, data.stories.length)})`),
      data.stories.map((x) => h('div', {class: 'card'},
        h('h3', {}, link(storyHref(x.id), x.title || x.id)),
        h('div', {class: 'meta'}, h('span', {class: 'badge size'}, count(x.size, 'article'))),
        snippet(x.snippet)))),
    h('section', {id: 'search-articles'}, h('h2', {}, `Articles (${range(data.total_articles, data.total_articles_exact, data.articles.length)})`),
      data.articles.map((x) => h('div', {class: 'card'},
        h('h3', {}, link(articleHref(x.id), x.title || x.id)),
        h('div', {class: 'meta'}, h('span', {}, x.source || ''), h('span', {}, dayText(x.published)),
          x.copies > 1 ? h('span', {class: 'badge copies'}, `+${count(x.copies - 1, 'copy', 'copies')}`) : null,
          x.story ? link(storyHref(x.story), 'story') : null),
        snippet(x.snippet)))),
    h('div', {class: 'pager', id: 'search-pager'},
      offset > 0 ? h('button', {type: 'button', id: 'search-prev', onclick: () => page(Math.max(0, offset - limit))},
                     '← previous') : null,
      total > limit ? h('span', {class: 'muted'}, `page ${Math.floor(offset / limit) + 1} of ${Math.ceil(total / limit)}`) : null,
      offset + limit < total ? h('button', {type: 'button', id: 'search-next', onclick: () => page(offset + limit)},
                                 'next →') : null));
}

// --- Routing ------------------------------------------------------------------

async function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  document.title = 'storyline';
  try {
    if (parts[0] === 'story' && parts[1]) await storyPage(parts[1]);
    else if (parts[0] === 'article' && parts[1]) await articlePage(parts[1]);
    else if (parts[0] === 'storyline' && parts[1]) await storylinePage(parts[1]);
    else if (parts[0] === 'storylines') await storylinesPage(params);
    else if (parts[0] === 'search') await searchPage(params);
    else await listPage(params);
  } catch (err) {
    fail(err);
  }
  document.body.dataset.ready = hash;
}

document.getElementById('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = document.getElementById('q').value.trim();
  if (q) location.hash = '#/search?' + new URLSearchParams({q}).toString();
});
window.addEventListener('hashchange', route);
route();
