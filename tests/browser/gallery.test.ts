/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// ^ the callbacks given to page.evaluate run in the browser.
/**
 * The gallery page in a real browser: Debian's chromium driven by playwright-core, against the local stack.
 * Never skipped: without chromium this fails and says how to install it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import userConfig from '../../edge-resize.config';
import { FORMAT_VARIANTS, GALLERY_VARIANTS } from '../../local/gallery-page';
import { resolveConfig } from '../../shared/config';
import { PHOTOS } from '../helpers/fixtures';
import { imagesFolder, removeFolder, startTestStack, tempDataDir, type TestStack } from '../helpers/local-stack';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const IMAGES: Record<string, string> = {
  'photos/2019/medium-2mp.jpg': 'medium-2mp.jpg',
  'orient6.jpg': 'orient6.jpg',
  'alpha-photo.png': 'alpha-photo.png',
};

let stack: TestStack;
let browser: Browser;
let page: Page;
let dataDir: string;
let images: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `chromium is missing at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set ` +
        `CHROMIUM_PATH). This test is never skipped.`,
    );
  }
  dataDir = tempDataDir();
  images = imagesFolder(IMAGES);
  stack = await startTestStack({ dataDir, images });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  removeFolder(dataDir);
  removeFolder(images);
});

/** The phone's width for a plain URL, from the configuration the bundles were built with. */
const MOBILE_WIDTH = resolveConfig(userConfig).devices.mobile;

/**
 * The size a variant must have: the original as displayed (EXIF orientation applied), fit inside the box, never
 * enlarged. A phone's plain URL has the mobile width as its box.
 */
async function expectedSize(fixture: string, query: string, phone = false): Promise<[number, number]> {
  const meta = await sharp(`${PHOTOS}${fixture}`).metadata();
  const [width, height] = (meta.orientation ?? 1) >= 5 ? [meta.height, meta.width] : [meta.width, meta.height];
  const params = new URLSearchParams(query);
  const plainOnPhone = phone && !params.has('width') && !params.has('height');
  const box = {
    w: plainOnPhone ? MOBILE_WIDTH : Number(params.get('width') ?? Infinity),
    h: Number(params.get('height') ?? Infinity),
  };
  const scale = Math.min(box.w / width, box.h / height, 1);
  return [Math.round(width * scale), Math.round(height * scale)];
}

/** Every figure of a kind on the page, once all have loaded or failed. */
async function figuresOf(selector: string) {
  await page.waitForFunction(
    (s) => [...document.querySelectorAll(s)].every((f) => (f as HTMLElement).dataset.state !== 'loading'),
    selector,
    { timeout: 30_000 },
  );
  return page.$$eval(selector, (all) =>
    all.map((f) => {
      const img = f.querySelector('img')!;
      const data = (f as HTMLElement).dataset;
      return {
        key: data.key!,
        query: data.query!,
        phone: data.phone === 'yes',
        state: data.state,
        natural: [img.naturalWidth, img.naturalHeight],
        facts: f.querySelector('.facts')!.textContent,
      };
    }),
  );
}

