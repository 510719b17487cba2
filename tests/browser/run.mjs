// Browser test of the storyline web page: builds a store from examples/,
// starts `storyline serve` on a free loopback port, and drives Debian's
// headless Chromium (never a downloaded browser) through list -> story ->
// article, the removed-lines toggle, filters, the rising order, the
// articles-over-time charts, search with its pager, the storylines list and a
// storyline page at 1400 px, then the same pages on a 390 px phone (no
// horizontal overflow, chart text not scaled down). Screenshots go to
// tests/browser/screenshots/. Exits non-zero on failure.
//
//   STORYLINE_BIN=build/apps/storyline/storyline node tests/browser/run.mjs
import {spawn, spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const bin = path.resolve(process.env.STORYLINE_BIN || path.join(root, 'build/apps/storyline/storyline'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = path.join(here, 'screenshots');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'storyline-browser-'));
const db = path.join(work, 'browser.db');

function check(cond, message) {
  if (!cond) throw new Error('check failed: ' + message);
}

// Counts agree with their nouns and "a"/"an" with what follows, in the
// page's own words (article text is not checked): no "1 articles", no
// "a exact copy".
async function checkWording(page, where) {
  const text = await page.locator('#app').innerText();
  const bad = /\b1 (?:more )?(?:articles|stories|lines)\b|\ba exact copy|\ban (?:near|partial) copy/.exec(text);
  check(!bad, `${where}: wrong wording "${bad && bad[0]}"`);
}

function ingest() {
  const r = spawnSync(bin, ['ingest', '-q', '--db', db, path.join(root, 'examples/news.jsonl'),
                            path.join(root, 'examples/txt')], {encoding: 'utf8'});
  if (r.status !== 0) throw new Error(`storyline ingest failed (${r.status}): ${r.stderr}`);
}

// Starts the server on port 0 and resolves with its base URL.
function serve() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--db', db, '--host', '127.0.0.1', '--port', '0'],
                        {stdio: ['ignore', 'ignore', 'pipe']});
    let err = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + err)), 20000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({child, base: `http://127.0.0.1:${m[1]}`});
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

