/** The benchmark's own arithmetic: medians, interleaved rounds, ratios and tables (bench/timing.ts, bench/table.ts). */
import { describe, expect, it } from 'vitest';
import { toMarkdown, toText } from '../../bench/table';
import { compare, median, ms, ratio } from '../../bench/timing';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('compare', () => {
  it('warms up, then runs every contender the same number of times, rotating who goes first', async () => {
    const order: string[] = [];
    const contender = (name: string) => ({
      name,
      run: () => {
        order.push(name);
        return Promise.resolve();
      },
    });
    const timings = await compare([contender('a'), contender('b'), contender('c')], { warmup: 1, runs: 3 });
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(timings.map((t) => [t.name, t.runs])).toEqual([
      ['a', 3],
      ['b', 3],
      ['c', 3],
    ]);
    for (const t of timings) expect(t.medianMs).toBeGreaterThanOrEqual(t.minMs);
  });

  it('times the work itself: a contender that waits longer has the larger median', async () => {
    const wait = (delay: number) => () => new Promise((done) => setTimeout(done, delay));
    const [fast, slow] = await compare(
      [
        { name: 'fast', run: wait(1) },
        { name: 'slow', run: wait(30) },
      ],
      { warmup: 0, runs: 3 },
    );
    expect(slow!.medianMs).toBeGreaterThan(fast!.medianMs + 15);
  });
});

describe('ratio and ms', () => {
  it('prints two decimals, and n/a for anything not measured', () => {
    expect(ratio(115, 100)).toBe('1.15x');
    expect(ratio(undefined, 100)).toBe('n/a');
    expect(ratio(1, 0)).toBe('n/a');
    expect(ms(123.4)).toBe('123');
    expect(ms(12.34)).toBe('12.3');
    expect(ms(Number.NaN)).toBe('n/a');
  });
});

describe('tables', () => {
  const table = {
    title: 'T',
    note: 'how',
    columns: ['input', 'ms'],
    rows: [
      ['20MP', '45.0'],
      ['2MP', '13.0'],
    ],
  };
  it('aligns text columns, the first to the left and the numbers to the right', () => {
    expect(toText(table).split('\n')).toEqual(['== T', 'how', 'input    ms', '20MP   45.0', '2MP    13.0']);
  });
  it('writes Markdown with the numbers right-aligned', () => {
    expect(toMarkdown(table)).toContain('| input | ms |\n| --- | ---: |\n| 20MP | 45.0 |\n| 2MP | 13.0 |');
  });
});
