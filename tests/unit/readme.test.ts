/**
 * README.md's reference tables against the code, so the two cannot drift: the configuration table against
 * DEFAULT_CONFIG, the URL parameter table against the query reader and the viewer-request's decision.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type EdgeConfig } from '../../shared/config';
// The query reader, whose errors name each parameter.
import { parseQueryParams } from '../../viewer-request/query-params';
import { decide } from '../../viewer-request/rewrite';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The cells of the first table under `## heading`, header and separator rows left out. */
function tableUnder(heading: string): string[][] {
  const lines = README.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  const section = lines.slice(start + 1, end < 0 ? undefined : end);
  const first = section.findIndex((line) => line.startsWith('|'));
  if (first < 0) throw new Error(`README.md's "${heading}" section has no table`);
  const after = section.slice(first).findIndex((line) => !line.startsWith('|'));
  const table = section.slice(first, after < 0 ? undefined : first + after);
  return table.slice(2).map((row) =>
    row
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}

/** The text of every code span in a cell. */
function codeSpans(cell: string | undefined): string[] {
  return [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
}

/** A default as the README shows it: a TypeScript literal on one line, as one would write it in the config file. */
function render(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const fields = entries.map(
    ([name, field]) => `${/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`}: ${render(field)}`,
  );
  return `{ ${fields.join(', ')} }`;
}

describe('README configuration table', () => {
  const rows = tableUnder('Configuration');
  const named = new Map(rows.map((cells) => [codeSpans(cells[0]).join(), cells[1] ?? '']));

  it('names every setting of DEFAULT_CONFIG once, and nothing else', () => {
    expect(rows.length).toBe(named.size);
    expect([...named.keys()].sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
  });

  it.each(Object.keys(DEFAULT_CONFIG) as (keyof EdgeConfig)[])('shows the default of %s as the code has it', (key) => {
    expect(named.get(key)).toBe(`\`${render(DEFAULT_CONFIG[key])}\``);
  });
});

describe('README URL parameter table', () => {
  const rows = tableUnder('URL parameters');
  const names = rows.flatMap((cells) => codeSpans(cells[0]));

  it('lists one parameter per row', () => {
    expect(names.length).toBe(rows.length);
    expect(new Set(names).size).toBe(names.length);
  });

  // The query reader exports no list of its parameters, so each row is checked by behaviour: a parameter of ours
  // refuses a value it cannot read, naming itself, where an unknown parameter is ignored.
  it('names only parameters the query reader reads', () => {
    expect(parseQueryParams('utm_source=not-a-value!')).toEqual({
      kind: 'ok',
      requested: expect.anything() as unknown,
    });
    for (const name of names) {
      const parse = parseQueryParams(`${name}=not-a-value!`);
      expect(parse.kind, name).toBe('invalid');
      if (parse.kind === 'invalid') expect(parse.reason.startsWith(`${name} `), parse.reason).toBe(true);
    }
  });

  it.each(rows.map((cells) => [codeSpans(cells[2])[0] ?? '', codeSpans(cells[3])[0] ?? '']))(
    'rewrites the example %s to %s under the defaults',
    (example, key) => {
      const [uri = '', querystring = ''] = example.split('?');
      // No Accept and no User-Agent: a desktop that negotiates no format, as the table says.
      expect(decide({ uri, querystring, headers: {} }, DEFAULT_CONFIG)).toEqual({ action: 'rewrite', uri: key });
    },
  );
});
