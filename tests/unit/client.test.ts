import type { CloudFrontRequest } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import { imageUrl, srcSet } from '../../client/index';
import { setLogSink } from '../../shared/log';
import { createViewerRequestHandler } from '../../viewer-request/handler';
import { viewerRequestEvent } from '../helpers/events';

setLogSink(() => {});
const viewer = createViewerRequestHandler(resolveConfig());

describe('imageUrl', () => {
  it.each([
    [{ width: 350 }, '/img.jpg?width=400'],
    [
      { width: 400, height: 300, fit: 'cover', position: 'north' },
      '/img.jpg?width=400&height=400&fit=cover&position=north',
    ],
    [
      { width: 200, dpr: 2, style: ['bw', 'blur'], format: 'webp', quality: 60 },
      '/img.jpg?width=200&dpr=2&style=bw%2Cblur&format=webp&quality=60',
    ],
    [{ dimensions: 'twitter-card' }, '/img.jpg?dimensions=twitter-card'],
    [{}, '/img.jpg'],
  ] as const)('%j → %s', (options, url) => {
    expect(imageUrl('/img.jpg', options)).toBe(url);
  });

  it('follows a configured policy', () => {
    expect(imageUrl('/a.jpg', { width: 350 }, resolveConfig({ sizes: { mode: 'exact', max: 300 } }))).toBe(
      '/a.jpg?width=300',
    );
  });
});

describe('srcSet', () => {
  it('snaps, de-duplicates and sorts the widths', () => {
    expect(srcSet('/img.jpg', [1280, 320, 640, 350])).toBe(
      '/img.jpg?width=400 400w, /img.jpg?width=800 800w, /img.jpg?width=1600 1600w',
    );
  });

  it('lands every URL exactly on the width it announces', async () => {
    for (const candidate of srcSet('/photos/cat.jpg', [50, 150, 500, 900, 1500, 3000], { style: ['bw'] }).split(', ')) {
      const [url, descriptor] = candidate.split(' ') as [string, string];
      const [path, query] = url.split('?') as [string, string];
      const request = (await viewer(viewerRequestEvent(path, query))) as CloudFrontRequest;
      expect(request.uri).toBe(`/${descriptor}/bw/photos/cat.jpg`);
    }
  });
});

describe('signed URLs', () => {
  const KEY = 'k'.repeat(32);
  const devicesOff = { devices: { enabled: false, mobile: 800, tablet: 1200 } };
  const viewer = createViewerRequestHandler(resolveConfig({ ...devicesOff, allowList: [], signingKeys: [KEY] }));
  async function answer(url: string) {
    const [uri = '', qs = ''] = url.split('?');
    const result = (await viewer(viewerRequestEvent(uri, qs))) as { uri?: string; status?: string };
    return result.status ?? result.uri;
  }

  it('imageUrl and srcSet sign with the key they are given, and the viewer-request admits exactly those', async () => {
    const signed = imageUrl('/photos/my%20cat.jpg', { width: 350, style: ['bw'], signingKey: KEY });
    expect(signed).toMatch(/^\/photos\/my%20cat\.jpg\?width=400&style=bw&s=[\w-]{22}$/);
    expect(await answer(signed)).toBe('/400w/bw/photos/my%20cat.jpg');
    expect(await answer(imageUrl('/photos/my%20cat.jpg', { width: 350, style: ['bw'] }))).toBe('400');
    expect(await answer(imageUrl('/photos/my%20cat.jpg', { width: 350, signingKey: 'x'.repeat(32) }))).toBe('403');
    for (const candidate of srcSet('/a.png', [100, 640], { format: 'webp', signingKey: KEY }).split(', ')) {
      const [url = '', descriptor = ''] = candidate.split(' ');
      expect(await answer(url)).toBe(`/${descriptor.slice(0, -1)}w/webp/a.png`);
    }
  });
});
