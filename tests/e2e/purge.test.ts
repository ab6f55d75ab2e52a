/**
 * `npm run purge` as users run it (the built commands, in a child process), against s3rver
 * through the SDK's standard environment.
 */
import { expect, it } from 'vitest';
import { useRefreshCommands } from '../helpers/refresh-commands';

const cli = useRefreshCommands();

it("purge deletes an original's variants and leaves the original", async () => {
  await cli.s3.put('400w/bw/cat.jpg', Buffer.from('x'));
  const printed = await cli.run('purge', ['--bucket', 'photos', 'cat.jpg']);
  expect(printed).toMatch(/^cat\.jpg: Succeeded: purged: 1 variants purged$/m);
  expect(await cli.s3.exists('400w/bw/cat.jpg')).toBe(false);
  expect(await cli.s3.exists('cat.jpg')).toBe(true);
  expect(await cli.s3.exists('200w/default/products/a b.jpg')).toBe(true);
});
