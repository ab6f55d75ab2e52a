/**
 * s3rver 3.7.1 lists with a delimiter by walking its folders and skips every folder below a common prefix before
 * that prefix is recorded, so `200w/` never shows at the top level when its objects sit deeper
 * (`200w/default/cat.jpg`). S3 reports it. This puts S3's rule back on one server: list everything under the
 * prefix, then fold keys holding the delimiter into common prefixes (s3rver counts only objects against max-keys).
 */
import type { S3rverStore } from 's3rver';

export function foldCommonPrefixesAsS3Does(store: S3rverStore): void {
  const list = store.listObjects.bind(store);
  store.listObjects = async (bucket, options) => {
    const { delimiter, prefix = '', maxKeys = Infinity } = options;
    if (!delimiter) return list(bucket, options);
    const all = await list(bucket, { ...options, delimiter: '', maxKeys: Infinity });
    const commonPrefixes = new Set<string>();
    const objects = [];
    let isTruncated = false;
    for (const object of all.objects) {
      const at = object.key.slice(prefix.length).indexOf(delimiter);
      if (at !== -1) commonPrefixes.add(object.key.slice(0, prefix.length + at + delimiter.length));
      else if (objects.length < maxKeys) objects.push(object);
      else isTruncated = true;
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
  };
}
