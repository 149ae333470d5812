import { InputError } from '../model/input-error.js';
import { MAX_THREADS } from '../model/work-bounds.js';
import { wholeNumber } from './options.js';

/** `--threads 1,6,13-16`: thread counts, bounded before any range is expanded (`1-1000000000` must not allocate first). */
export function threadList(text: string): number[] {
  const whole = wholeNumber('--threads', 1);
  const parse = (t: string) => {
    const n = whole(t);
    if (n > MAX_THREADS) throw new InputError('--threads', `${n}: must be at most ${MAX_THREADS} (the largest thread count memmap-sim simulates)`);
    return n;
  };
  const out: number[] = [];
  for (const p of text.split(',').map((s) => s.trim())) {
    const range = /^(\d+)-(\d+)$/.exec(p);
    if (range) {
      const [a, b] = [parse(range[1]), parse(range[2])];
      if (b < a) throw new InputError('--threads', `range "${p}" runs backwards`);
      for (let t = a; t <= b; t++) out.push(t);
    } else out.push(parse(p));
  }
  if (!out.length) throw new InputError('--threads', 'give a list such as 1,6,13,26,52');
  if (out.length > MAX_THREADS) throw new InputError('--threads', `at most ${MAX_THREADS} thread counts in one sweep, got ${out.length}`);
  return out;
}
