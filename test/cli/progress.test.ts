import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressBar } from '../../src/cli/progress.js';
import { cli, tempDir } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

const machine = ['sweep', 'seed003-skylake-768g', '--threads', '26,52'];

describe('sweep and calibrate show a progress bar on a terminal only', () => {
  it('calibrate piped: nothing on stderr', async () => {
    const tmp = tempDir();
    const f = tmp.file('small.json', { name: 'small', nodes: [{ id: 0, cores: 2, threadsPerCore: 2, dram: [{ start: '0', size: '14G' }] }], boot: {} });
    const r = await cli(['calibrate', f, '--measure', '1:56', '--measure', '4:21']);
    tmp.remove();
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  }, 60_000);

  it('piped (stderr not a terminal): nothing on stderr', async () => {
    const r = await cli(machine);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  }, 60_000);

  it('on a terminal: a bar on stderr counting the runs, cleared at the end; none with --json', () => {
    const had = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    const bar = progressBar('sweep x', false);
    bar.update(1, 2);
    bar.update(2, 2);
    // A fit's total grows with its runs; the bar takes the new total.
    bar.update(3, 3);
    bar.stop();
    expect(err).toMatch(/sweep x \[.*\] \d\/\d runs/);
    err = '';
    const quiet = progressBar('sweep x', true);
    quiet.update(1, 2);
    quiet.stop();
    expect(err).toBe('');
    if (had) Object.defineProperty(process.stderr, 'isTTY', had);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  });
});
