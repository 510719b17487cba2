// Browser test of the storyline web page: builds a store from examples/,
// starts `storyline serve` on a free loopback port, and drives Debian's
// headless Chromium (never a downloaded browser) through list -> story ->
// article, the removed-lines toggle, filters, search and a storyline page.
// Screenshots go to tests/browser/screenshots/. Exits non-zero on failure.
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
    viewport: {width: 1200, height: 900},
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
    const badges = await page.locator('#articles .badge.copy').allInnerTexts();
    const withCopyOf = storyJson.articles.filter((x) => x.copy_of);
    check(badges.length === withCopyOf.length,
          `one copy badge per article with copy_of (${badges.length} vs ${withCopyOf.length})`);
    for (const c of storyJson.copies) {
      const target = storyJson.articles.find((x) => x.id === c.copy_of);
      check(!target || target.copy_of !== c.article, `copy ${c.article} -> ${c.copy_of} points against copy_of`);
    }
    await page.screenshot({path: path.join(shots, '3-story.png'), fullPage: true});
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
      await ready('/article/');
      await page.waitForSelector('#duplicates');
      const dups = await page.locator('#duplicates').innerText();
      check(/\ban exact copy\b/.test(dups), `${id}: duplicates say "an exact copy": ${dups.slice(0, 200)}`);
      await checkWording(page, 'article ' + id);
    }
    steps.push(`article "${articleTitle}": ${paragraphs} paragraphs, ${removed} removed lines (e.g. "${why}")`);

    // 5. Search from the header.
    await page.fill('#q', 'ferry strike');
    await page.press('#q', 'Enter');
    await ready('/search');
    await page.waitForSelector('#search-articles mark');
    const hits = await page.locator('#search-articles .card').count();
    check(hits > 0, 'search finds articles');
    await page.screenshot({path: path.join(shots, '6-search.png'), fullPage: true});
    steps.push(`search "ferry strike": ${hits} articles`);

    // 6. A storyline page.
    const lines = await (await fetch(base + '/api/storylines')).json();
    const lineId = lines.storylines[0].id;
    await page.goto(`${base}/#/storyline/${encodeURIComponent(lineId)}`);
    await ready('/storyline/');
    await page.waitForSelector('.story-card');
    await checkWording(page, 'storyline page');
    await page.screenshot({path: path.join(shots, '7-storyline.png'), fullPage: true});
    steps.push(`storyline ${lineId}`);

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
