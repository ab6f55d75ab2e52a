/**
 * The page at `/`: the originals in the bucket at a few sizes and styles, each loaded by a plain `<img>` with a
 * query-string URL, and a form to try any key with any width, height and style. Under each picture: the
 * canonical key, `X-Cache`, the load time and the natural size, read from the emulator's request record
 * (found through the `cdn-rid` of the Server-Timing header, or `X-Amz-Cf-Id`).
 */
import { keyToUri } from './seed';

export interface GalleryVariant {
  query: string;
  label: string;
  /** Asked as a phone (through `/_local/as-phone/`, with an iPhone's User-Agent). */
  phone?: boolean;
}

/** What the gallery shows of each original, in this order. */
export const GALLERY_VARIANTS: readonly GalleryVariant[] = [
  { query: 'width=200', label: '200 wide' },
  { query: 'width=400&style=bw', label: '400 wide, greyscale' },
  { query: 'height=100', label: '100 high' },
  // A phone's plain URL: the viewer-request gives it the configured mobile width.
  { query: '', label: 'the plain URL, on a phone', phone: true },
];

/** The first original in each output format, 400 wide: what each costs in bytes. */
export const FORMAT_VARIANTS: readonly GalleryVariant[] = [
  { query: 'width=400', label: "negotiated from the browser's Accept" },
  { query: 'width=400&format=jpeg', label: 'JPEG' },
  { query: 'width=400&format=webp', label: 'WebP' },
  { query: 'width=400&format=avif', label: 'AVIF' },
];

/** More originals than this make the first load slow (every variant is generated once). */
export const GALLERY_MAX_ORIGINALS = 12;

