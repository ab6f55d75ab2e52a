/**
 * The benchmark's inputs: the photographs in `../shared/corpus/` beside the repository when it is there (a 20 MP
 * and a 2 MP JPEG, a PNG with alpha, a WebP), else the repository's own samples, so anyone can run it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { REPO_ROOT, SAMPLE_PHOTOS } from '../local/paths';

export interface BenchInput {
  /** Short label for tables: `20MP jpeg`. */
  label: string;
  /** File name, which is also the S3 key the end-to-end parts store it under. */
  file: string;
  path: string;
  data: Buffer;
  width: number;
  height: number;
  hasAlpha: boolean;
}

export const CORPUS = resolve(REPO_ROOT, '../shared/corpus');

/** The corpus when present: 20 MP JPEG, 2 MP JPEG, PNG with alpha, WebP. Otherwise the samples that exist. */
const WANTED: readonly [label: string, corpusFile: string, sampleFile: string | undefined][] = [
  ['20MP jpeg', 'large-20mp.jpg', undefined],
  ['2MP jpeg', 'medium-2mp.jpg', 'medium-2mp.jpg'],
  ['2MP png+alpha', 'alpha-photo.png', 'alpha-photo.png'],
  ['16MP webp', 'render.webp', undefined],
];

export function corpusPresent(): boolean {
  return existsSync(join(CORPUS, 'large-20mp.jpg'));
}

export async function loadInputs(): Promise<BenchInput[]> {
  const inputs: BenchInput[] = [];
  for (const [label, corpusFile, sampleFile] of WANTED) {
    const path = corpusPresent() ? join(CORPUS, corpusFile) : sampleFile ? join(SAMPLE_PHOTOS, sampleFile) : undefined;
    if (path && existsSync(path)) inputs.push(await load(label, path));
  }
  return inputs;
}

/** The photographs for the bytes-and-quality table: every photo of the corpus, or the samples. */
export async function loadPhotos(): Promise<BenchInput[]> {
  const files = corpusPresent()
    ? ['large-20mp.jpg', 'phone-13mp.jpg', 'medium-2mp.jpg', 'grey.jpg', 'photo.png', 'alpha-photo.png'].map((f) =>
        join(CORPUS, f),
      )
    : ['medium-2mp.jpg', 'grey.jpg', 'alpha-photo.png', 'orient6.jpg'].map((f) => join(SAMPLE_PHOTOS, f));
  return Promise.all(files.filter(existsSync).map((path) => load(path.slice(path.lastIndexOf('/') + 1), path)));
}

async function load(label: string, path: string): Promise<BenchInput> {
  const data = readFileSync(path);
  const { width = 0, height = 0, hasAlpha = false } = await sharp(data).metadata();
  return { label, file: path.slice(path.lastIndexOf('/') + 1), path, data, width, height, hasAlpha };
}