describe('the gallery page in chromium', () => {
  it('shows every original at each gallery size, the images loading with the expected natural sizes', async () => {
    await page.goto(stack.url);
    const figures = await figuresOf('figure.variant');
    expect(figures.map((f) => `${f.key}?${f.query}`).sort()).toEqual(
      Object.keys(IMAGES)
        .flatMap((key) => GALLERY_VARIANTS.map((v) => `${key}?${v.query}`))
        .sort(),
    );
    for (const figure of figures) {
      expect(figure.state).toBe('loaded');
      expect(figure.natural).toEqual(await expectedSize(IMAGES[figure.key]!, figure.query, figure.phone));
      // The caption names the canonical key and the edge's answer,
      // e.g. "/200w/default/orient6.jpg · Miss (generated) · …".
      expect(figure.facts).toMatch(/^\/\S+ · Miss \(generated\) · \d+ ms · \d+ bytes · \d+×\d+$/);
    }
    // The phone's plain URL became the mobile width (in AVIF, which chromium accepts).
    expect(figures.find((f) => f.key === 'photos/2019/medium-2mp.jpg' && f.phone)!.facts).toMatch(
      new RegExp(`^/${MOBILE_WIDTH}w/avif/photos/2019/medium-2mp\\.jpg · `),
    );
    // Chromium's image requests accept AVIF, so JPEG and PNG originals come back negotiated to it.
    expect(
      figures.find((f) => f.key === 'photos/2019/medium-2mp.jpg' && f.query === 'width=400&style=bw')!.facts,
    ).toMatch(/^\/400w\/bw-avif\/photos\/2019\/medium-2mp\.jpg · /);
    expect(pageErrors).toEqual([]);
  });

  it('shows the first original in every output format, each the format its key names', async () => {
    const formats = await figuresOf('figure.format');
    expect(formats.map((f) => f.query)).toEqual(FORMAT_VARIANTS.map((v) => v.query));
    const first = formats[0]!.key;
    const keys = formats.map((f) => f.facts.split(' · ')[0]);
    const uri = first.replace(/^/, '/');
    // A PNG original: every format is a change of format, so each key names it; negotiation picked AVIF.
    expect(keys).toEqual([`/400w/avif${uri}`, `/400w/jpeg${uri}`, `/400w/webp${uri}`, `/400w/avif${uri}`]);
    for (const [i, figure] of formats.entries()) {
      expect(figure.state).toBe('loaded');
      expect(figure.natural[0]).toBe(400);
      const answer = await stack.request(keys[i]!);
      expect((await sharp(answer.body).metadata()).format).toBe(
        keys[i]!.includes('/avif') ? 'heif' : keys[i]!.includes('/jpeg') ? 'jpeg' : 'webp',
      );
    }
  });

  async function submit(fields: { key: string; width?: string; height?: string; style?: string; phone?: boolean }) {
    await page.fill('input[name=key]', fields.key);
    await page.setChecked('input[name=phone]', fields.phone ?? false);
    await page.fill('input[name=width]', fields.width ?? '');
    await page.fill('input[name=height]', fields.height ?? '');
    await page.selectOption('select[name=style]', fields.style ?? '');
    await page.evaluate(() => {
      document.getElementById('result')!.dataset.state = '';
    });
    await page.click('button[type=submit]');
    await page.waitForSelector('#result[data-state=done]', { timeout: 30_000 });
    const text = async (id: string) => (await page.textContent(`#${id}`))!.trim();
    return {
      url: await text('r-url'),
      status: await text('r-status'),
      key: await text('r-key'),
      cache: await text('r-cache'),
      size: await text('r-size'),
      imageHidden: await page.$eval('#result-image', (img) => (img as HTMLImageElement).hidden),
    };
  }

  it('tries a key with a width and a style, then shows the edge cache hit on the second try', async () => {
    const first = await submit({ key: 'photos/2019/medium-2mp.jpg', width: '550', style: 'bw' });
    expect(first).toMatchObject({
      url: '/photos/2019/medium-2mp.jpg?width=550&style=bw',
      status: '200',
      key: '/600w/bw/photos/2019/medium-2mp.jpg',
      cache: 'Miss from cloudfront (generated)',
      size: '600×400',
      imageHidden: false,
    });
    const second = await submit({ key: 'photos/2019/medium-2mp.jpg', width: '550', style: 'bw' });
    expect(second).toMatchObject({
      key: '/600w/bw/photos/2019/medium-2mp.jpg',
      cache: 'Hit from cloudfront',
      size: '600×400',
    });
    expect(pageErrors).toEqual([]);
  });

  it('asks as a phone when told to: a plain URL comes back at the mobile width', async () => {
    const phone = await submit({ key: 'photos/2019/medium-2mp.jpg', phone: true });
    expect(phone).toMatchObject({
      url: '/_local/as-phone/photos/2019/medium-2mp.jpg',
      status: '200',
      key: `/${MOBILE_WIDTH}w/default/photos/2019/medium-2mp.jpg`,
      size: `${MOBILE_WIDTH}×533`,
    });
    const desktop = await submit({ key: 'photos/2019/medium-2mp.jpg' });
    expect(desktop).toMatchObject({ status: '200', key: '/photos/2019/medium-2mp.jpg', size: '1920×1280' });
  });

  it('shows the reason for a bad query', async () => {
    const bad = await submit({ key: 'orient6.jpg', width: 'abc' });
    expect(bad).toMatchObject({ status: '400 width must be a whole number of pixels, got "abc"', imageHidden: true });
  });

  it('follows the redirect for a variant too large to inline', async () => {
    const large = await submit({ key: 'alpha-photo.png', width: '2000' });
    expect(large.status).toMatch(/^200 \(after a redirect/);
    expect(large.size).toBe('2000×1000');
  });
});