export function galleryPage(originals: readonly string[], about: { bucket: string; s3Endpoint: string }): string {
  const shown = originals.slice(0, GALLERY_MAX_ORIGINALS);
  const rows = shown
    .map(
      (key) => `
    <section class="original">
      <h3><a href="${escape(keyToUri(key))}">${escape(key)}</a></h3>
      <div class="variants">${GALLERY_VARIANTS.map((variant) => figure(key, variant)).join('')}</div>
    </section>`,
    )
    .join('');
  const formats =
    shown[0] === undefined
      ? ''
      : `
<h2>Formats</h2>
<p>The same picture in each output format, 400 wide. A browser gets the first of AVIF and WebP that its
<code>Accept</code> names, for JPEG and PNG originals, unless the URL says <code>format=</code>.</p>
<div class="variants">${FORMAT_VARIANTS.map((variant) => figure(shown[0]!, variant, 'format')).join('')}</div>`;
  const more =
    originals.length > shown.length ? `<p>and ${originals.length - shown.length} more originals, not shown.</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>edge-resize, running locally</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<h1>edge-resize, running locally</h1>
<p>Plain URLs such as <code>/photo.jpg?width=400&amp;style=bw</code> go through a local CloudFront emulator:
the <b>viewer-request</b> function folds the query into a canonical key, the edge cache answers if it can, else
S3 (<code>${escape(about.s3Endpoint)}</code>, bucket <code>${escape(about.bucket)}</code>) is asked and the
<b>origin-response</b> function generates the missing variant, stores it and answers it. Under each picture: its
canonical key, the edge cache's answer (<code>X-Cache</code>), the time and the natural size. The form bypasses
the browser's own cache, so a URL tried twice shows the edge cache hit.</p>

<form id="try">
  <h2>Try a URL</h2>
  <label>key <input name="key" list="originals" value="${escape(shown[0] ?? '')}" required size="32"></label>
  <label>width <input name="width" size="6" placeholder="e.g. 300"></label>
  <label>height <input name="height" size="6"></label>
  <label>style <select name="style"><option value="">default</option><option value="bw">bw</option></select></label>
  <label><input type="checkbox" name="phone"> as a phone</label>
  <button type="submit">Load</button>
  <datalist id="originals">${originals.map((key) => `<option value="${escape(key)}">`).join('')}</datalist>
</form>
<section id="result" hidden>
  <img id="result-image" alt="the requested variant">
  <dl>
    <dt>URL</dt><dd id="r-url"></dd>
    <dt>status</dt><dd id="r-status"></dd>
    <dt>canonical key</dt><dd id="r-key"></dd>
    <dt>X-Cache</dt><dd id="r-cache"></dd>
    <dt>time</dt><dd id="r-time"></dd>
    <dt>natural size</dt><dd id="r-size"></dd>
    <dt>functions</dt><dd id="r-functions"></dd>
  </dl>
</section>

<h2>Gallery</h2>
<p>The last picture of each row is the plain URL asked by a phone (an iPhone's <code>User-Agent</code>, sent
through <code>/_local/as-phone/</code> since a browser cannot change its own): the viewer-request detects the
device and rewrites it to the mobile width. A desktop asking the same URL gets the original.</p>
${rows || '<p>The bucket has no pictures. Restart with <code>npm start -- --images DIR</code>.</p>'}
${more}
${formats}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function figure(key: string, { query, label, phone }: GalleryVariant, kind = 'variant'): string {
  const src = `${phone ? '/_local/as-phone' : ''}${keyToUri(key)}${query ? `?${query}` : ''}`;
  const shown = query ? `<code>?${escape(query)}</code>` : '<code>(no query)</code>';
  const data = `data-key="${escape(key)}" data-query="${escape(query)}" data-phone="${phone ? 'yes' : 'no'}"`;
  return `
        <figure class="${kind}" ${data} data-state="loading">
          <img src="${escape(src)}" alt="${escape(`${key}, ${label}`)}">
          <figcaption>${shown}${phone ? ' as a phone' : ''}<br><span class="facts">loading…</span></figcaption>
        </figure>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A transparent picture's background. */
const CHECKERBOARD = 'repeating-conic-gradient(#eee 0 25%, #fff 0 50%) 0 0 / 16px 16px';

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
code { font-size: 0.9em; background: #f3f3f3; padding: 0 0.2em; }
form { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; padding: 1rem; background: #f7f7f7; }
form h2 { width: 100%; margin: 0; }
#result { display: flex; gap: 1.5rem; align-items: start; margin: 1rem 0; }
#result img { max-width: 50%; border: 1px solid #ccc; background: ${CHECKERBOARD}; }
#result dl { display: grid; grid-template-columns: auto 1fr; gap: 0.2rem 1rem; margin: 0; }
#result dt { color: #666; }
.original h3 { margin: 1.5rem 0 0.5rem; font-size: 1rem; }
.variants { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; }
figure { margin: 0; min-width: 200px; }
figure img { display: block; border: 1px solid #ddd; max-width: 400px; }
/* As wide as the picture (at least 200px), never wider. */
figcaption { font-size: 0.8rem; color: #555; width: 0; min-width: 100%; overflow-wrap: anywhere; }
figure[data-state="error"] figcaption { color: #b00; }
`;

/** Plain browser JavaScript, kept small: no framework, no build step. */
const SCRIPT = `
const record = async (id) => {
  if (!id) return undefined;
  const answer = await fetch('/_local/requests/' + encodeURIComponent(id));
  return answer.ok ? answer.json() : undefined;
};
const ms = (value) => value === undefined ? 'not run' : value + ' ms';
/** Where a miss was answered from: a variant generated now, or one S3 already had. */
const source = (r) => r.originResponse === 'replaced' ? ' (generated)' : r.originStatus === 200 ? ' (from S3)' : '';
const functions = (r) =>
  r ? 'viewer-request ' + ms(r.viewerRequestMs) + ', origin-response ' + ms(r.originResponseMs) : '';

async function describeFigure(figure) {
  const img = figure.querySelector('img');
  const facts = figure.querySelector('.facts');
  if (!img.naturalWidth) {
    figure.dataset.state = 'error';
    facts.textContent = 'failed to load';
    return;
  }
  const entry = performance.getEntriesByName(img.currentSrc).at(-1);
  // Nothing transferred: the browser's own cache answered, the edge was not asked.
  const browserCache = !entry || (entry.transferSize === 0 && entry.decodedBodySize > 0);
  const timing = Object.fromEntries((entry?.serverTiming ?? []).map((t) => [t.name, t]));
  const r = browserCache ? undefined : await record(timing['cdn-rid']?.description);
  facts.textContent = [
    r ? r.key : browserCache ? 'from the browser cache' : '',
    r ? r.cache + source(r) : '',
    entry ? Math.round(entry.duration) + ' ms' : '',
    entry && entry.encodedBodySize ? entry.encodedBodySize + ' bytes' : '',
    img.naturalWidth + '×' + img.naturalHeight,
  ].filter(Boolean).join(' · ');
  facts.title = functions(r);
  figure.dataset.state = 'loaded';
}

for (const figure of document.querySelectorAll('figure.variant, figure.format')) {
  const img = figure.querySelector('img');
  if (img.complete) describeFigure(figure);
  else {
    img.addEventListener('load', () => describeFigure(figure));
    img.addEventListener('error', () => describeFigure(figure));
  }
}

const form = document.getElementById('try');
const show = (id, text) => { document.getElementById(id).textContent = text; };
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const query = new URLSearchParams();
  for (const name of ['width', 'height', 'style']) if (data.get(name)) query.set(name, data.get(name));
  const path = '/' + String(data.get('key')).replace(/^\\/+/, '').split('/').map(encodeURIComponent).join('/');
  const url = (data.get('phone') ? '/_local/as-phone' : '') + path + (query.size ? '?' + query : '');
  const result = document.getElementById('result');
  const image = document.getElementById('result-image');
  result.hidden = false;
  result.dataset.state = 'loading';
  show('r-url', url);
  const started = performance.now();
  const answer = await fetch(url, { cache: 'no-store' });
  const body = await answer.blob();
  const ms = Math.round(performance.now() - started);
  const r = await record(answer.headers.get('x-amz-cf-id'));
  const reason = answer.ok ? '' : ' ' + (await body.text()).trim();
  const redirected = answer.redirected
    ? ' (after a redirect: the variant was too large to inline, so it was stored and S3 served it)'
    : '';
  show('r-status', answer.status + reason + redirected);
  show('r-key', r?.key ?? '(none)');
  show('r-cache', (answer.headers.get('x-cache') ?? '') + (r ? source(r) : ''));
  show('r-time', ms + ' ms');
  show('r-functions', functions(r));
  if (answer.ok && body.type.startsWith('image/')) {
    URL.revokeObjectURL(image.src);
    image.src = URL.createObjectURL(body);
    await image.decode();
    image.hidden = false;
    show('r-size', image.naturalWidth + '×' + image.naturalHeight);
  } else {
    image.hidden = true;
    show('r-size', '');
  }
  result.dataset.state = 'done';
});
`;
