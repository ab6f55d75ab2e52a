import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOriginals, seedImages } from '../../local/seed';
import { resolveConfig } from '../../shared/config';
import { photo } from '../helpers/fixtures';
import { imagesFolder, removeFolder } from '../helpers/local-stack';
import { startTestS3, type TestS3 } from '../helpers/s3-stack';

const config = resolveConfig();
let s3: TestS3;
let folder: string;

beforeAll(async () => {
  s3 = await startTestS3('seeded');
  folder = imagesFolder({
    'a.jpg': 'orient6.jpg',
    'trip/2019/b c.png': 'alpha-photo.png',
    '400w/default/d.jpg': 'orient6.jpg',
    '.hidden/e.jpg': 'orient6.jpg',
  });
  writeFileSync(join(folder, 'notes.txt'), 'not a picture');
  mkdirSync(join(folder, 'empty'));
});

afterAll(async () => {
  await s3.stop();
  removeFolder(folder);
});

describe('seeding the local bucket from a folder', () => {
  it(
    'puts every picture under its relative path, skipping ' + 'hidden files, non-images and variant-shaped paths',
    async () => {
      await s3.put('a.jpg', Buffer.from('already there'));
      const result = await seedImages(s3, folder, config);
      expect(result).toEqual({ uploaded: 1, present: 1, ignored: ['400w/default/d.jpg'] });
      expect(await s3.keys()).toEqual(['a.jpg', 'trip/2019/b c.png']);
      expect((await s3.get('trip/2019/b c.png'))!.equals(photo('alpha-photo.png'))).toBe(true);
      // Never overwritten.
      expect((await s3.get('a.jpg'))!.toString()).toBe('already there');
    },
  );

  it('lists originals, not the variants stored beside them', async () => {
    await s3.put('400w/default/trip/2019/b c.png', Buffer.from('variant'));
    expect(await listOriginals(s3, config)).toEqual(['a.jpg', 'trip/2019/b c.png']);
  });

  it('refuses a folder that does not exist', async () => {
    await expect(seedImages(s3, join(folder, 'nowhere'), config)).rejects.toThrow(/is not a folder/);
  });
});