async function main() {
  check(fs.existsSync(bin), `no storyline binary at ${bin} (set STORYLINE_BIN)`);
  check(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath}`);
  fs.mkdirSync(shots, {recursive: true});
  ingest();
  const {child, base} = await serve();
  const profile = fs.mkdtempSync(path.join(work, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: {width: 1400, height: 900},
  });
  const problems = [];
  const steps = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => { if (m.type() === 'error') problems.push('console: ' + m.text()); });
    // Nothing may leave loopback (no CDN, no fonts).
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) problems.push('external request: ' + r.url());
    });
    const ready = (hashPrefix) => page.waitForFunction(
        (p) => (document.body.dataset.ready || '').startsWith(p), hashPrefix, {timeout: 15000});

    // 1. The story list.
    await page.goto(base + '/');
    await ready('/');
    await page.waitForSelector('.story-card');
    const cards = await page.locator('.story-card').count();
    check(cards >= 5, `story list shows ${cards} stories`);
    const firstCard = await page.locator('.story-card').first().innerText();
    check(/\d+ articles?/.test(firstCard), 'a story card shows its size: ' + firstCard);
    await checkWording(page, 'story list');
    const sizes = await page.locator('.story-card .badge.size').allInnerTexts();
    check(!sizes.includes('1 articles'), 'a one-article story says "1 article"');
    await page.screenshot({path: path.join(shots, '1-stories.png'), fullPage: true});
    steps.push(`list: ${cards} stories`);

    // 2. Filters: language French.
    await page.selectOption('#filters select[name=lang]', 'fr');
    await page.click('#filters button[type=submit]');
    await ready('/?');
    await page.waitForSelector('.story-card');
    const langs = await page.locator('.story-card .badge.lang').allInnerTexts();
    check(langs.some((l) => l.toLowerCase() === 'fr'), 'French filter shows French stories');
    const frCards = await page.locator('.story-card').count();
    check(frCards < cards, `language filter narrows the list (${frCards} < ${cards})`);
    await page.screenshot({path: path.join(shots, '2-stories-fr.png'), fullPage: true});
    steps.push(`filter lang=fr: ${frCards} stories`);

    // 3. A story with copies: the ferry strike.
    await page.goto(base + '/#/?q=ferry&order=largest');
    await ready('/?q=ferry');
    await page.waitForSelector('.story-card');
    await page.locator('.story-card a.story-link').first().click();
    await ready('/story/');
    const title = await page.locator('#story-title').innerText();
    check(title.length > 5, 'story page has a title');
    check(await page.locator('#articles .article-card').count() >= 2, 'story lists its articles');
    const summary = await page.locator('.summary li').count();
    const timeline = await page.locator('#timeline svg circle').count();
    const graphNodes = await page.locator('#copy-graph svg circle').count();
    check(summary > 0, 'story shows a summary');
    check(graphNodes >= 2, 'copy graph drawn with its articles');
    await checkWording(page, 'story page');
    // Every copy badge names the article's own copy_of, as the API's copies do.
    const storyId = decodeURIComponent(page.url().split('/story/')[1]);
    const storyJson = await (await fetch(`${base}/api/stories/${encodeURIComponent(storyId)}`)).json();
    // The story's Atom feed: linked from the page, well-formed XML with one
    // entry per article.
    {
      const href = await page.locator('#story-feed').getAttribute('href');
      const entries = await page.evaluate(async (url) => {
        const text = await (await fetch(url)).text();
        const doc = new DOMParser().parseFromString(text, 'application/xml');
        if (doc.getElementsByTagName('parsererror').length) return -1;
        return doc.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry').length;
      }, href);
      check(entries === storyJson.articles.length,
            `story Atom feed parses with one entry per article (${entries})`);
    }
    // The wire agency the datelines credit (the ferry stories are wire copies).
    if (storyJson.story.wire) {
      const wire = await page.locator('#story-wire').innerText();
      check(wire.startsWith(storyJson.story.wire.agency + ' story'), `wire named: "${wire}"`);
    } else {
      check(false, 'the ferry story credits a wire agency');
    }
    const badges = await page.locator('#articles .badge.copy').allInnerTexts();
    const withCopyOf = storyJson.articles.filter((x) => x.copy_of);
    check(badges.length === withCopyOf.length,
          `one copy badge per article with copy_of (${badges.length} vs ${withCopyOf.length})`);
    for (const c of storyJson.copies) {
      const target = storyJson.articles.find((x) => x.id === c.copy_of);
      check(!target || target.copy_of !== c.article, `copy ${c.article} -> ${c.copy_of} points against copy_of`);
    }
    // The articles-over-time chart: one bar per bucket of the API's volume.
    const bars = await page.locator('#volume svg rect.bar').count();
    check(storyJson.volume.buckets.length > 0, 'the story has dated articles');
    check(bars === storyJson.volume.buckets.length,
          `volume chart has ${bars} bars for ${storyJson.volume.buckets.length} ${storyJson.volume.bucket} buckets`);
    const barTitles = await page.locator('#volume svg rect.bar title').allTextContents();
    const apiCounts = storyJson.volume.buckets.map((b) => b.count);
    check(barTitles.every((t, i) => t.endsWith(`: ${apiCounts[i]} article${apiCounts[i] === 1 ? '' : 's'}`)),
          'each bar is labelled with its count: ' + barTitles.join(' | '));
    // Export buttons: the story's articles as JSONL, its digest as Markdown.
    const download = async (selector) => {
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
      return {name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), 'utf8')};
    };
    const storyJsonl = await download('#export-story-jsonl');
    const jsonlLines = storyJsonl.text.trim().split('\n').map((l) => JSON.parse(l));
    check(jsonlLines.length === storyJson.articles.length &&
          jsonlLines.every((x, i) => x.id === storyJson.articles[i].id),
          `JSONL export has one line per article (${jsonlLines.length})`);
    const storyMd = await download('#export-story-md');
    check(storyMd.name.endsWith('.md') && storyMd.text.startsWith('## ' + storyJson.story.title) &&
          storyMd.text.includes(`story \`${storyId}\``) && storyMd.text.includes('**Timeline**'),
          'Markdown export: ' + storyMd.text.slice(0, 200));
    check(await page.locator('#story-exports a[href^="/api/stories/"]:not(#story-feed)').count() === 1, 'JSON export links the API');
    await page.screenshot({path: path.join(shots, '3-story.png'), fullPage: true});
    steps.push(`story volume: ${bars} bars per ${storyJson.volume.bucket}`);
    steps.push(`story "${title}": ${summary} summary sentences, ${timeline} timeline dots, ${graphNodes} graph nodes`);

    // 4. An article, then the removed-lines toggle.
    await page.locator('#articles a.article-link').first().click();
    await ready('/article/');
    const articleTitle = await page.locator('#article-title').innerText();
    const paragraphs = await page.locator('#body p').count();
    check(paragraphs > 0, 'article shows its clean body');
    await checkWording(page, 'article page');
    check(await page.locator('#lines').isHidden(), 'removed lines hidden at first');
    await page.screenshot({path: path.join(shots, '4-article.png'), fullPage: true});
    await page.check('#show-removed');
    await page.waitForSelector('#lines .line.removed .why');
    const removed = await page.locator('#lines .line.removed').count();
    const why = await page.locator('#lines .line.removed .why').first().innerText();
    check(removed > 0 && why.length > 0, 'removed lines shown with their reason');
    await page.screenshot({path: path.join(shots, '5-article-lines.png'), fullPage: true});

    // An exact copy and its original read "an exact copy", never "a exact copy".
    for (const id of ['vozebro-bilbao-incendio', 'peninsula-bilbao-incendio']) {
      await page.goto(`${base}/#/article/${encodeURIComponent(id)}`);
      await ready(`/article/${encodeURIComponent(id)}`);
      await page.waitForSelector('#duplicates');
      const dups = await page.locator('#duplicates').innerText();
      check(/\ban exact copy\b/.test(dups), `${id}: duplicates say "an exact copy": ${dups.slice(0, 200)}`);
      await checkWording(page, 'article ' + id);
    }
    steps.push(`article "${articleTitle}": ${paragraphs} paragraphs, ${removed} removed lines (e.g. "${why}")`);

    // 5. Search from the header, then its pager.
    await page.fill('#q', 'ferry strike');
    await page.press('#q', 'Enter');
    await ready('/search');
    await page.waitForSelector('#search-articles mark');
    const hits = await page.locator('#search-articles .card').count();
    check(hits > 0, 'search finds articles');
    await page.screenshot({path: path.join(shots, '6-search.png'), fullPage: true});
    {
      // The search's Atom feed, linked from the results, parses as XML.
      const href = await page.locator('#search-feed').getAttribute('href');
      const entries = await page.evaluate(async (url) => {
        const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), 'application/xml');
        if (doc.getElementsByTagName('parsererror').length) return -1;
        return doc.getElementsByTagNameNS('http://www.w3.org/2005/Atom', 'entry').length;
      }, href);
      check(entries === Math.min(hits, 20), `search Atom feed parses with its entries (${entries})`);
    }
    steps.push(`search "ferry strike": ${hits} articles`);
    // Five a page, so that the examples' "the" takes several pages.
    const common = await (await fetch(`${base}/api/search?q=the&limit=5`)).json();
    check(common.total_articles > 10, `"the" matches more than two pages (${common.total_articles})`);
    await page.goto(`${base}/#/search?q=the&limit=5`);
    // The exact route: the previous search's page is still marked ready
    // (the hash changes in the same document) until this one has rendered.
    await ready('/search?q=the&limit=5');
    await page.waitForSelector('#search-articles .card');
    check(await page.locator('#search-prev').count() === 0, 'no previous on the first page');
    const page1 = await page.locator('#search-articles .card h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    check(page1.length === 5, `first search page shows 5 articles (${page1.length})`);
    await page.click('#search-next');
    await page.waitForFunction(() => (document.body.dataset.ready || '').includes('offset=5'));
    const page2 = await page.locator('#search-articles .card h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    check(page2.length === 5, `second page shows 5 more (${page2.length})`);
    check(page2.every((t) => !page1.includes(t)), 'second page shows other articles');
    const heading = await page.locator('#search-articles h2').innerText();
    check(heading.includes(`6–10 of ${common.total_articles}`), 'articles heading: ' + heading);
    const pagerText = await page.locator('#search-pager').innerText();
    check(pagerText.includes(`page 2 of ${Math.ceil(common.total_articles / 5)}`), 'pager: ' + pagerText);
    await page.screenshot({path: path.join(shots, '6b-search-page2.png'), fullPage: true});
    await page.click('#search-prev');
    await page.waitForFunction(() => (document.body.dataset.ready || '').includes('offset=0'));
    check((await page.locator('#search-articles .card h3 a').first().getAttribute('href')) === page1[0], 'previous goes back');
    steps.push(`search "the": ${common.total_articles} articles, paged 5 at a time`);

    // 6. The rising order: stories that gained articles in the stream's last day.
    await page.goto(`${base}/#/?order=rising`);
    await ready('/?order=rising');
    const rising = await (await fetch(`${base}/api/stories?order=rising&limit=30`)).json();
    check(rising.stories.length > 0, 'some story rises');
    await page.waitForSelector('.story-card .badge.rising');
    const risingBadges = await page.locator('.story-card .badge.rising').allInnerTexts();
    check(risingBadges.length === rising.stories.length, `one "+N in 24 h" badge per story (${risingBadges.length})`);
    check(risingBadges[0] === `+${rising.stories[0].gained} in 24 h`, 'badge: ' + risingBadges[0]);
    check(await page.locator('#rising-window').count() === 1, 'the window is said');
    check(await page.locator('#filters select[name=order]').inputValue() === 'rising', 'order control shows rising');
    const listMd = await download('#export-list-md');
    check(listMd.text.startsWith('# News briefing') &&
          listMd.text.includes('## ' + rising.stories[0].title), 'list Markdown export: ' + listMd.text.slice(0, 200));
    const listJsonl = (await download('#export-list-jsonl')).text.trim().split('\n').map((l) => JSON.parse(l));
    check(listJsonl.length === rising.stories.length && listJsonl[0].id === rising.stories[0].id,
          `list JSONL export holds the listed stories (${listJsonl.length})`);
    await page.screenshot({path: path.join(shots, '8-rising.png'), fullPage: true});
    steps.push(`rising: ${rising.stories.length} stories, first ${risingBadges[0]}`);

    // 7. The storylines list, then a storyline page with its chart and stories.
    const lines = await (await fetch(base + '/api/storylines?limit=30')).json();
    await page.click('#nav-storylines');
    await ready('/storylines');
    await page.waitForSelector('.storyline-card');
    const lineCards = await page.locator('.storyline-card').count();
    check(lineCards === lines.storylines.length, `storylines list shows ${lineCards} of ${lines.storylines.length}`);
    const lineMeta = await page.locator('.storyline-card .meta').first().innerText();
    check(/\d+ stor(y|ies)/.test(lineMeta) && /\d{4}/.test(lineMeta), 'a storyline card has its size and dates: ' + lineMeta);
    await checkWording(page, 'storylines list');
    await page.screenshot({path: path.join(shots, '9-storylines.png'), fullPage: true});
    // The storyline with the most stories.
    const biggest = [...lines.storylines].sort((a, b) => b.size - a.size)[0];
    const lineJson = await (await fetch(`${base}/api/storylines/${encodeURIComponent(biggest.id)}`)).json();
    await page.goto(`${base}/#/storyline/${encodeURIComponent(biggest.id)}`);
    await ready('/storyline/');
    await page.waitForSelector('.story-card');
    check(await page.locator('.story-card').count() === lineJson.stories.length, 'storyline lists its stories');
    const lineBars = await page.locator('#volume svg rect.bar').count();
    check(lineBars === lineJson.volume.buckets.length,
          `storyline chart has ${lineBars} bars for ${lineJson.volume.buckets.length} buckets`);
    await checkWording(page, 'storyline page');
    await page.screenshot({path: path.join(shots, '7-storyline.png'), fullPage: true});
    steps.push(`storylines: ${lineCards} listed; ${biggest.id} with ${biggest.size} stories, ${lineBars} bars`);

    // 8. Dates inferred from the text are marked as such.
    const all = await (await fetch(`${base}/api/stories?limit=200`)).json();
    const inferred = all.stories.find((x) => x.first_published_inferred || x.last_published_inferred);
    if (inferred) {
      await page.goto(`${base}/#/story/${encodeURIComponent(inferred.id)}`);
      await ready('/story/');
      const marked = await page.locator('.meta .inferred').first().innerText();
      check(/^≈ .*\(from the text\)$/.test(marked), 'an inferred date reads "≈ … (from the text)": ' + marked);
      steps.push(`inferred date on ${inferred.id}: "${marked}"`);
    }

    // 9. A phone, 390 px wide: no page is wider than the screen, the search
    // button is whole, and charts are drawn at the page's scale (their
    // 12 px text is not shrunk with the picture).
    await page.setViewportSize({width: 390, height: 844});
    const phonePages = [
      ['list', '/#/', '/', '.story-card'],
      ['story', `/#/story/${encodeURIComponent(storyId)}`, '/story/', '#volume svg'],
      ['search', '/#/search?q=ferry%20strike', '/search', '#search-articles .card'],
      ['storylines', '/#/storylines', '/storylines', '.storyline-card'],
      ['storyline', `/#/storyline/${encodeURIComponent(biggest.id)}`, '/storyline/', '#volume svg'],
      ['article', '/#/article/gazette-ferry-strike', '/article/', '#body p'],
    ];
    const widths = [];
    for (const [name, url, prefix, selector] of phonePages) {
      // A fresh load at each address, so that ready() sees this page's route.
      await page.goto('about:blank');
      await page.goto(base + url);
      await ready(prefix);
      await page.waitForSelector(selector);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      widths.push(`${name} ${width}`);
      check(width <= 390, `${name} at 390 px is ${width} px wide`);
      const button = await page.locator('#search-form button').boundingBox();
      check(button && button.x + button.width <= 390, `${name}: search button inside the screen`);
      const scales = await page.evaluate(() => [...document.querySelectorAll('#app svg[viewBox]')].map((svg) => {
        const vb = svg.viewBox.baseVal;
        return vb.width ? svg.getBoundingClientRect().width / vb.width : 1;
      }));
      check(scales.every((x) => x >= 0.9), `${name}: charts drawn at page scale (${scales.map((x) => x.toFixed(2))})`);
      // No chart label is cut off at the chart's edges.
      const cut = await page.evaluate(() => [...document.querySelectorAll('#app svg[viewBox] text')].filter((t) => {
        const box = t.getBBox();
        const vb = t.ownerSVGElement.viewBox.baseVal;
        return box.x < -1 || box.x + box.width > vb.width + 1;
      }).map((t) => t.textContent));
      check(cut.length === 0, `${name}: chart labels cut off at the edge: ${cut.join(', ')}`);
      await page.screenshot({path: path.join(shots, `phone-${name}.png`), fullPage: true});
    }
    steps.push(`390 px phone, page widths: ${widths.join(', ')}`);

    check(problems.length === 0, problems.join('\n'));
  } finally {
    await context.close();
    child.kill('SIGTERM');
    fs.rmSync(work, {recursive: true, force: true});
  }
  for (const s of steps) console.log('browser: ' + s);
  console.log(`browser: all checks passed; screenshots in ${path.relative(process.cwd(), shots) || shots}`);
}

main().catch((e) => {
  console.error('browser: FAILED: ' + (e.stack || e.message));
  process.exit(1);
});
