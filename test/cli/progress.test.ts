import { afterEach, describe, expect, it, vi } from 'vitest';
import { progressBar } from '../../src/cli/progress.js';
import { cli } from './helpers.js';

afterEach(() => vi.restoreAllMocks());

const machine = ['sweep', 'seed003-skylake-768g', '--threads', '26,52'];

describe('sweep shows a progress bar on a terminal only', () => {
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
    bar.stop();
    expect(err).toMatch(/sweep x \[.*\] [12]\/2 runs/);
    err = '';
    const quiet = progressBar('sweep x', true);
    quiet.update(1, 2);
    quiet.stop();
    expect(err).toBe('');
    if (had) Object.defineProperty(process.stderr, 'isTTY', had);
    else delete (process.stderr as { isTTY?: boolean }).isTTY;
  });
});
